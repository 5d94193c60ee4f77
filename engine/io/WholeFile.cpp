#include "engine/io/WholeFile.h"

#include <fstream>
#include <sstream>

namespace fcs {

namespace fs = std::filesystem;

std::optional<std::string> readWholeFile(const fs::path& path, std::string* whyNot)
{
    const auto fail = [whyNot](const char* reason) -> std::optional<std::string> {
        if (whyNot)
            *whyNot = reason;
        return std::nullopt;
    };
    std::error_code error;
    const auto status = fs::status(path, error); // follows symlinks: a link to a file is that file
    if (error || !fs::exists(status))
        return fail("it does not exist");
    if (!fs::is_regular_file(status)) // checked before opening: opening a pipe blocks
        return fail("it is not a regular file (a folder, a pipe or a device)");
    if (fs::file_size(path, error) > kMaxWholeFileBytes || error)
        return fail("it is larger than 2 GiB");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("it cannot be opened (check its permissions)");
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad())
        return fail("reading it failed");
    return text.str();
}

} // namespace fcs
