#include "engine/survey/SurveyResults.h"

#include "engine/core/Error.h"
#include "engine/evaluate/Metrics.h"
#include "engine/io/CsvTable.h"

#include <QFileInfo>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace fcs {
namespace {

QString csvCell(const QString& text)
{
    return QString::fromStdString(csvField(text.toStdString()));
}

} // namespace

double studentT975(int df)
{
    static const double table[]
        = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1)
        return 0;
    if (df <= 30)
        return table[df];
    if (df <= 60)
        return 2.000 + (2.042 - 2.000) * (60 - df) / 30.0; // 2.042 at 30, 2.000 at 60
    if (df <= 120)
        return 1.980 + (2.000 - 1.980) * (120 - df) / 60.0;
    return 1.960;
}

std::vector<SurveyGroupResult> surveyResults(const std::vector<SurveyAnswer>& answers, SurveyGrouping grouping)
{
    struct Sums
    {
        int picks = 0, correct = 0;
        std::vector<double> ratings;
    };
    // Sort key first, so that methods come in the CLI's order and variants in canonical order.
    std::map<std::tuple<int, int, QString>, Sums> groups;
    for (const auto& a : answers) {
        std::tuple<int, int, QString> key;
        if (grouping == SurveyGrouping::MethodVariant)
            key = {methodOrder(a.method.toStdString()), variantOrder(a.variant.toStdString()),
                a.method + " / " + a.variant};
        else
            key = {0, 0, grouping == SurveyGrouping::Participant ? a.participant : a.image};
        Sums& s = groups[key];
        if (a.correct) {
            ++s.picks;
            s.correct += *a.correct ? 1 : 0;
        }
        if (a.rating)
            s.ratings.push_back(*a.rating);
    }
    std::vector<SurveyGroupResult> out;
    for (const auto& [key, s] : groups) {
        SurveyGroupResult r;
        r.key = std::get<2>(key);
        r.picks = s.picks;
        r.correct = s.correct;
        r.humanFaith = s.picks ? 100.0 * s.correct / s.picks : 0.0;
        r.ratings = int(s.ratings.size());
        double sum = 0;
        for (double v : s.ratings)
            sum += v;
        r.interpretability = r.ratings ? sum / r.ratings : 0.0;
        r.ciLow = r.ciHigh = r.interpretability;
        if (r.ratings >= 2) {
            double squares = 0;
            for (double v : s.ratings)
                squares += (v - r.interpretability) * (v - r.interpretability);
            const double sd = std::sqrt(squares / (r.ratings - 1));
            const double half = studentT975(r.ratings - 1) * sd / std::sqrt(double(r.ratings));
            r.ciLow = r.interpretability - half;
            r.ciHigh = r.interpretability + half;
        }
        out.push_back(r);
    }
    return out;
}

QString answersCsv(const std::vector<SurveyAnswer>& answers)
{
    QString out
        = "participant,position,stimulus_id,image,model,method,variant,correct,rating,pick_ms,rating_ms,answered_at\n";
    for (const auto& a : answers)
        out += QStringList{csvCell(a.participant), QString::number(a.position), QString::number(a.stimulusId),
                   csvCell(a.image), csvCell(a.model), a.method, a.variant,
                   a.correct ? QString::number(*a.correct ? 1 : 0) : QString(),
                   a.rating ? QString::number(*a.rating) : QString(), QString::number(a.pickMs),
                   QString::number(a.ratingMs), a.answeredAt}
                   .join(',')
            + "\n";
    return out;
}

QString resultsCsv(const std::vector<SurveyGroupResult>& results)
{
    QString out = "group,picks,correct,human_faith_percent,ratings,interpretability_index,ci95_low,ci95_high\n";
    for (const auto& r : results)
        out += QStringList{csvCell(r.key), QString::number(r.picks), QString::number(r.correct),
                   QString::number(r.humanFaith, 'f', 2), QString::number(r.ratings),
                   QString::number(r.interpretability, 'f', 4), QString::number(r.ciLow, 'f', 4),
                   QString::number(r.ciHigh, 'f', 4)}
                   .join(',')
            + "\n";
    return out;
}

std::vector<SurveyAnswer> mergedAnswers(const std::vector<QString>& surveyFiles)
{
    std::vector<SurveyAnswer> all;
    QString surveyId;
    std::map<QString, QString> codeOwner; // participant code -> file it came from
    std::set<QString> seenFiles;
    for (const QString& file : surveyFiles) {
        if (!seenFiles.insert(QFileInfo(file).canonicalFilePath()).second)
            continue; // the same file twice would count its answers twice
        SurveyDatabase survey = SurveyDatabase::open(file);
        const QString id = survey.info().surveyId;
        if (surveyId.isEmpty())
            surveyId = id;
        else if (id != surveyId)
            throw Error(ErrorCode::InvalidArgument,
                "\"" + file.toStdString() + "\" is a different survey from \"" + surveyFiles.front().toStdString()
                    + "\"; only copies of one survey can be merged.");
        auto answers = survey.answers();
        std::set<QString> codes;
        for (const auto& a : answers)
            codes.insert(a.participant);
        for (const QString& code : codes)
            if (codeOwner.count(code) && codeOwner[code] != file)
                for (auto& a : answers)
                    if (a.participant == code)
                        a.participant = QFileInfo(file).completeBaseName() + ":" + code;
        for (auto& a : answers) {
            codeOwner.emplace(a.participant, file);
            all.push_back(std::move(a));
        }
    }
    return all;
}

} // namespace fcs
