#pragma once
// evaluate --slurm N: the run as a Slurm array job of N shard tasks and a merge job that waits
// for all of them (afterok). The run folder holds
//   slurm/task.sh, slurm/merge.sh   what the jobs execute (the evaluate command, per shard)
//   slurm/jobs.log                  every submission's job ids
//   shards/shard-0001 …             each shard's evaluation folder (resumable)
//   logs/shard-N.log, logs/merge.log
//   run.json, per_image.csv, summary.json, table*.csv   the merged run, when the merge job ran
// Submitting again resubmits only the shards that have not finished, and refuses while jobs of
// the run are still queued or running (two tasks must never write one shard).

#include <QStringList>

#include <string>

namespace fcs::cli {

struct SlurmRun
{
    std::string outDir;
    int shards = 0;
    QStringList evaluateArguments; // the user's, without --out, --slurm*, --threads, --plots
    std::string plotsDir; // for the merge job; empty: no charts
    QStringList sbatchOptions; // the user's --slurm-option values, passed to every sbatch
    QStringList mergeOptions; // --slurm-merge-option: the merge job's own, after sbatchOptions
};

// Prints the job ids and how to watch them; returns the exit code. Throws fcs::Error when
// sbatch is missing or refuses, or when the folder was submitted with other arguments.
int submitSlurmRun(const SlurmRun& run);

// `arguments` without the options named (in both the "--name value" and "--name=value" forms).
QStringList withoutOptions(const QStringList& arguments, const QStringList& names);

} // namespace fcs::cli
