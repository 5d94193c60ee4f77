#pragma once
// Splitting an evaluation's image set into N shards that separate machines run, and the
// description each shard writes so that a merge can check that the shards form one whole run.
//
// The rule: sort the set's names (as written in per_image.csv) byte-wise; the image at sorted
// position j belongs to shard (j mod N) + 1. Sorting makes the split independent of the order
// a folder is listed in or a CSV is written in; taking every N-th name keeps the shards within
// one image of each other. Every image of the set lands in exactly one shard. Torch-free.

#include "engine/evaluate/EvaluationRun.h"
#include "engine/evaluate/ImageSet.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace fcs {

struct ShardSpec
{
    int index = 1; // 1..count
    int count = 1;

    std::string label() const; // "2/64"
};

// "I/N" with 1 <= I <= N <= kMaxShards. Throws fcs::Error(InvalidArgument) otherwise.
ShardSpec parseShardSpec(const std::string& text);

// The images of `shard`, each with its position in the whole set (rows of a merged run follow
// the set's order, as a single-machine run writes them).
struct ShardImage
{
    EvaluationImage image;
    int position = 0;
};
std::vector<ShardImage> imagesOfShard(const std::vector<EvaluationImage>& images, const ShardSpec& shard);

// A fingerprint of the set (names, ground truth and order), so that shards cut from different
// lists — or from one list that changed between tasks — cannot be merged.
std::string imageSetDigest(const std::vector<EvaluationImage>& images);

// The "shard" object of a shard's run.json: index, count, the set's size and digest, and the
// rows one image gives (so that a merge can tell a finished image from a cut-short one).
QJsonObject shardJson(const ShardSpec& shard, const std::vector<EvaluationImage>& images, int recordsPerImage);

// shard.json, written when a shard's run ends (finished or not): its images with their
// positions in the set, the images skipped with their reasons, and whether every image of the
// shard is done. A task that was killed leaves no shard.json or one with "complete": false.
constexpr const char* kShardStatusFile = "shard.json";
void writeShardStatus(const std::string& folder, const QJsonObject& shard, const std::vector<ShardImage>& images,
    const std::vector<SkippedImage>& skipped, bool complete);

} // namespace fcs
