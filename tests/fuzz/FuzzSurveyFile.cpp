// libFuzzer: any bytes as a survey file — open (integrity check, schema verification, bounded
// numbers), then everything a session and the results window read from it. fcs::Error is the
// expected answer to a damaged or edited file; a crash, a hang or a sanitizer report is a bug.

#include "engine/core/Error.h"
#include "engine/survey/SurveyDatabase.h"

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv); // Qt Sql finds its SQLite plugin through it
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string file = [] {
        char pattern[] = "/tmp/fcs-fuzz-survey-XXXXXX";
        return std::string(mkdtemp(pattern)) + "/study.fcsurvey";
    }();
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    ::unlink((file + "-journal").c_str());
    try {
        fcs::SurveyDatabase survey = fcs::SurveyDatabase::open(QString::fromStdString(file));
        const fcs::SurveyInfo info = survey.info();
        if (info.poolSize < 2 || info.poolSize > 12 || info.imageCount < info.poolSize)
            __builtin_trap(); // open() promised bounded numbers
        survey.answers();
        const int participant = survey.startParticipant("FUZZ", 7);
        for (const auto& trial : survey.trials(participant)) {
            survey.stimulus(trial.stimulusId);
            for (int image : trial.pool)
                survey.imageName(image);
        }
    } catch (const fcs::Error&) {
    }
    return 0;
}
