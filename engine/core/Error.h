#pragma once
// The one error type of the engine. Thrown by any engine function; caught where a front end
// calls the engine (the CLI's commands and main, the window's engine threads and dialogs), which
// show userMessage() and keep detail() for "Details".

#include <stdexcept>
#include <string>

namespace fcs {

enum class ErrorCode {
    ImageUnreadable, // missing, empty, truncated, not an image, too large
    ModelNotFound, // no such model on the models path
    BadModel, // not TorchScript, or a method of the contract is missing
    BadSidecar, // JSON sidecar missing, malformed, or a field missing / mistyped
    ContractMismatch, // the model loads but does not behave as the contract says
    BadResult, // the model gave NaN or infinity on one image: that image fails, the others go on
    InvalidArgument, // a setting out of range (e.g. keep 0%, class index past the end)
    BadData, // a file the user gave holds something else than it should (image list, survey, results)
    ReadFailed, // a file, folder or database could not be read (missing, permissions, locked)
    WriteFailed, // a result file or database could not be written (full disk, permissions, lock)
    Cancelled, // a newer request superseded this one; not shown to the user
    Internal, // a LibTorch or OpenCV failure we did not anticipate
};

class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string& userMessage, const std::string& detail = {});

    ErrorCode code() const { return m_code; }
    const std::string& userMessage() const { return m_userMessage; }
    const std::string& detail() const { return m_detail; }

private:
    ErrorCode m_code;
    std::string m_userMessage;
    std::string m_detail;
};

// The first line of an unexpected exception's message: LibTorch appends a long backtrace.
std::string briefWhat(const std::exception& e);

// What kind of thing went wrong: the one mapping from codes to the CLI's exit status and the
// GUI's headline, so that both front ends say the same.
enum class ErrorKind {
    BadInput, // the user's image, setting or file: fix the input
    BadModel, // the model or its sidecar: fix or replace the model
    Io, // the disk or a file's permissions: fix the place
    Cancelled, // superseded or stopped by the user: not an error to show
    Internal, // a failure of ours or of a library: report it
};

ErrorKind errorKind(ErrorCode code);

// Exit status of the command-line tool: 1 for bad input, model or I/O (the documented
// contract: the other images are still processed), 130 for a cancelled run, 70 (EX_SOFTWARE)
// for an internal failure.
int exitCodeFor(ErrorCode code);

// A short headline for the GUI's message bar and dialogs: "The image cannot be used." …
std::string errorHeadline(ErrorCode code);

} // namespace fcs
