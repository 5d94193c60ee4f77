#include "engine/evaluate/EvaluationStore.h"

#include "engine/core/Error.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/CsvTable.h"
#include "engine/io/WholeFile.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <tuple>

#include <unistd.h>

namespace fcs {
namespace {

namespace fs = std::filesystem;

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value); // round-trips exactly
    return text;
}

std::string optionalNumber(const std::optional<double>& value)
{
    return value ? number(*value) : std::string();
}

std::string curveText(const std::vector<double>& curve)
{
    std::string out;
    for (double v : curve)
        out += (out.empty() ? "" : " ") + number(v);
    return out;
}

double parseNumber(const std::string& text, std::size_t line)
{
    const auto value = parseNumberField(text);
    if (!value)
        throw Error(
            ErrorCode::BadData, "per_image.csv line " + std::to_string(line) + ": \"" + text + "\" is not a number.");
    return *value;
}

[[noreturn]] void badLine(std::size_t line, const std::string& what)
{
    throw Error(ErrorCode::BadData,
        "per_image.csv line " + std::to_string(line) + ": " + what
            + ". The file was changed or damaged after the evaluation wrote it.");
}

// A class index as written: a whole number from 0 up (a model has at most a few million classes).
int parseClass(const std::string& text, std::size_t line, const char* column)
{
    const auto value = parseIntegerField(text);
    if (!value || *value < 0 || *value > 10'000'000)
        badLine(line, std::string(column) + " \"" + text + "\" is not a class index");
    return int(*value);
}

// A probability, AUC or share: finite and within [0, 1].
double parseShare(const std::string& text, std::size_t line, const char* column)
{
    const double value = parseNumber(text, line);
    if (!std::isfinite(value) || value < 0 || value > 1)
        badLine(line, std::string(column) + " " + text + " is not between 0 and 1");
    return value;
}

std::vector<double> parseCurve(const std::string& text, std::size_t line)
{
    std::vector<double> curve;
    std::istringstream in(text);
    std::string value;
    while (in >> value)
        curve.push_back(parseShare(value, line, "a curve value"));
    return curve;
}

} // namespace

std::vector<std::string> perImageHeader()
{
    return {"image", "model", "method", "variant", "convention", "truth_class", "orig_top1", "orig_conf", "expl_top1",
        "expl_conf", "deletion_auc", "insertion_auc", "pointing_hit", "pointing_energy", "deletion_curve",
        "insertion_curve"};
}

std::string perImageLine(const EvaluationRecord& r)
{
    return csvLine({r.image, r.model, r.method, r.variant, r.convention,
        r.truthClass ? std::to_string(*r.truthClass) : std::string(), std::to_string(r.origTop1), number(r.origConf),
        std::to_string(r.explTop1), number(r.explConf), optionalNumber(r.deletionAuc), optionalNumber(r.insertionAuc),
        r.pointingHit ? std::to_string(int(*r.pointingHit)) : std::string(), optionalNumber(r.pointingEnergy),
        curveText(r.deletionCurve), curveText(r.insertionCurve)});
}

std::vector<EvaluationRecord> parsePerImage(const std::string& text, std::size_t* completeLines)
{
    std::size_t complete = 0;
    const auto rows = parseCsv(text, &complete);
    if (completeLines)
        *completeLines = complete;
    std::vector<EvaluationRecord> records;
    if (rows.empty())
        return records;
    // Files written before the pointing game lack its two columns; they are read as they are.
    auto header = perImageHeader();
    const bool beforePointing = rows[0] != header;
    if (beforePointing) {
        const auto pointing = std::find(header.begin(), header.end(), "pointing_hit");
        header.erase(pointing, pointing + 2); // pointing_hit, pointing_energy
        if (rows[0] != header)
            throw Error(ErrorCode::BadData,
                "per_image.csv has unexpected columns; it was not written by this version of Feature CAM Studio.");
    }
    const auto column = [&header](const char* name) {
        return std::size_t(std::find(header.begin(), header.end(), name) - header.begin());
    };
    // Every column by its name in the header, none by position.
    const std::size_t image = column("image"), model = column("model"), method = column("method"),
                      variant = column("variant"), convention = column("convention"),
                      truthClass = column("truth_class"), origTop1 = column("orig_top1"),
                      origConf = column("orig_conf"), explTop1 = column("expl_top1"), explConf = column("expl_conf"),
                      deletionAuc = column("deletion_auc"), insertionAuc = column("insertion_auc"),
                      pointingHit = column("pointing_hit"), pointingEnergy = column("pointing_energy"),
                      deletionCurve = column("deletion_curve"), insertionCurve = column("insertion_curve");
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, std::size_t> firstLineOfKey;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        const std::size_t line = i + 1;
        if (row.size() != header.size())
            throw Error(ErrorCode::BadData,
                "per_image.csv line " + std::to_string(line) + " has " + std::to_string(row.size()) + " fields, not "
                    + std::to_string(header.size()) + ".");
        EvaluationRecord r;
        r.image = row[image];
        r.model = row[model];
        r.method = row[method];
        r.variant = row[variant];
        r.convention = row[convention];
        if (!row[truthClass].empty())
            r.truthClass = parseClass(row[truthClass], line, "truth_class");
        r.origTop1 = parseClass(row[origTop1], line, "orig_top1");
        r.origConf = parseShare(row[origConf], line, "orig_conf");
        r.explTop1 = parseClass(row[explTop1], line, "expl_top1");
        r.explConf = parseShare(row[explConf], line, "expl_conf");
        if (!row[deletionAuc].empty())
            r.deletionAuc = parseShare(row[deletionAuc], line, "deletion_auc");
        if (!row[insertionAuc].empty())
            r.insertionAuc = parseShare(row[insertionAuc], line, "insertion_auc");
        if (!beforePointing && !row[pointingHit].empty()) {
            const double hit = parseNumber(row[pointingHit], line);
            if (hit != 0 && hit != 1)
                throw Error(ErrorCode::BadData,
                    "per_image.csv line " + std::to_string(line) + ": pointing_hit must be 0 or 1.");
            r.pointingHit = hit == 1;
        }
        if (!beforePointing && !row[pointingEnergy].empty())
            r.pointingEnergy = parseShare(row[pointingEnergy], line, "pointing_energy");
        r.deletionCurve = parseCurve(row[deletionCurve], line);
        r.insertionCurve = parseCurve(row[insertionCurve], line);
        const auto [first, added]
            = firstLineOfKey.emplace(std::make_tuple(r.image, r.model, r.method, r.variant, r.convention), line);
        if (!added)
            badLine(line,
                "it repeats line " + std::to_string(first->second)
                    + " (the same image, model, method, "
                      "variant and convention)");
        records.push_back(std::move(r));
    }
    return records;
}

EvaluationStore::EvaluationStore(const std::string& folder, const QJsonObject& run, int recordsPerGroup)
    : m_folder(folder)
    , m_recordsPerGroup(recordsPerGroup)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (!fs::is_directory(folder))
        throw Error(ErrorCode::WriteFailed, "Cannot create the output folder \"" + folder + "\".");

    const fs::path runFile = fs::path(folder) / "run.json";
    const fs::path csvFile = perImagePath();
    if (fs::exists(runFile)) {
        const auto previous
            = QJsonDocument::fromJson(QByteArray::fromStdString(readWholeFile(runFile).value_or(std::string())))
                  .object();
        // A run.json written before models were fingerprinted is the same run when all else agrees
        // (its fingerprints are then recorded); with them, other files under the same names are not.
        const auto withoutFingerprints = [](QJsonObject object) {
            object.remove("model_fingerprints");
            return object;
        };
        const bool sameButFingerprints = withoutFingerprints(previous) == withoutFingerprints(run);
        const bool beforeFingerprints = !previous.contains("model_fingerprints") && sameButFingerprints;
        if (previous != run && !beforeFingerprints)
            throw Error(ErrorCode::BadData,
                "\"" + folder + "\" holds an evaluation with other settings, images or models (see its run.json"
                    + (sameButFingerprints
                            ? std::string(": a model of the same name is another file now — other weights, "
                                          "sidecar or labels")
                            : std::string())
                    + "). Choose another --out folder, or delete this one to start over.");
        if (beforeFingerprints)
            writeFileAtomically(runFile.string(), QJsonDocument(run).toJson().toStdString());
    } else {
        if (fs::exists(csvFile))
            throw Error(ErrorCode::BadData,
                "\"" + folder + "\" has a per_image.csv but no run.json; refusing to overwrite it.");
        writeFileAtomically(runFile.string(), QJsonDocument(run).toJson().toStdString());
    }

    // Keep the complete groups of an earlier run; rewrite the file if anything was cut short.
    bool rewrite = !fs::exists(csvFile);
    if (!rewrite) {
        std::string text = readWholeFile(csvFile).value_or(std::string());
        // A file of an earlier version gets today's header (and its rows the empty new fields).
        rewrite = text.compare(0, csvLine(perImageHeader()).size(), csvLine(perImageHeader())) != 0;
        const std::size_t lastLineEnd = text.rfind('\n');
        const std::size_t complete = lastLineEnd == std::string::npos ? 0 : lastLineEnd + 1;
        if (complete < text.size()) {
            text.resize(complete); // a half-written last line
            rewrite = true;
        }
        auto rows = parsePerImage(text);
        std::map<std::pair<std::string, std::string>, int> counts;
        for (const auto& r : rows)
            ++counts[{r.image, r.model}];
        for (auto& r : rows) {
            if (counts[{r.image, r.model}] == m_recordsPerGroup)
                m_records.push_back(std::move(r));
            else
                rewrite = true;
        }
        for (const auto& [key, count] : counts)
            if (count == m_recordsPerGroup)
                m_done.insert(key);
        m_resumedGroups = m_done.size();
    }
    if (rewrite) {
        std::string text = csvLine(perImageHeader());
        for (const auto& r : m_records)
            text += perImageLine(r);
        writeFileAtomically(csvFile.string(), text);
    }
    m_file = std::fopen(csvFile.c_str(), "ab");
    if (!m_file)
        throw Error(ErrorCode::WriteFailed, "Cannot append to \"" + csvFile.string() + "\".");
}

EvaluationStore::~EvaluationStore()
{
    if (m_file)
        std::fclose(m_file);
}

std::string EvaluationStore::perImagePath() const
{
    return (fs::path(m_folder) / "per_image.csv").string();
}

bool EvaluationStore::isDone(const std::string& image, const std::string& model) const
{
    return m_done.count({image, model}) > 0;
}

void EvaluationStore::append(const std::vector<EvaluationRecord>& group)
{
    if (group.empty())
        return;
    if (int(group.size()) != m_recordsPerGroup)
        throw Error(ErrorCode::Internal, "EvaluationStore::append: a group has the wrong number of records.");
    std::string text;
    for (const auto& r : group)
        text += perImageLine(r);
    // One write, then flush and fsync: a kill leaves at most a partial last group, dropped on resume.
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size() || std::fflush(m_file) != 0
        || ::fsync(fileno(m_file)) != 0)
        throw Error(ErrorCode::WriteFailed, "Cannot write to \"" + perImagePath() + "\" (is the disk full?).");
    m_records.insert(m_records.end(), group.begin(), group.end());
    m_done.insert({group.front().image, group.front().model});
}

} // namespace fcs
