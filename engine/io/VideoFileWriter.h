#pragma once
// A video file written whole or not at all: frames go to a hidden file beside the target, which
// replaces the target in one rename when finish() is called. Stopped before that (an error, no
// frame, a crash of the reader), the target is left as it was and the partial file is removed.
// Motion JPEG, so any OpenCV build can write it; the target's extension picks the container.

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <string>

namespace fcs {

class VideoFileWriter
{
public:
    VideoFileWriter(std::string path, double framesPerSecond);
    ~VideoFileWriter();
    VideoFileWriter(const VideoFileWriter&) = delete;
    VideoFileWriter& operator=(const VideoFileWriter&) = delete;

    // A BGR frame; the first one fixes the video's size. Error(WriteFailed) when it cannot be written.
    void write(const cv::Mat& bgr);
    // Closes the video, reads it back (every frame must be in the file: OpenCV's writer does not
    // report a full disk) and puts it in place. Error(WriteFailed) naming the file when it cannot.
    void finish();

    int frames() const { return m_frames; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::string m_partialPath;
    double m_framesPerSecond;
    cv::VideoWriter m_writer;
    int m_frames = 0;
    bool m_finished = false;
};

} // namespace fcs
