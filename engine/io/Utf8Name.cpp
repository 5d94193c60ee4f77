#include "engine/io/Utf8Name.h"

#include <cstdint>
#include <cstdio>

namespace fcs {
namespace {

// Length of the well-formed UTF-8 sequence at text[i], or 0 when it is not one (RFC 3629).
std::size_t sequenceLength(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return std::uint8_t(text[k]); };
    const std::uint8_t lead = byte(i);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    std::uint8_t low = 0x80, high = 0xBF; // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0; // overlong
        if (lead == 0xED)
            high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90; // overlong
        if (lead == 0xF4)
            high = 0x8F; // above U+10FFFF
    } else
        return 0;
    if (i + length > text.size())
        return 0;
    if (byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return length;
}

} // namespace

bool isUtf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = sequenceLength(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

std::string escapedName(std::string_view text)
{
    std::string shown;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = sequenceLength(text, i);
        if (length > 0) {
            shown.append(text.substr(i, length));
            i += length;
            continue;
        }
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02X", unsigned(std::uint8_t(text[i])));
        shown += hex;
        ++i;
    }
    return shown;
}

std::string notUtf8Advice()
{
    return " is not UTF-8 (the bytes shown as \\xNN are of another encoding, such as Latin-1). Feature CAM "
           "Studio writes names into UTF-8 files and needs UTF-8 names: rename it, for example with "
           "`convmv -f latin1 -t utf-8 --notest NAME`.";
}

std::string lostBytesHint(std::string_view path)
{
    if (path.find("\xEF\xBF\xBD") == std::string_view::npos)
        return {};
    return " Its name holds a character shown as \xEF\xBF\xBD: the file's real name is probably not UTF-8, which "
           "Feature CAM Studio needs. Rename the file to a UTF-8 name (for example with "
           "`convmv -f latin1 -t utf-8 --notest NAME`).";
}

} // namespace fcs
