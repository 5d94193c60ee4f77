#pragma once
// Joins the folders of a sharded evaluation (evaluate --shard I/N) into the records of the one
// run they are parts of, after checking that they are exactly that: the same settings, models,
// image set and shard count, every shard number once, every shard finished, every image of the
// set in one shard. The result is what a single-machine run of the same command holds — the
// same run.json, the same rows in the same order — so its tables come out identical. Torch-free.

#include "engine/evaluate/EvaluationRecord.h"
#include "engine/evaluate/EvaluationRun.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace fcs {

struct MergedEvaluation
{
    QJsonObject run; // run.json as a single-machine run writes it (no "shard")
    std::vector<EvaluationRecord> records; // in the set's order, classifiers in the run's order
    std::vector<SkippedImage> skipped; // in the set's order
    int shardCount = 0;
};

// Throws fcs::Error(BadData) that names the shard and its folder when a folder holds no sharded
// run, two shards differ (naming the run.json fields), a shard number is given twice or is
// missing, a shard has not finished (with how many of its images are left), or an image is in
// two shards or in a shard the rule does not give it.
MergedEvaluation mergeShards(const std::vector<std::string>& folders);

// Why the shard in `folder` cannot be merged (the message mergeShards would give for it alone),
// or "" when it has finished every image. A status that says "complete" is not taken on its
// word: the rows are counted, so a shard whose per_image.csv lost rows is run again rather
// than skipped by every resubmission while the merge keeps refusing it. Never throws.
std::string whyShardUnfinished(const std::string& folder);
inline bool isShardComplete(const std::string& folder) { return whyShardUnfinished(folder).empty(); }

} // namespace fcs
