#pragma once
// The survey's two measures (docs/definitions.md, "Survey measures"; the paper's Table 1), from raw answers:
//   Human Faith %           share of task-1 picks that found the true image
//   Interpretability Index  mean task-2 rating (0..ratingMax), with a 95% confidence interval
//                           (mean ± t(0.975, n−1) · s / √n, s the sample standard deviation)
// grouped by method × variant (or by participant, or by image). Torch-free, pure.

#include "engine/survey/SurveyDatabase.h"

#include <QString>

#include <functional>
#include <vector>

namespace fcs {

struct SurveyGroupResult
{
    QString key; // "gradcam / base", "gradcam / X1-I1", a participant code or an image name
    int picks = 0; // task-1 answers
    int correct = 0;
    double humanFaith = 0; // % of picks
    int ratings = 0; // task-2 answers
    double interpretability = 0; // mean rating
    double ciLow = 0, ciHigh = 0; // 95% CI of the mean rating (equal to the mean when ratings < 2)
};

enum class SurveyGrouping { MethodVariant, Participant, Image };

// Groups in a stable order: method × variant by the CLI's method order then variant order;
// participants and images by name.
std::vector<SurveyGroupResult> surveyResults(const std::vector<SurveyAnswer>& answers, SurveyGrouping grouping);

double studentT975(int degreesOfFreedom); // two-sided 95% critical value

// CSV exports: every raw answer; the results table (one row per group).
QString answersCsv(const std::vector<SurveyAnswer>& answers);
QString resultsCsv(const std::vector<SurveyGroupResult>& results);

// Answers of several copies of one survey (participants who ran it on different machines),
// with each participant code prefixed by its file's name where codes clash. fcs::Error when the
// files are not copies of the same survey.
std::vector<SurveyAnswer> mergedAnswers(const std::vector<QString>& surveyFiles);

} // namespace fcs
