#include "engine/evaluate/EvaluationReport.h"

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationRecord.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/CsvTable.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

namespace fcs {
namespace {

struct MetricInfo
{
    TableMetric metric;
    const char* title;
    const char* file;
    bool percent;
    bool perMap; // a property of the map, not of the explanation image: the same in both conventions
};

const std::vector<MetricInfo>& metricInfos()
{
    static const std::vector<MetricInfo> infos = {
        {TableMetric::RightClassification, "Table 2. Right classification %", "table2_right_classification", true,
            false},
        {TableMetric::AvgConfidence, "Table 3. Average confidence %", "table3_avg_confidence", true, false},
        {TableMetric::AverageDrop, "Average Drop % (lower is better)", "table_average_drop", true, false},
        {TableMetric::IncreaseInConfidence, "Increase in Confidence % (higher is better)",
            "table_increase_in_confidence", true, false},
        {TableMetric::DeletionAuc, "Deletion AUC (lower is better)", "table_deletion_auc", false, true},
        {TableMetric::InsertionAuc, "Insertion AUC (higher is better)", "table_insertion_auc", false, true},
        {TableMetric::PointingHitRate, "Pointing game hit rate % (higher is better)", "table_pointing_hit_rate", true,
            true},
        {TableMetric::PointingEnergy, "Energy-based pointing game % of the map in the boxes (higher is better)",
            "table_pointing_energy", true, true},
    };
    return infos;
}

std::optional<double> metricValue(const SummaryRow& row, TableMetric metric)
{
    switch (metric) {
    case TableMetric::RightClassification:
        return row.rightClassification;
    case TableMetric::AvgConfidence:
        return row.avgConfidence;
    case TableMetric::AverageDrop:
        return row.averageDrop;
    case TableMetric::IncreaseInConfidence:
        return row.increaseInConfidence;
    case TableMetric::DeletionAuc:
        return row.deletionAuc;
    case TableMetric::InsertionAuc:
        return row.insertionAuc;
    case TableMetric::PointingHitRate:
        return row.pointingHitRate;
    case TableMetric::PointingEnergy:
        return row.pointingEnergy;
    }
    return std::nullopt;
}

std::string format(const std::optional<double>& value, bool percent)
{
    if (!value)
        return {};
    char text[32];
    std::snprintf(text, sizeof text, percent ? "%.1f" : "%.3f", *value);
    return text;
}

QJsonValue optionalJson(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

} // namespace

std::vector<MetricTable> metricTables(const std::vector<SummaryRow>& rows, const std::vector<ModelAccuracy>& accuracies)
{
    // The columns: every variant seen, in canonical order, then the baselines.
    std::set<std::pair<int, std::string>> variantColumns;
    std::set<std::string> conventions;
    std::set<std::pair<std::string, std::pair<int, std::string>>> rowKeys; // model, (order, method)
    for (const auto& r : rows) {
        conventions.insert(r.convention);
        if (r.method != kBaselineMethod) {
            variantColumns.insert({variantOrder(r.variant), r.variant});
            rowKeys.insert({r.model, {methodOrder(r.method), r.method}});
        }
    }
    variantColumns.insert({variantOrder(kSobelBaseline), kSobelBaseline});
    variantColumns.insert({variantOrder(kRandomBaseline), kRandomBaseline});
    std::map<std::tuple<std::string, std::string, std::string, std::string>, const SummaryRow*> byKey;
    for (const auto& r : rows)
        byKey[{r.model, r.convention, r.method, r.variant}] = &r;
    std::map<std::string, double> accuracyByModel;
    for (const auto& a : accuracies)
        accuracyByModel[a.model] = a.top1Accuracy;

    std::vector<MetricTable> tables;
    for (const auto& info : metricInfos()) {
        const bool isAuc = info.metric == TableMetric::DeletionAuc || info.metric == TableMetric::InsertionAuc;
        for (const auto& convention : conventions) {
            // A per-map metric is the same in both conventions: one table, from the first one's rows.
            if (info.perMap && convention != *conventions.begin())
                continue;
            MetricTable table;
            table.title = std::string(info.title)
                + (isAuc                       ? " — per map, black baseline (either convention)"
                        : info.perMap          ? " — per map, where the image has boxes (either convention)"
                        : convention == "hard" ? " — hard mask (the paper's)"
                                               : " — soft (map × image)");
            table.fileName = std::string(info.file) + (info.perMap ? "" : "_" + convention) + ".csv";
            const char* original
                = info.metric == TableMetric::RightClassification ? "Original top-1 accuracy" : "Original";
            table.header = {"Classifier", "Method", original};
            for (const auto& [order, variant] : variantColumns)
                table.header.push_back(variant);
            bool anyValue = false;
            for (const auto& [model, method] : rowKeys) {
                std::vector<std::string> line = {model, method.second};
                std::optional<double> originalValue;
                const auto base = byKey.find({model, convention, method.second, kBaseVariant});
                if (info.metric == TableMetric::RightClassification && accuracyByModel.count(model))
                    originalValue = accuracyByModel[model];
                else if (info.metric == TableMetric::AvgConfidence && base != byKey.end())
                    originalValue = base->second->origAvgConfidence;
                line.push_back(format(originalValue, true));
                for (const auto& [order, variant] : variantColumns) {
                    const bool baseline = isBaselineVariant(variant);
                    const auto found
                        = byKey.find({model, convention, baseline ? kBaselineMethod : method.second, variant});
                    const auto value = found == byKey.end() ? std::nullopt : metricValue(*found->second, info.metric);
                    anyValue = anyValue || value.has_value();
                    line.push_back(format(value, info.percent));
                }
                table.rows.push_back(std::move(line));
            }
            if (anyValue || !info.perMap)
                tables.push_back(std::move(table));
        }
    }
    return tables;
}

std::string formatTable(const MetricTable& table)
{
    std::vector<std::size_t> widths(table.header.size(), 0);
    auto measure = [&widths](const std::vector<std::string>& line) {
        for (std::size_t i = 0; i < line.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], line[i].size());
    };
    measure(table.header);
    for (const auto& row : table.rows)
        measure(row);
    auto render = [&widths](const std::vector<std::string>& line) {
        std::string out;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const std::string cell = line[i].empty() ? "—" : line[i];
            const std::size_t shown = line[i].empty() ? 1 : cell.size(); // "—" is one column wide
            const std::string pad(widths[i] > shown ? widths[i] - shown : 0, ' ');
            out += i < 2 ? cell + pad : pad + cell; // names left, numbers right
            out += i + 1 < line.size() ? "  " : "\n";
        }
        return out;
    };
    std::string out = table.title + "\n" + render(table.header);
    for (const auto& row : table.rows)
        out += render(row);
    return out;
}

std::string tableCsv(const MetricTable& table)
{
    std::string out = csvLine(table.header);
    for (const auto& row : table.rows)
        out += csvLine(row);
    return out;
}

QJsonObject summaryJson(const std::vector<SummaryRow>& rows, const std::vector<ModelAccuracy>& accuracies,
    const std::vector<SkippedImage>& skipped, const QJsonObject& run)
{
    QJsonArray rowArray;
    for (const auto& r : rows) {
        QJsonObject row{
            {"model", QString::fromStdString(r.model)},
            {"method", QString::fromStdString(r.method)},
            {"variant", QString::fromStdString(r.variant)},
            {"convention", QString::fromStdString(r.convention)},
            {"n", r.n},
            {"right_classification", r.rightClassification},
            {"avg_confidence", r.avgConfidence},
            {"orig_avg_confidence", r.origAvgConfidence},
            {"increase_vs_original", r.increaseVsOriginal},
            {"increase_vs_base", optionalJson(r.increaseVsBase)},
            {"average_drop", r.averageDrop},
            {"increase_in_confidence", r.increaseInConfidence},
            {"deletion_auc", optionalJson(r.deletionAuc)},
            {"insertion_auc", optionalJson(r.insertionAuc)},
            {"pointing_n", r.pointingN},
            {"pointing_hit_rate", optionalJson(r.pointingHitRate)},
            {"pointing_energy", optionalJson(r.pointingEnergy)},
        };
        rowArray.append(row);
    }
    QJsonArray models;
    for (const auto& a : accuracies)
        models.append(
            QJsonObject{{"model", QString::fromStdString(a.model)}, {"n", a.n}, {"top1_accuracy", a.top1Accuracy}});
    QJsonArray skippedArray;
    for (const auto& s : skipped)
        skippedArray.append(
            QJsonObject{{"image", QString::fromStdString(s.image)}, {"reason", QString::fromStdString(s.reason)}});
    return {{"rows", rowArray}, {"models", models}, {"skipped", skippedArray}, {"settings", run}};
}

void writeReport(const std::string& folder, const QJsonObject& summary, const std::vector<MetricTable>& tables)
{
    namespace fs = std::filesystem;
    auto write = [](const fs::path& path, const QByteArray& bytes) {
        writeFileAtomically(path.string(), bytes.toStdString());
    };
    write(fs::path(folder) / "summary.json", QJsonDocument(summary).toJson());
    for (const auto& table : tables)
        write(fs::path(folder) / table.fileName, QByteArray::fromStdString(tableCsv(table)));
}

} // namespace fcs
