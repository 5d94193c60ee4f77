#include "engine/evaluate/ShardMerge.h"

#include "engine/core/Error.h"
#include "engine/evaluate/EvaluationStore.h"
#include "engine/evaluate/Sharding.h"
#include "engine/io/WholeFile.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

namespace fcs {
namespace {

namespace fs = std::filesystem;

struct Shard
{
    std::string folder;
    std::string label; // "2/64"
    int index = 0;
    QJsonObject run;
    QJsonObject status; // shard.json
    std::vector<EvaluationRecord> records;
};

std::string named(const Shard& shard)
{
    return "shard " + shard.label + " (\"" + shard.folder + "\")";
}

QJsonObject readJsonObject(const fs::path& path, const std::string& folder, const std::string& missingMessage)
{
    std::string whyNot;
    const auto bytes = readWholeFile(path, &whyNot);
    std::error_code missing;
    if (!bytes && fs::exists(path, missing)) // never throws, a symlink loop included
        throw Error(
            ErrorCode::BadData, "\"" + folder + "\": cannot read " + path.filename().string() + ": " + whyNot + ".");
    if (!bytes)
        throw Error(ErrorCode::BadData, missingMessage);
    QJsonParseError parseError;
    const auto document = QJsonDocument::fromJson(QByteArray::fromStdString(*bytes), &parseError);
    if (!document.isObject())
        throw Error(ErrorCode::BadData,
            "\"" + folder + "\": " + path.filename().string() + " is not valid JSON ("
                + parseError.errorString().toStdString() + ").");
    return document.object();
}

// The run.json fields in which two shards differ, the shard number aside.
std::vector<std::string> differingFields(QJsonObject a, QJsonObject b)
{
    for (QJsonObject* run : {&a, &b}) {
        QJsonObject shard = (*run)["shard"].toObject();
        shard.remove("index");
        (*run)["shard"] = shard;
    }
    std::set<QString> keys;
    for (const QJsonObject* run : {&a, &b})
        for (auto it = run->begin(); it != run->end(); ++it)
            keys.insert(it.key());
    std::vector<std::string> fields;
    for (const QString& key : keys)
        if (a.value(key) != b.value(key))
            fields.push_back(key == "shard" ? "shard (the image set or the number of shards)"
                    : key == "model_fingerprints"
                    ? "model_fingerprints (a model of the same name was another file: other weights, sidecar or labels)"
                    : key.toStdString());
    return fields;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

Shard readShard(const std::string& folder)
{
    Shard shard;
    shard.folder = folder;
    shard.run = readJsonObject(
        fs::path(folder) / "run.json", folder, "\"" + folder + "\" is not an evaluation folder (it has no run.json).");
    const QJsonObject spec = shard.run["shard"].toObject();
    if (spec.isEmpty())
        throw Error(ErrorCode::BadData,
            "\"" + folder
                + "\" holds a run of the whole image set, not a shard (its run.json has no \"shard\"); "
                  "merge joins the folders that evaluate --shard I/N writes.");
    shard.index = spec["index"].toInt();
    const int count = spec["count"].toInt();
    shard.label = std::to_string(shard.index) + "/" + std::to_string(count);
    if (count < 1 || shard.index < 1 || shard.index > count || spec["set_size"].toInt(-1) < 0)
        throw Error(ErrorCode::BadData,
            "\"" + folder
                + "\" holds a run.json whose \"shard\" is not a shard I/N of a set of images "
                  "(it was changed after evaluate wrote it).");
    shard.status = readJsonObject(fs::path(folder) / kShardStatusFile, folder,
        named(shard) + " has not finished: it has no " + kShardStatusFile
            + " yet. Run its task again (the same command resumes it).");
    std::string whyNot;
    const auto csv = readWholeFile(fs::path(folder) / "per_image.csv", &whyNot);
    if (!csv)
        throw Error(ErrorCode::BadData, named(shard) + ": cannot read its per_image.csv: " + whyNot + ".");
    if (!csv->empty() && csv->back() != '\n') // the store writes whole lines only
        throw Error(ErrorCode::BadData,
            named(shard)
                + ": its per_image.csv ends inside a line (cut short or changed after it was written). "
                  "Run the shard's task again: it resumes and writes the file whole.");
    try {
        shard.records = parsePerImage(*csv);
    } catch (const Error& e) {
        throw Error(ErrorCode::BadData, named(shard) + ": " + e.userMessage());
    }
    return shard;
}

// Checks that every image of the shard is finished for every classifier or skipped, and that
// the shard holds no other image. Returns each image's position in the set.
std::map<std::string, int> checkShardComplete(const Shard& shard, const std::vector<std::string>& models)
{
    const int perImage = shard.run["shard"].toObject()["records_per_image"].toInt();
    std::map<std::string, int> positions;
    const QJsonObject spec = shard.run["shard"].toObject();
    const int count = spec["count"].toInt(), setSize = spec["set_size"].toInt();
    for (const auto& image : shard.status["images"].toArray()) {
        const std::string name = image.toObject()["name"].toString().toStdString();
        const int position = image.toObject()["position"].toInt(-1);
        if (position < 0 || position >= setSize)
            throw Error(ErrorCode::BadData,
                named(shard) + ": its " + kShardStatusFile + " puts \"" + name + "\" at position "
                    + std::to_string(position) + ", outside the set of " + std::to_string(setSize) + " images.");
        positions[name] = position;
    }
    // The rule gives shard I of N the sorted ranks I-1, I-1+N, …: a status listing more or fewer
    // images was changed.
    const int expected = setSize >= shard.index ? (setSize - shard.index) / count + 1 : 0;
    if (int(positions.size()) != expected)
        throw Error(ErrorCode::BadData,
            named(shard) + ": its " + kShardStatusFile + " lists " + std::to_string(positions.size())
                + " different images, but the rule gives this shard " + std::to_string(expected) + " of the set of "
                + std::to_string(setSize) + ".");
    std::set<std::string> skipped;
    for (const auto& s : shard.status["skipped"].toArray())
        skipped.insert(s.toObject()["image"].toString().toStdString());

    std::map<std::pair<std::string, std::string>, int> rows;
    for (const auto& r : shard.records) {
        if (!positions.count(r.image))
            throw Error(ErrorCode::BadData,
                named(shard) + " holds rows of \"" + r.image + "\", which is not one of its images.");
        if (std::find(models.begin(), models.end(), r.model) == models.end())
            throw Error(ErrorCode::BadData,
                named(shard) + " holds rows of the model \"" + r.model + "\", which is not one of the run's models.");
        ++rows[{r.image, r.model}];
    }
    int left = 0;
    std::string firstLeft;
    for (const auto& [name, position] : positions) {
        bool done = skipped.count(name) > 0;
        if (!done) {
            done = true;
            for (const auto& model : models)
                done = done && rows[{name, model}] == perImage;
        }
        if (!done && left++ == 0)
            firstLeft = name;
    }
    if (left > 0 || !shard.status["complete"].toBool())
        throw Error(ErrorCode::BadData,
            named(shard) + " has not finished: " + std::to_string(left) + " of its " + std::to_string(positions.size())
                + " images are not done" + (firstLeft.empty() ? "" : " (the first: " + firstLeft + ")")
                + ". Run its task again (the same command resumes it).");
    return positions;
}

std::vector<std::string> modelsOf(const QJsonObject& run)
{
    std::vector<std::string> models;
    for (const auto& model : run["models"].toArray())
        models.push_back(model.toString().toStdString());
    return models;
}

} // namespace

std::string whyShardUnfinished(const std::string& folder)
{
    try {
        const Shard shard = readShard(folder);
        checkShardComplete(shard, modelsOf(shard.run));
        return {};
    } catch (const Error& e) {
        return e.userMessage();
    } catch (const std::exception& e) {
        return "\"" + folder + "\" cannot be checked: " + e.what();
    }
}

MergedEvaluation mergeShards(const std::vector<std::string>& folders)
{
    if (folders.empty())
        throw Error(ErrorCode::InvalidArgument, "merge needs the shard folders to join.");
    std::vector<Shard> shards;
    for (const auto& folder : folders)
        shards.push_back(readShard(folder));

    const Shard& first = shards.front();
    const int count = first.run["shard"].toObject()["count"].toInt();
    std::map<int, Shard*> byIndex;
    for (auto& shard : shards) {
        const auto fields = differingFields(first.run, shard.run);
        if (!fields.empty())
            throw Error(ErrorCode::BadData,
                named(shard) + " is not part of the same run as " + named(first) + ": their run.json differ in "
                    + joined(fields) + ".");
        const auto [it, inserted] = byIndex.emplace(shard.index, &shard);
        if (!inserted)
            throw Error(ErrorCode::BadData,
                "shard " + shard.label + " is given twice: \"" + it->second->folder + "\" and \"" + shard.folder
                    + "\".");
    }
    std::vector<std::string> missing;
    for (int index = 1; index <= count; ++index)
        if (!byIndex.count(index))
            missing.push_back(std::to_string(index) + "/" + std::to_string(count));
    if (!missing.empty())
        throw Error(ErrorCode::BadData,
            "The run has " + std::to_string(count) + " shards, and " + joined(missing)
                + (missing.size() == 1 ? " is" : " are") + " missing from the folders given.");

    const std::vector<std::string> models = modelsOf(first.run);

    struct Row
    {
        int position;
        int model;
        EvaluationRecord record;
    };
    std::vector<Row> rows;
    std::vector<std::pair<int, SkippedImage>> skipped;
    std::map<int, const Shard*> owner; // position → shard
    for (const auto& [index, shard] : byIndex) {
        const auto positions = checkShardComplete(*shard, models);
        for (const auto& [name, position] : positions) {
            const auto [it, inserted] = owner.emplace(position, shard);
            if (!inserted)
                throw Error(ErrorCode::BadData,
                    "\"" + name + "\" is in both " + named(*it->second) + " and " + named(*shard) + ".");
        }
        for (auto& r : shard->records) {
            const int model = int(std::find(models.begin(), models.end(), r.model) - models.begin());
            const int position = positions.at(r.image);
            rows.push_back({position, model, std::move(r)});
        }
        shard->records = {}; // moved into rows: ImageNet's 2 million rows are held once
        for (const auto& s : shard->status["skipped"].toArray()) {
            const std::string name = s.toObject()["image"].toString().toStdString();
            skipped.push_back({positions.at(name), {name, s.toObject()["reason"].toString().toStdString()}});
        }
    }
    const int setSize = first.run["shard"].toObject()["set_size"].toInt();
    if (int(owner.size()) != setSize
        || (setSize > 0 && (owner.begin()->first != 0 || owner.rbegin()->first != setSize - 1)))
        throw Error(ErrorCode::BadData,
            "The shards hold " + std::to_string(owner.size()) + " images of a set of " + std::to_string(setSize)
                + "; they were not cut by one rule from one list.");

    // A single-machine run appends image by image, each classifier in turn; stable keeps the
    // rows of one image × classifier in the order they were written.
    std::stable_sort(rows.begin(), rows.end(),
        [](const Row& a, const Row& b) { return std::tie(a.position, a.model) < std::tie(b.position, b.model); });
    std::sort(skipped.begin(), skipped.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

    MergedEvaluation merged;
    merged.run = first.run;
    merged.run.remove("shard");
    merged.shardCount = count;
    for (auto& row : rows)
        merged.records.push_back(std::move(row.record));
    for (auto& s : skipped)
        merged.skipped.push_back(std::move(s.second));
    return merged;
}

} // namespace fcs
