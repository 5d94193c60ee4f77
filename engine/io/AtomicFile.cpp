#include "engine/io/AtomicFile.h"

#include "engine/core/Error.h"

#include <QSaveFile>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fcs {

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    writePiecesAtomically(path, 1, [&](std::size_t) { return bytes; });
}

void writePiecesAtomically(
    const std::string& path, std::size_t count, const std::function<std::string(std::size_t)>& piece)
{
    // QSaveFile writes to a temporary file, fsyncs it in commit() and renames it over the target.
    // Unbuffered (we buffer ourselves): Qt 6.4's commit() does not report a failure of the final
    // buffer flush, so a small file on a full disk would be "committed" empty.
    QSaveFile file(QString::fromStdString(path));
    const auto failed = [&](const QString& reason) {
        return Error(ErrorCode::WriteFailed,
            "Cannot write \"" + path + "\": " + reason.toStdString()
                + " (is the disk full, or the folder read-only?).");
    };
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        throw failed(file.errorString());
    std::string buffer;
    const auto flush = [&] {
        if (file.write(buffer.data(), qint64(buffer.size())) != qint64(buffer.size())) {
            const QString reason = file.errorString();
            file.cancelWriting();
            throw failed(reason);
        }
        buffer.clear();
    };
    constexpr std::size_t kBufferBytes = 1 << 20;
    for (std::size_t i = 0; i < count; ++i) {
        buffer += piece(i);
        if (buffer.size() >= kBufferBytes)
            flush();
    }
    flush();
    if (!file.commit())
        throw failed(file.errorString());
}

void writePngAtomically(const std::string& path, const cv::Mat& image)
{
    cv::Mat out = image;
    if (image.channels() == 3)
        cv::cvtColor(image, out, cv::COLOR_RGB2BGR); // OpenCV's encoders expect BGR
    std::vector<unsigned char> png;
    try {
        if (!cv::imencode(".png", out, png))
            throw Error(ErrorCode::Internal, "Cannot encode \"" + path + "\" as PNG.");
    } catch (const cv::Exception& e) {
        throw Error(ErrorCode::Internal, "Cannot encode \"" + path + "\" as PNG.", e.what());
    }
    writeFileAtomically(path, std::string(png.begin(), png.end()));
}

} // namespace fcs
