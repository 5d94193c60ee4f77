#include "SlurmSubmit.h"

#include "OptionSpelling.h"

#include "engine/core/Error.h"
#include "engine/evaluate/ShardMerge.h"
#include "engine/evaluate/Sharding.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/WholeFile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QProcess>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace fcs::cli {
namespace {

namespace fs = std::filesystem;

// One argument for sh: single quotes, each ' written as '\''.
std::string shellQuoted(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// A path that reaches the generated scripts (in comments too) and sbatch's file patterns must
// be one line, and free of the backslash with which sbatch turns its patterns off.
void refuseUnsafePath(const std::string& path, const std::string& what)
{
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f || c == '\\')
            throw Error(ErrorCode::InvalidArgument,
                "--slurm cannot use " + what + " \"" + path
                    + "\": it holds a line break, a control character or a backslash, which would change the "
                      "scripts Slurm runs. Choose a name without them.");
}

// sbatch's --output is a pattern: %a is the array index, so a literal % is written %%.
QString sbatchFilePattern(const std::string& path)
{
    return QString::fromStdString(path).replace('%', "%%");
}

// Shard numbers are zero-padded to this many digits in folder names (shard-0007), at least 4.
int shardNumberWidth(int count)
{
    return std::max<int>(4, int(std::to_string(count).size()));
}

std::string shardFolderName(int shard, int count)
{
    const int width = shardNumberWidth(count);
    std::string number = std::to_string(shard);
    return "shard-" + std::string(std::size_t(width) - number.size(), '0') + number;
}

std::string taskScript(const SlurmRun& run, const std::string& cli)
{
    const int width = shardNumberWidth(run.shards);
    std::string arguments;
    for (const QString& argument : run.evaluateArguments)
        arguments += " " + shellQuoted(argument.toStdString());
    return "#!/bin/sh\n"
           "# One shard of the evaluation in "
        + run.outDir
        + ", run by Slurm as a task of an array job\n"
          "# (written by featurecam-cli evaluate --slurm). The array index is the shard number;\n"
          "# the task computes on the CPUs Slurm gives it. Exit status 1 with the shard complete means\n"
          "# some images could not be used (named in the log and in shard.json): the shard is done.\n"
          "set -u\n"
          "shard=\"${SLURM_ARRAY_TASK_ID:?this script runs as a task of a Slurm array job}\"\n"
          "folder="
        + shellQuoted((fs::path(run.outDir) / "shards").string()) + "/shard-$(printf %0" + std::to_string(width)
        + "d \"$shard\")\n" + "status=0\n" + shellQuoted(cli) + " evaluate" + arguments + " --shard \"$shard/"
        + std::to_string(run.shards)
        + "\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --out \"$folder\" || status=$?\n"
          "if [ \"$status\" -eq 1 ] && grep -q '\"complete\": true' \"$folder/"
        + kShardStatusFile + "\" 2>/dev/null; then\n    exit 0\nfi\nexit \"$status\"\n";
}

std::string mergeScript(const SlurmRun& run, const std::string& cli)
{
    std::string command = shellQuoted(cli) + " merge " + shellQuoted((fs::path(run.outDir) / "shards").string())
        + " --out " + shellQuoted(run.outDir);
    if (!run.plotsDir.empty())
        command += " --plots " + shellQuoted(run.plotsDir);
    return "#!/bin/sh\n"
           "# Joins the shards of the evaluation in "
        + run.outDir + " once every shard task succeeded\n# (written by featurecam-cli evaluate --slurm).\nexec "
        + command + "\n";
}

// Writes a script, or, once jobs were submitted from the folder, checks that the one already
// there is the same: a run folder belongs to one command.
void writeScript(const fs::path& path, const std::string& text, const std::string& outDir, bool submitted)
{
    if (submitted && fs::exists(path)) {
        if (readWholeFile(path).value_or(std::string()) != text)
            throw Error(ErrorCode::BadData,
                "\"" + outDir + "\" was submitted with other arguments (see " + path.string()
                    + "). Choose another --out folder, or delete this one to start over.");
        return;
    }
    writeFileAtomically(path.string(), text);
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

QString runSlurmCommand(const QString& program, const QStringList& arguments, const std::string& what)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted())
        throw Error(ErrorCode::InvalidArgument,
            "--slurm needs Slurm's " + program.toStdString() + " on the PATH, and it cannot be started here.");
    // A scheduler that does not answer is not an empty queue nor a refusal: say so and stop,
    // before anything is (re)submitted on a guess.
    if (!process.waitForFinished(120'000)) {
        process.kill();
        process.waitForFinished(5'000);
        throw Error(ErrorCode::ReadFailed,
            program.toStdString() + " did not answer within 2 minutes (asked " + what
                + "); nothing more was submitted. Check the cluster (sinfo), then run this command again.",
            program.toStdString() + " " + arguments.join(' ').toStdString());
    }
    const QString output = QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw Error(ErrorCode::InvalidArgument,
            program.toStdString() + " refused " + what + ": "
                + QString::fromLocal8Bit(process.readAllStandardError()).trimmed().toStdString(),
            program.toStdString() + " " + arguments.join(' ').toStdString());
    return output;
}

// "1-3,5,7-9" from ascending shard numbers.
std::string arraySpec(const std::vector<int>& shards)
{
    std::string spec;
    for (std::size_t i = 0; i < shards.size();) {
        std::size_t j = i;
        while (j + 1 < shards.size() && shards[j + 1] == shards[j] + 1)
            ++j;
        spec += (spec.empty() ? "" : ",") + std::to_string(shards[i])
            + (j > i ? "-" + std::to_string(shards[j]) : std::string());
        i = j + 1;
    }
    return spec;
}

// --parsable prints "id" or "id;cluster". Anything else is not a job we can depend on or name.
QString jobId(const QString& parsable, const std::string& what)
{
    const QString id = parsable.section(';', 0, 0).trimmed();
    bool number = false;
    id.toULongLong(&number);
    if (!number)
        throw Error(ErrorCode::ReadFailed,
            "sbatch took " + what + " but printed no job id (it printed \"" + parsable.left(200).toStdString()
                + "\"); check the queue (squeue --me) before running this command again.");
    return id;
}

// One line of slurm/jobs.log per submission; "-" for a job that was not submitted.
void logSubmission(
    const fs::path& out, const std::vector<int>& shards, const QString& arrayJob, const QString& mergeJob)
{
    std::ofstream(out / "slurm" / "jobs.log", std::ios::app)
        << QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()
        << " shards=" << (shards.empty() ? std::string("none") : arraySpec(shards))
        << " array_job=" << (arrayJob.isEmpty() ? std::string("-") : arrayJob.toStdString())
        << " merge_job=" << (mergeJob.isEmpty() ? std::string("-") : mergeJob.toStdString()) << "\n";
}

} // namespace

QStringList withoutOptions(const QStringList& arguments, const QStringList& names)
{
    QStringList kept;
    for (int i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--") { // the rest are positional, kept as they are
            kept += arguments.mid(i);
            break;
        }
        OptionSpelling spelling = OptionSpelling::None;
        for (const QString& name : names)
            if (spelling == OptionSpelling::None)
                spelling = optionSpelling(arguments[i], name);
        if (spelling == OptionSpelling::ValueFollows)
            ++i; // and its value
        else if (spelling == OptionSpelling::None)
            kept << arguments[i];
    }
    return kept;
}

int submitSlurmRun(const SlurmRun& run)
{
    refuseUnsafePath(run.outDir, "the --out folder");
    refuseUnsafePath(run.plotsDir, "the --plots folder");
    refuseUnsafePath(fs::current_path().string(), "the current folder");
    refuseUnsafePath(QCoreApplication::applicationFilePath().toStdString(), "the program's path");
    const fs::path out(run.outDir);
    for (const char* sub : {"slurm", "logs", "shards"}) {
        std::error_code error;
        fs::create_directories(out / sub, error);
        if (!fs::is_directory(out / sub))
            throw Error(ErrorCode::WriteFailed, "Cannot create the folder \"" + (out / sub).string() + "\".");
    }
    // One name per run folder: it finds the run's jobs in the queue on the next submission.
    const QString jobName = "featurecam-"
        + QCryptographicHash::hash(QByteArray::fromStdString(run.outDir), QCryptographicHash::Sha1).toHex().left(10);
    const QString queued
        = runSlurmCommand("squeue", {"--noheader", "--name=" + jobName, "--format=%i %T"}, "to list the queue");
    if (!queued.isEmpty())
        throw Error(ErrorCode::InvalidArgument,
            "Jobs of this run are still in the queue:\n" + queued.toStdString() + "\nWait for them (squeue --name="
                + jobName.toStdString() + "), or cancel them (scancel --name=" + jobName.toStdString()
                + "), then run this command again: it resubmits only the shards that have not finished.");

    const std::string cli = QCoreApplication::applicationFilePath().toStdString();
    const bool submitted = fs::exists(out / "slurm" / "jobs.log");
    writeScript(out / "slurm" / "task.sh", taskScript(run, cli), run.outDir, submitted);
    writeScript(out / "slurm" / "merge.sh", mergeScript(run, cli), run.outDir, submitted);

    std::vector<int> unfinished;
    std::vector<std::string> reasons; // of shards that ran before: why they run again
    for (int shard = 1; shard <= run.shards; ++shard) {
        const fs::path folder = out / "shards" / shardFolderName(shard, run.shards);
        const std::string whyNot = whyShardUnfinished(folder.string());
        if (whyNot.empty())
            continue;
        unfinished.push_back(shard);
        if (fs::exists(folder / kShardStatusFile))
            reasons.push_back(whyNot);
    }
    constexpr std::size_t kReasonsShown = 5;
    for (std::size_t i = 0; i < std::min(reasons.size(), kReasonsShown); ++i)
        std::cout << "Runs again: " << reasons[i] << '\n';
    if (reasons.size() > kReasonsShown)
        std::cout << "… and " << reasons.size() - kReasonsShown << " more shards that ran before.\n";
    if (unfinished.empty() && fs::exists(out / "summary.json") && fs::exists(out / "run.json")) {
        std::cout << "All " << run.shards << " shards have finished and are merged: " << (out / "summary.json").string()
                  << '\n';
        return 0;
    }

    const QString cwd = QString::fromStdString(fs::current_path().string());
    const QStringList common = QStringList{"--parsable", "--job-name=" + jobName, "--chdir=" + cwd} + run.sbatchOptions;
    QString arrayJob;
    if (!unfinished.empty()) {
        const QStringList arrayOptions = common
            + QStringList{"--array=" + QString::fromStdString(arraySpec(unfinished)),
                "--output=" + sbatchFilePattern((out / "logs").string()) + "/shard-%a.log", "--open-mode=append",
                QString::fromStdString((out / "slurm" / "task.sh").string())};
        arrayJob = jobId(runSlurmCommand("sbatch", arrayOptions, "the shard tasks"), "the shard tasks");
    }
    QStringList mergeOptions = common + run.mergeOptions;
    if (!arrayJob.isEmpty())
        mergeOptions << "--dependency=afterok:" + arrayJob << "--kill-on-invalid-dep=yes";
    mergeOptions << "--output=" + sbatchFilePattern((out / "logs" / "merge.log").string()) << "--open-mode=append"
                 << QString::fromStdString((out / "slurm" / "merge.sh").string());
    QString mergeJob;
    try {
        mergeJob = jobId(runSlurmCommand("sbatch", mergeOptions, "the merge job"), "the merge job");
    } catch (const Error& e) {
        if (arrayJob.isEmpty())
            throw;
        // The shards are queued already: say which, so they are neither lost nor submitted twice.
        logSubmission(out, unfinished, arrayJob, {});
        throw Error(e.code(),
            e.userMessage() + "\nThe shard tasks are queued as array job " + arrayJob.toStdString()
                + " and run without the merge; when they have finished, run `featurecam-cli merge "
                + (out / "shards").string() + " --out " + run.outDir + "`, or this command again.",
            e.detail());
    }

    logSubmission(out, unfinished, arrayJob, mergeJob);

    const std::string ids = (arrayJob.isEmpty() ? "" : arrayJob.toStdString() + ",") + mergeJob.toStdString();
    if (unfinished.empty())
        std::cout << "All " << run.shards << " shards have finished; submitted the merge as job "
                  << mergeJob.toStdString() << ".\n";
    else
        std::cout << "Submitted " << unfinished.size() << " of " << run.shards << " shard tasks as array job "
                  << arrayJob.toStdString() << " (shards " << arraySpec(unfinished) << ") and the merge as job "
                  << mergeJob.toStdString() << " (it runs when every task has succeeded).\n";
    std::cout << "  watch:   squeue -j " << ids << "\n"
              << "  history: sacct -j " << ids << "   (where the cluster keeps accounting)\n"
              << "  logs:    " << (out / "logs").string() << "/\n"
              << "  results: " << (out / "summary.json").string() << " and the tables beside it, after job "
              << mergeJob.toStdString() << "\n"
              << "If a task fails, run this same command again: it resubmits only the unfinished shards.\n";
    return 0;
}

} // namespace fcs::cli
