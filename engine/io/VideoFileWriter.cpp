#include "engine/io/VideoFileWriter.h"

#include "engine/core/Error.h"

#include <filesystem>

#include <unistd.h>

namespace fcs {

namespace fs = std::filesystem;

namespace {

// Beside the target (one rename, no copy across file systems), hidden, with the target's extension.
std::string partialPathFor(const std::string& path)
{
    const fs::path target(path);
    return (target.parent_path() / (".fcs-partial-" + std::to_string(getpid()) + "-" + target.filename().string()))
        .string();
}

} // namespace

VideoFileWriter::VideoFileWriter(std::string path, double framesPerSecond)
    : m_path(std::move(path))
    , m_partialPath(partialPathFor(m_path))
    , m_framesPerSecond(framesPerSecond)
{
}

VideoFileWriter::~VideoFileWriter()
{
    if (m_finished)
        return;
    m_writer.release();
    std::error_code ignored;
    fs::remove(m_partialPath, ignored);
}

void VideoFileWriter::write(const cv::Mat& bgr)
{
    if (!m_writer.isOpened()) {
        if (m_frames > 0 || m_finished)
            throw Error(ErrorCode::WriteFailed, "The video \"" + m_path + "\" is already closed.");
        m_writer.open(m_partialPath, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), m_framesPerSecond, bgr.size());
        if (!m_writer.isOpened())
            throw Error(ErrorCode::WriteFailed,
                "Cannot write the video \"" + m_path + "\" (Motion JPEG): check the folder, its permissions and the "
                    + "name's extension (.avi).");
    }
    m_writer.write(bgr);
    ++m_frames;
}

void VideoFileWriter::finish()
{
    m_writer.release();
    // OpenCV's writer does not report a failed write (a full disk): count what reached the file.
    int stored = 0;
    {
        cv::VideoCapture check(m_partialPath);
        while (stored < m_frames && check.grab())
            ++stored;
    }
    if (stored < m_frames) {
        std::error_code ignored;
        fs::remove(m_partialPath, ignored);
        throw Error(ErrorCode::WriteFailed,
            "Only " + std::to_string(stored) + " of " + std::to_string(m_frames) + " frames of the video \"" + m_path
                + "\" reached the disk (is it full?); the video was not written.");
    }
    std::error_code error;
    fs::rename(m_partialPath, m_path, error);
    if (error)
        throw Error(
            ErrorCode::WriteFailed, "Cannot put the video in place as \"" + m_path + "\": " + error.message() + ".");
    m_finished = true;
}

} // namespace fcs
