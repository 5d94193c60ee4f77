#include "engine/evaluate/Sharding.h"

#include "engine/core/Error.h"
#include "engine/core/Limits.h"

#include "engine/io/AtomicFile.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <filesystem>
#include <numeric>

namespace fcs {
namespace {

int parsePositive(const std::string& text, const std::string& whole)
{
    std::size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || value < 1 || value > limits::kMaxShards)
        throw Error(ErrorCode::InvalidArgument,
            "--shard takes I/N with 1 <= I <= N <= " + std::to_string(limits::kMaxShards) + " (e.g. 2/64); got \""
                + whole + "\".");
    return int(value);
}

} // namespace

std::string ShardSpec::label() const
{
    return std::to_string(index) + "/" + std::to_string(count);
}

ShardSpec parseShardSpec(const std::string& text)
{
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        throw Error(ErrorCode::InvalidArgument, "--shard takes I/N (e.g. 2/64); got \"" + text + "\".");
    ShardSpec shard{parsePositive(text.substr(0, slash), text), parsePositive(text.substr(slash + 1), text)};
    if (shard.index > shard.count)
        throw Error(
            ErrorCode::InvalidArgument, "--shard " + text + ": the shard number must be at most the number of shards.");
    return shard;
}

std::vector<ShardImage> imagesOfShard(const std::vector<EvaluationImage>& images, const ShardSpec& shard)
{
    std::vector<int> byName(images.size());
    std::iota(byName.begin(), byName.end(), 0);
    std::sort(byName.begin(), byName.end(), [&](int a, int b) { return images[a].name < images[b].name; });
    std::vector<int> chosen;
    for (std::size_t j = shard.index - 1; j < byName.size(); j += std::size_t(shard.count))
        chosen.push_back(byName[j]);
    std::sort(chosen.begin(), chosen.end()); // run them in the set's order, as a whole run would
    std::vector<ShardImage> result;
    for (int position : chosen)
        result.push_back({images[position], position});
    return result;
}

std::string imageSetDigest(const std::vector<EvaluationImage>& images)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto& image : images) {
        const std::string row = image.name + '\t' + (image.truthClass ? std::to_string(*image.truthClass) : "") + '\n';
        hash.addData(QByteArrayView(row.data(), qsizetype(row.size())));
    }
    return hash.result().toHex().toStdString();
}

QJsonObject shardJson(const ShardSpec& shard, const std::vector<EvaluationImage>& images, int recordsPerImage)
{
    return {{"index", shard.index}, {"count", shard.count}, {"set_size", int(images.size())},
        {"set_digest", QString::fromStdString(imageSetDigest(images))}, {"records_per_image", recordsPerImage}};
}

void writeShardStatus(const std::string& folder, const QJsonObject& shard, const std::vector<ShardImage>& images,
    const std::vector<SkippedImage>& skipped, bool complete)
{
    QJsonArray imageArray;
    for (const auto& image : images)
        imageArray.append(
            QJsonObject{{"name", QString::fromStdString(image.image.name)}, {"position", image.position}});
    QJsonArray skippedArray;
    for (const auto& s : skipped)
        skippedArray.append(
            QJsonObject{{"image", QString::fromStdString(s.image)}, {"reason", QString::fromStdString(s.reason)}});
    const QJsonObject status{
        {"shard", shard}, {"complete", complete}, {"images", imageArray}, {"skipped", skippedArray}};
    writeFileAtomically(
        (std::filesystem::path(folder) / kShardStatusFile).string(), QJsonDocument(status).toJson().toStdString());
}

} // namespace fcs
