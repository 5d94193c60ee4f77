#pragma once
// RFC 4180 CSV: a header row, then records; fields with a comma, a quote or a line break are
// quoted. Enough for labels.csv, per_image.csv and the report tables. Torch-free. Any thread.

#include <optional>
#include <string>
#include <vector>

namespace fcs {

using CsvRow = std::vector<std::string>;

// Parses text into rows (a leading UTF-8 byte-order mark is skipped). An unterminated quote at the end (a half-written
// last line) ends the last row where the text ends; `completeLines`, when given, receives the number of rows that ended
// with a line break (a crash mid-write leaves the last row without one).
std::vector<CsvRow> parseCsv(const std::string& text, std::size_t* completeLines = nullptr);

std::string csvField(const std::string& field); // quoted when needed
std::string csvLine(const CsvRow& row); // fields joined by commas, ending in '\n'

// Index of `name` in a header row, or -1; case and surrounding spaces are ignored, as
// spreadsheets write "File" or " class_index".
int csvColumn(const CsvRow& header, const std::string& name);

std::string trimmed(const std::string& text); // without surrounding spaces and tabs

// The records after the header row, each field trimmed, blank lines left out, each with its
// line number (the header is line 1), as spreadsheets save them.
struct CsvRecord
{
    std::size_t line = 0;
    CsvRow fields;
};
std::vector<CsvRecord> dataRecords(const std::vector<CsvRow>& rows);

// A field read whole, as std::stod / std::stol read it; nullopt when empty, when characters are
// left over, or out of range. (NaN and infinities read as numbers: callers refuse them where
// they mean nothing.)
std::optional<double> parseNumberField(const std::string& text);
std::optional<long> parseIntegerField(const std::string& text);

} // namespace fcs
