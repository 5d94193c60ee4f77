#include "engine/evaluate/Metrics.h"

#include "engine/catalog/MethodCatalog.h"
#include "engine/featurecam/FeatureCam.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace fcs {
namespace {

using GroupKey = std::tuple<std::string, std::string, std::string, std::string>; // model, convention, method, variant
using ImageKey = std::tuple<std::string, std::string, std::string, std::string>; // model, convention, method, image

std::optional<double> meanOf(const std::vector<double>& values)
{
    if (values.empty())
        return std::nullopt;
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / double(values.size());
}

// Element-wise sum; a curve of another length (a mixed run) leaves the mean empty.
void addCurve(std::vector<double>& sum, bool& consistent, const std::vector<double>& curve)
{
    if (curve.empty())
        return;
    if (sum.empty())
        sum.assign(curve.size(), 0.0);
    if (sum.size() != curve.size()) {
        consistent = false;
        return;
    }
    for (std::size_t i = 0; i < curve.size(); ++i)
        sum[i] += curve[i];
}

std::vector<double> meanCurve(std::vector<double> sum, bool consistent, std::size_t count)
{
    if (!consistent || count == 0)
        return {};
    for (double& v : sum)
        v /= double(count);
    return sum;
}

double percentOf(int count, int n)
{
    return n == 0 ? 0.0 : 100.0 * count / n;
}

} // namespace

int methodOrder(const std::string& method)
{
    const auto& methods = methodCatalog();
    for (std::size_t i = 0; i < methods.size(); ++i)
        if (methods[i].id == method)
            return int(i);
    return method == kBaselineMethod ? 1000 : 999;
}

int variantOrder(const std::string& variant)
{
    if (variant == kBaseVariant)
        return -1;
    const auto& variants = allFeatureCamVariants();
    for (std::size_t i = 0; i < variants.size(); ++i)
        if (variants[i].name() == variant)
            return int(i);
    return variant == kSobelBaseline ? 100 : variant == kRandomBaseline ? 101 : 200;
}

std::vector<SummaryRow> summarize(const std::vector<EvaluationRecord>& records)
{
    // The base map's confidence of each image, for "increase vs base".
    std::map<ImageKey, double> baseConfidence;
    for (const auto& r : records)
        if (r.variant == kBaseVariant)
            baseConfidence[{r.model, r.convention, r.method, r.image}] = r.explConf;

    struct Accumulator
    {
        int n = 0, right = 0, increased = 0, beatBase = 0, withBase = 0, pointed = 0, hits = 0;
        double energy = 0;
        double confidence = 0, origConfidence = 0, drop = 0;
        std::vector<double> deletion, insertion;
        std::vector<double> deletionCurve, insertionCurve;
        bool curvesConsistent = true;
    };
    std::map<GroupKey, Accumulator> groups;
    for (const auto& r : records) {
        Accumulator& a = groups[{r.model, r.convention, r.method, r.variant}];
        ++a.n;
        a.right += r.explTop1 == r.origTop1 ? 1 : 0;
        a.increased += r.explConf > r.origConf ? 1 : 0;
        a.confidence += r.explConf;
        a.origConfidence += r.origConf;
        a.drop += r.origConf > 0 ? std::max(0.0, r.origConf - r.explConf) / r.origConf : 0.0;
        addCurve(a.deletionCurve, a.curvesConsistent, r.deletionCurve);
        addCurve(a.insertionCurve, a.curvesConsistent, r.insertionCurve);
        if (r.deletionAuc)
            a.deletion.push_back(*r.deletionAuc);
        if (r.insertionAuc)
            a.insertion.push_back(*r.insertionAuc);
        if (r.pointingHit) {
            ++a.pointed;
            a.hits += *r.pointingHit ? 1 : 0;
            a.energy += r.pointingEnergy.value_or(0);
        }
        if (r.variant != kBaseVariant && r.method != kBaselineMethod) {
            const auto base = baseConfidence.find({r.model, r.convention, r.method, r.image});
            if (base != baseConfidence.end()) {
                ++a.withBase;
                a.beatBase += r.explConf > base->second ? 1 : 0;
            }
        }
    }

    std::vector<SummaryRow> rows;
    for (const auto& [key, a] : groups) {
        SummaryRow row;
        std::tie(row.model, row.convention, row.method, row.variant) = key;
        row.n = a.n;
        row.rightClassification = percentOf(a.right, a.n);
        row.avgConfidence = 100.0 * a.confidence / a.n;
        row.origAvgConfidence = 100.0 * a.origConfidence / a.n;
        row.increaseVsOriginal = percentOf(a.increased, a.n);
        row.increaseInConfidence = row.increaseVsOriginal;
        row.averageDrop = 100.0 * a.drop / a.n;
        if (a.withBase > 0)
            row.increaseVsBase = percentOf(a.beatBase, a.withBase);
        row.deletionAuc = meanOf(a.deletion);
        row.insertionAuc = meanOf(a.insertion);
        row.pointingN = a.pointed;
        if (a.pointed > 0) {
            row.pointingHitRate = percentOf(a.hits, a.pointed);
            row.pointingEnergy = 100.0 * a.energy / a.pointed;
        }
        row.deletionCurve = meanCurve(a.deletionCurve, a.curvesConsistent, a.deletion.size());
        row.insertionCurve = meanCurve(a.insertionCurve, a.curvesConsistent, a.insertion.size());
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const SummaryRow& a, const SummaryRow& b) {
        return std::make_tuple(
                   a.model, a.convention, methodOrder(a.method), a.method, variantOrder(a.variant), a.variant)
            < std::make_tuple(
                b.model, b.convention, methodOrder(b.method), b.method, variantOrder(b.variant), b.variant);
    });
    return rows;
}

std::vector<ModelAccuracy> modelAccuracies(const std::vector<EvaluationRecord>& records)
{
    std::map<std::string, std::map<std::string, bool>> correctByImage; // model -> image -> top-1 right
    for (const auto& r : records)
        if (r.truthClass)
            correctByImage[r.model][r.image] = r.origTop1 == *r.truthClass;
    std::vector<ModelAccuracy> out;
    for (const auto& [model, images] : correctByImage) {
        const int right = int(std::count_if(images.begin(), images.end(), [](const auto& e) { return e.second; }));
        out.push_back({model, int(images.size()), percentOf(right, int(images.size()))});
    }
    return out;
}

} // namespace fcs
