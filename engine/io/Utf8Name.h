#pragma once
// File names that are not UTF-8 (a Latin-1 "café.jpg" copied from an old disk). The tool keeps
// names in UTF-8 text — run.json, per_image.csv, shard.json, Qt's strings — where such a name
// would change into another, so it is refused where it enters, with a name a person can read.

#include <string>
#include <string_view>

namespace fcs {

// True when `text` is well-formed UTF-8 (no stray, overlong or surrogate sequences).
bool isUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed UTF-8 sequence written as \xNN.
std::string escapedName(std::string_view text);

// "… is not UTF-8 …: rename it", to follow a sentence's subject: "The file \"caf\xE9.jpg\"".
std::string notUtf8Advice();

// U+FFFD in a name that came through a QString: the bytes it stood for are lost, so a file of
// that name cannot be found. Says so (for "does not exist" messages), or "" for other names.
std::string lostBytesHint(std::string_view path);

} // namespace fcs
