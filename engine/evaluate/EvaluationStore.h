#pragma once
// An evaluation's folder on disk, written as the run goes so that nothing finished is lost:
//   run.json       the settings and image set (a resumed run must match them)
//   per_image.csv  the records, appended one image × classifier at a time, flushed and synced
// Opening a folder that holds an earlier run resumes it: complete image × classifier groups are
// kept, a group cut short by a crash (or a half-written last line) is dropped and redone.
// Torch-free. One thread at a time.

#include "engine/evaluate/EvaluationRecord.h"

#include <QJsonObject>

#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fcs {

class EvaluationStore
{
public:
    // `run` describes the run (settings, image set, models). Throws fcs::Error(InvalidArgument)
    // when the folder holds a run with a different description, or cannot be written.
    // `recordsPerGroup` is how many rows a finished image × classifier has.
    EvaluationStore(const std::string& folder, const QJsonObject& run, int recordsPerGroup);
    ~EvaluationStore();
    EvaluationStore(const EvaluationStore&) = delete;
    EvaluationStore& operator=(const EvaluationStore&) = delete;

    bool isDone(const std::string& image, const std::string& model) const;
    std::size_t resumedGroups() const { return m_resumedGroups; } // finished groups found on opening

    // Appends one finished image × classifier; durable when this returns.
    void append(const std::vector<EvaluationRecord>& group);

    const std::vector<EvaluationRecord>& records() const { return m_records; }
    std::string perImagePath() const;

private:
    std::string m_folder;
    int m_recordsPerGroup;
    std::vector<EvaluationRecord> m_records;
    std::set<std::pair<std::string, std::string>> m_done; // image, model
    std::size_t m_resumedGroups = 0;
    std::FILE* m_file = nullptr;
};

// per_image.csv's header and the conversion of records to and from its rows.
std::vector<std::string> perImageHeader();
std::string perImageLine(const EvaluationRecord& record);
// Throws fcs::Error(InvalidArgument) naming the line on a malformed row.
std::vector<EvaluationRecord> parsePerImage(const std::string& text, std::size_t* completeLines = nullptr);

} // namespace fcs
