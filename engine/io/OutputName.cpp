#include "engine/io/OutputName.h"

#include <algorithm>
#include <filesystem>

namespace fcs {

std::string safeOutputName(const std::string& imagePath)
{
    std::string name = std::filesystem::path(imagePath).stem().string();
    for (char& c : name)
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = '_';
    // A leading dot hides the folder; only dots (".", "..") would leave the output folder.
    const auto firstNonDot = name.find_first_not_of('.');
    name = firstNonDot == std::string::npos ? std::string() : name.substr(firstNonDot);
    constexpr std::size_t kMaxBytes = 100;
    if (name.size() > kMaxBytes) {
        name.resize(kMaxBytes);
        while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80)
            name.pop_back(); // do not cut a UTF-8 character in half
        if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0)
            name.pop_back();
    }
    return name.empty() ? "image" : name;
}

std::string uniqueOutputName(const std::string& imagePath, std::set<std::string>& used)
{
    const std::string base = safeOutputName(imagePath);
    std::string name = base;
    for (int i = 2; !used.insert(name).second; ++i)
        name = base + "-" + std::to_string(i);
    return name;
}

} // namespace fcs
