#include "engine/io/CsvTable.h"

#include <algorithm>
#include <cctype>

namespace fcs {

std::vector<CsvRow> parseCsv(const std::string& text, std::size_t* completeLines)
{
    std::vector<CsvRow> rows;
    CsvRow row;
    std::string field;
    bool quoted = false, rowStarted = false;
    std::size_t complete = 0;
    // Spreadsheet programs start UTF-8 files with a byte-order mark; it is not part of the header.
    const std::size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    for (std::size_t i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        rowStarted = true;
        if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            rowStarted = false;
            ++complete;
        } else {
            field += c;
        }
    }
    if (rowStarted) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    if (completeLines)
        *completeLines = complete;
    return rows;
}

std::string csvField(const std::string& field)
{
    if (field.find_first_of(",\"\r\n") == std::string::npos)
        return field;
    std::string out = "\"";
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

std::string csvLine(const CsvRow& row)
{
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0)
            line += ',';
        line += csvField(row[i]);
    }
    return line + '\n';
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<CsvRecord> dataRecords(const std::vector<CsvRow>& rows)
{
    std::vector<CsvRecord> records;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CsvRecord record{i + 1, rows[i]};
        bool blank = true;
        for (auto& field : record.fields) {
            field = trimmed(field);
            blank = blank && field.empty();
        }
        if (!blank)
            records.push_back(std::move(record));
    }
    return records;
}

namespace {

// The whole text through `parse` (std::stod, std::stol), or nullopt.
template <typename T, typename Parse> std::optional<T> parseWhole(const std::string& text, Parse parse)
{
    std::size_t used = 0;
    T value{};
    try {
        value = parse(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return used == text.size() ? std::optional<T>(value) : std::nullopt;
}

} // namespace

std::optional<double> parseNumberField(const std::string& text)
{
    return parseWhole<double>(text, [](const std::string& t, std::size_t* used) { return std::stod(t, used); });
}

std::optional<long> parseIntegerField(const std::string& text)
{
    return parseWhole<long>(text, [](const std::string& t, std::size_t* used) { return std::stol(t, used); });
}

int csvColumn(const CsvRow& header, const std::string& name)
{
    const auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        return s;
    };
    for (std::size_t i = 0; i < header.size(); ++i)
        if (lower(trimmed(header[i])) == lower(name))
            return int(i);
    return -1;
}

} // namespace fcs
