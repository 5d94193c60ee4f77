// Every CAM formula against hand arithmetic on the network of TinyModels.h, whose activations
// and gradients are known exactly:
//   A0 = [[1,2],[3,4]], A1 = [[1,0],[2,1]], A2 = [[0.5,-1.5],[-1.5,-1.5]]
//   class 0: g_k = c_k A_k with c = (1,-1,1);  class 1: g_k = d_k / 4 with d = (1,2,0).
// The expected numbers are worked out in the comments of each test.

#include "TestPaths.h"
#include "TinyModels.h"

#include "engine/cam/AblationCam.h"
#include "engine/cam/Cam.h"
#include "engine/cam/CamMethod.h"
#include "engine/cam/EigenCam.h"
#include "engine/cam/GradCam.h"
#include "engine/cam/GradCamElementWise.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/HiResCam.h"
#include "engine/cam/LayerCam.h"
#include "engine/cam/MapOps.h"
#include "engine/cam/ScoreCam.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/cam/XGradCam.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/core/Threads.h"
#include "engine/model/ClassifierModel.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace fcs;

namespace {

// The 16×16 input whose 8×8 average pools are exactly A.
torch::Tensor handInput()
{
    const auto a
        = torch::tensor(std::vector<float>{1.0f, 2, 3, 4, 1, 0, 2, 1, 0.5f, -1.5f, -1.5f, -1.5f}).view({1, 3, 2, 2});
    return a.repeat_interleave(8, 2).repeat_interleave(8, 3).contiguous();
}

torch::Tensor grid(std::initializer_list<float> values) // 2×2 -> [1,1,2,2]
{
    return torch::tensor(std::vector<float>(values)).view({1, 1, 2, 2});
}

void compareClose(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance = 1e-5)
{
    QCOMPARE(actual.sizes(), expected.sizes());
    QVERIFY2(!actual.isnan().any().item<bool>(), "NaN in the result");
    const double difference = (actual - expected).abs().max().item<double>();
    QVERIFY2(difference <= tolerance,
        qPrintable(QString("max |difference| %1\nactual %2\nexpected %3")
                       .arg(difference)
                       .arg(QString::fromStdString(c10::str(actual)))
                       .arg(QString::fromStdString(c10::str(expected)))));
}

// The corners of an upsampled map (align_corners = false) are the corners of the 2×2 map, and
// min / max survive the upsampling, so the 16×16 map's corners are the normalized 2×2 values.
torch::Tensor corners(const torch::Tensor& map16)
{
    const auto m = map16.squeeze();
    return torch::stack({m[0][0], m[0][15], m[15][0], m[15][15]}).view({1, 1, 2, 2});
}

} // namespace

class TestCamFormulas : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ClassifierModel> m_model;
    CancelToken m_cancel;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto network = test::handNetwork();
        const auto json = test::saveWithSidecar(network, m_dir.path().toStdString(), "hand", 2, 16);
        m_model = ClassifierModel::load(readSidecar(json));
    }

    void activationsAndGradientsAreTheHandValues()
    {
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        compareClose(pass.activations.view({3, 2, 2}),
            torch::tensor(std::vector<float>{1.0f, 2, 3, 4, 1, 0, 2, 1, 0.5f, -1.5f, -1.5f, -1.5f}).view({3, 2, 2}));
        // g_k = c_k A_k
        compareClose(pass.grads.view({3, 2, 2}),
            torch::tensor(std::vector<float>{1.0f, 2, 3, 4, -1, 0, -2, -1, 0.5f, -1.5f, -1.5f, -1.5f}).view({3, 2, 2}));
    }

    void gradCamClassZero()
    {
        // w = mean g = (2.5, -1, -1); M = ReLU(2.5 A0 - A1 - A2) = [[1, 6.5], [7, 10.5]].
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        const GradCam method;
        const auto weights = method.channelWeights(pass.activations, pass.grads);
        compareClose(weights, torch::tensor(std::vector<float>{2.5f, -1.0f, -1.0f}).view({1, 3}));
        compareClose(GradientCam::weightedMap(weights, pass.activations), grid({1, 6.5f, 7, 10.5f}));
        CamContext context(*m_model, handInput(), 0, m_cancel);
        const auto map = method.compute(context);
        QCOMPARE(map.sizes(), torch::IntArrayRef({1, 1, 16, 16}));
        compareClose(corners(map), grid({0, 5.5f / 9.5f, 6.0f / 9.5f, 1}));
    }

    void gradCamPlusPlusClassZero()
    {
        // Channel 0: sum A0 = 10, alpha = g^2 / (2g^2 + 10 g^3) = 1/12, 1/22, 1/32, 1/42 for
        // g = 1..4, w0 = 1/12 + 2/22 + 3/32 + 4/42. Channel 1: every g <= 0, w1 = 0. Channel 2:
        // sum A2 = -4, at g = 0.5 the denominator 2(0.25) - 4(0.125) is 0 -> alpha 0 (not inf),
        // elsewhere g < 0; w2 = 0. So M = w0 A0, normalized [[0, 1/3], [2/3, 1]].
        const double w0 = 1.0 / 12 + 2.0 / 22 + 3.0 / 32 + 4.0 / 42;
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        const GradCamPlusPlus method;
        const auto weights = method.channelWeights(pass.activations, pass.grads);
        compareClose(weights, torch::tensor(std::vector<float>{float(w0), 0.0f, 0.0f}).view({1, 3}));
        CamContext context(*m_model, handInput(), 0, m_cancel);
        compareClose(corners(method.compute(context)), grid({0, 1.0f / 3, 2.0f / 3, 1}));
    }

    void gradCamClassOne()
    {
        // g_k = d_k / 4 everywhere: w = (0.25, 0.5, 0); M = 0.25 A0 + 0.5 A1 = [[0.75, 0.5], [1.75, 1.5]].
        CamContext context(*m_model, handInput(), 1, m_cancel);
        const auto& pass = context.gradients();
        compareClose(GradCam().channelWeights(pass.activations, pass.grads),
            torch::tensor(std::vector<float>{0.25f, 0.5f, 0.0f}).view({1, 3}));
        compareClose(corners(GradCam().compute(context)), grid({0.2f, 0, 1, 0.8f}));
    }

    void gradCamPlusPlusClassOne()
    {
        // Constant g: alpha = 1 / (2 + S g). Channel 0: 1/(2 + 10 * 0.25) = 1/4.5, w0 = 4 * 0.25 / 4.5.
        // Channel 1: 1/(2 + 4 * 0.5) = 1/4, w1 = 4 * 0.5 / 4 = 0.5. Channel 2: g = 0, w2 = 0.
        const float w0 = 1.0f / 4.5f;
        CamContext context(*m_model, handInput(), 1, m_cancel);
        const auto& pass = context.gradients();
        compareClose(GradCamPlusPlus().channelWeights(pass.activations, pass.grads),
            torch::tensor(std::vector<float>{w0, 0.5f, 0.0f}).view({1, 3}));
        const auto m = grid({w0 + 0.5f, 2 * w0, 3 * w0 + 1.0f, 4 * w0 + 0.5f}); // w0 A0 + 0.5 A1
        const auto lo = m.min(), hi = m.max();
        compareClose(corners(GradCamPlusPlus().compute(context)), (m - lo) / (hi - lo));
    }

    void camEqualsGradCamForAGapLinearHead()
    {
        // CAM: M_ij = d . A_ij = A0 + 2 A1 = [[3, 2], [7, 6]] -> [[0.2, 0], [1, 0.8]], Grad-CAM's map.
        CamContext context(*m_model, handInput(), 1, m_cancel);
        const auto cam = Cam().compute(context);
        compareClose(corners(cam), grid({0.2f, 0, 1, 0.8f}));
        compareClose(cam, GradCam().compute(context));
    }

    void camRefusesAHeadThatIsNotLinear()
    {
        CamContext context(*m_model, handInput(), 0, m_cancel); // y0 is quadratic in A
        try {
            Cam().compute(context);
            QFAIL("CAM accepted a quadratic head");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY(QString::fromStdString(e.userMessage()).contains("global average pooling"));
        }
    }

    void flatMapsAreZeroNotNaN_data()
    {
        QTest::addColumn<QString>("method");
        for (const auto& info : methodCatalog())
            QTest::addRow("%s", info.id.c_str()) << QString::fromStdString(info.id);
    }

    void flatMapsAreZeroNotNaN()
    {
        // x = 0: A = 0 and, for class 0, g = 0: every weight and every map is 0.
        QFETCH(QString, method);
        const auto zeros = torch::zeros({1, 3, 16, 16});
        MethodParameters parameters;
        parameters.smooth.samples = 3;
        parameters.smooth.sigma = 0;
        CamContext context(*m_model, zeros, method == "cam" ? 1 : 0, m_cancel);
        const auto map = makeCamMethod(method.toStdString(), parameters)->compute(context);
        compareClose(map, torch::zeros({1, 1, 16, 16}), 0);
    }

    void minMaxNormalizeKeepsConstantMapsAtZero()
    {
        const auto maps = torch::stack({torch::full({1, 4, 4}, 3.0f), torch::arange(16.0f).view({1, 4, 4})});
        const auto normalized = mapops::minMaxNormalize(maps);
        compareClose(normalized[0], torch::zeros({1, 4, 4}), 0);
        compareClose(normalized[1], torch::arange(16.0f).view({1, 4, 4}) / 15.0f);
    }

    void mapsFinishedTogetherEqualMapsFinishedAlone()
    {
        // Explainer finishes the layer maps of all methods in one call split across threads; each
        // must be bit for bit what finishing it alone gives (the 80 % mask's threshold pixel moves
        // with the last bit), whatever the other maps hold: other sizes, a flat map, a NaN.
        const int threadsBefore = computeThreads();
        setComputeThreads(2);
        std::vector<torch::Tensor> maps;
        for (int i = 0; i < 6; ++i)
            maps.push_back(torch::rand({1, 1, 7, 7}) * (i + 1) - 0.5);
        maps.push_back(torch::full({1, 1, 7, 7}, 2.0f));
        maps.push_back(torch::rand({1, 1, 5, 5}));
        auto withNaN = torch::rand({1, 1, 7, 7});
        withNaN[0][0][3][3] = std::nanf("");
        maps.push_back(withNaN);
        const auto together = mapops::finalizeAll(maps, 224, 200);
        setComputeThreads(threadsBefore);
        QCOMPARE(together.size(), maps.size());
        for (std::size_t i = 0; i + 1 < maps.size(); ++i) {
            QVERIFY(together[i].sizes() == c10::IntArrayRef({1, 1, 224, 200}));
            QVERIFY2(torch::equal(together[i], mapops::finalize(maps[i], 224, 200)), std::to_string(i).c_str());
        }
        QVERIFY(torch::equal(together[6], torch::zeros({1, 1, 224, 200})));
        const auto alone = mapops::finalize(maps.back(), 224, 200);
        QVERIFY(torch::equal(torch::isnan(together.back()), torch::isnan(alone)));
        QVERIFY(torch::equal(torch::nan_to_num(together.back()), torch::nan_to_num(alone)));
    }

    void smoothWithoutNoiseIsGradCamPlusPlus()
    {
        SmoothSettings smooth;
        smooth.samples = 5;
        smooth.batchSize = 2;
        smooth.sigma = 0;
        CamContext context(*m_model, handInput(), 1, m_cancel);
        compareClose(SmoothGradCamPlusPlus(smooth).compute(context), GradCamPlusPlus().compute(context));
    }

    void smoothIsReproducibleUnderASeed()
    {
        SmoothSettings smooth;
        smooth.samples = 6;
        smooth.batchSize = 4;
        smooth.sigma = 0.3;
        smooth.seed = 7;
        CamContext context(*m_model, handInput(), 0, m_cancel);
        const auto first = SmoothGradCamPlusPlus(smooth).compute(context);
        const auto second = SmoothGradCamPlusPlus(smooth).compute(context);
        QVERIFY(torch::equal(first, second));
        smooth.seed = 8;
        QVERIFY(!torch::equal(first, SmoothGradCamPlusPlus(smooth).compute(context)));
        QVERIFY(first.min().item<float>() >= 0 && first.max().item<float>() <= 1);
    }

    void unsetTargetIsTheTopOneClass()
    {
        // y0 = 15 - 3 + 3.5 = 15.5 and y1 = 2.5 + 2 + 0.5 = 5: the top-1 class is 0, and its
        // gradient pass is the one of an explicit target 0.
        CamContext context(*m_model, handInput(), std::nullopt, m_cancel);
        QCOMPARE(context.targetClass(), int64_t(0));
        compareClose(context.gradients().logits, torch::tensor(std::vector<float>{15.5f, 5.0f}).view({1, 2}));
        compareClose(context.gradients().grads, computeGradients(*m_model, handInput(), {0}).grads);
    }

    void batchedGradientsEqualSingleOnes()
    {
        const auto x = handInput();
        const auto batch = torch::cat({x, x * 0.5});
        const GradientPass both = computeGradients(*m_model, batch, {0, 1});
        compareClose(both.grads[0], computeGradients(*m_model, x, {0}).grads[0]);
        compareClose(both.grads[1], computeGradients(*m_model, x * 0.5, {1}).grads[0]);
    }

    void cancelledSmoothStopsWithCancelled()
    {
        CancelToken cancel;
        cancel.cancel();
        CamContext context(*m_model, handInput(), 0, cancel);
        try {
            SmoothGradCamPlusPlus(SmoothSettings{}).compute(context);
            QFAIL("a cancelled job ran to the end");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
    }

    // The field's CAM family on class 0, where g_k = c_k A_k with c = (1, -1, 1):
    //   A0 = [[1, 2], [3, 4]], A1 = [[1, 0], [2, 1]], A2 = [[0.5, -1.5], [-1.5, -1.5]].
    void layerCamClassZero()
    {
        // ReLU(g0) A0 = A0², ReLU(g1) = 0, ReLU(g2) A2 = 0.25 at (0,0): [[1.25, 4], [9, 16]].
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        compareClose(LayerCam().combine(pass.activations, pass.grads), grid({1.25f, 4, 9, 16}));
        CamContext context(*m_model, handInput(), 0, m_cancel);
        compareClose(corners(LayerCam().compute(context)), grid({0, 2.75f / 14.75f, 7.75f / 14.75f, 1}));
    }

    void hiResCamClassZero()
    {
        // A0² − A1² + A2² = [[0.25, 6.25], [7.25, 17.25]] (the sign of g1 subtracts channel 1).
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        compareClose(HiResCam().combine(pass.activations, pass.grads), grid({0.25f, 6.25f, 7.25f, 17.25f}));
        CamContext context(*m_model, handInput(), 0, m_cancel);
        compareClose(corners(HiResCam().compute(context)), grid({0, 6.0f / 17, 7.0f / 17, 1}));
    }

    void gradCamElementWiseClassZero()
    {
        // ReLU per product: A0² + 0 + A2² = [[1.25, 6.25], [11.25, 18.25]].
        const GradientPass pass = computeGradients(*m_model, handInput(), {0});
        compareClose(GradCamElementWise().combine(pass.activations, pass.grads), grid({1.25f, 6.25f, 11.25f, 18.25f}));
    }

    void xGradCamClassZeroAndOne()
    {
        // w_k = sum A·g / sum A: 30/10 = 3, −6/4 = −1.5, 7/(−4) = −1.75;
        // M = 3 A0 − 1.5 A1 − 1.75 A2 = [[0.625, 8.625], [8.625, 13.125]].
        CamContext zero(*m_model, handInput(), 0, m_cancel);
        const auto& pass = zero.gradients();
        compareClose(XGradCam().channelWeights(pass.activations, pass.grads),
            torch::tensor(std::vector<float>{3.0f, -1.5f, -1.75f}).view({1, 3}));
        compareClose(corners(XGradCam().compute(zero)), grid({0, 8.0f / 12.5f, 8.0f / 12.5f, 1}));
        // Class 1: g_k = d_k/4 is constant, so the weights are Grad-CAM's (0.25, 0.5, 0).
        CamContext one(*m_model, handInput(), 1, m_cancel);
        const auto& constant = one.gradients();
        compareClose(XGradCam().channelWeights(constant.activations, constant.grads),
            torch::tensor(std::vector<float>{0.25f, 0.5f, 0.0f}).view({1, 3}));
    }

    void xGradCamZeroSumChannelWeighsZero()
    {
        // A channel whose activations sum to 0 gets weight 0, never NaN or infinity.
        const auto activations = torch::tensor(std::vector<float>{1, -1, 2, -2, 1, 1, 1, 1}).view({1, 2, 2, 2});
        const auto grads = torch::ones({1, 2, 2, 2});
        compareClose(XGradCam().channelWeights(activations, grads),
            torch::tensor(std::vector<float>{0.0f, 1.0f}).view({1, 2}), 0);
    }

    void eigenProjectionOfARankOneMap()
    {
        // A_k = a_k P with a = (1, 2, 2) (|a| = 3), P = [[0, 1], [2, 5]]: the rows are P_ij a, the
        // centred rows (P_ij − 2) a, the first right singular vector ±a/3, the projection
        // 3 (P − 2) = [[−6, −3], [0, 9]]; |max| ≥ |min| fixes the sign, whatever the SVD gave,
        // so −A projects to the same map.
        const auto pattern = torch::tensor(std::vector<float>{0, 1, 2, 5}).view({1, 1, 2, 2});
        const auto a = torch::tensor(std::vector<float>{1, 2, 2}).view({1, 3, 1, 1});
        const auto activations = a * pattern;
        compareClose(firstPrincipalProjection(activations), grid({-6, -3, 0, 9}), 1e-4);
        compareClose(firstPrincipalProjection(-activations), grid({-6, -3, 0, 9}), 1e-4);
        // A flat map has no direction: all zeros, not NaN.
        compareClose(firstPrincipalProjection(torch::ones({1, 3, 2, 2})), torch::zeros({1, 1, 2, 2}), 0);
    }

    void scoreCamClassOne()
    {
        // Independent arithmetic: each U_k is A_k upsampled with aligned corners (source =
        // target · 1/15) and min–max normalized; the head is linear, so the logit of x ∘ U_k is
        // b + sum_j d_j mean(x_j U_k); w = softmax(s); M = ReLU(sum_k w_k A_k).
        const float av[3][2][2] = {{{1, 2}, {3, 4}}, {{1, 0}, {2, 1}}, {{0.5f, -1.5f}, {-1.5f, -1.5f}}};
        const double d[3] = {1, 2, 0}, b = 0.5;
        double s[3];
        for (int k = 0; k < 3; ++k) {
            double u[16][16], lo = 1e9, hi = -1e9;
            for (int y = 0; y < 16; ++y)
                for (int x = 0; x < 16; ++x) {
                    const double fy = y / 15.0, fx = x / 15.0;
                    u[y][x] = av[k][0][0] * (1 - fy) * (1 - fx) + av[k][0][1] * (1 - fy) * fx
                        + av[k][1][0] * fy * (1 - fx) + av[k][1][1] * fy * fx;
                    lo = std::min(lo, u[y][x]);
                    hi = std::max(hi, u[y][x]);
                }
            s[k] = b;
            for (int j = 0; j < 3; ++j) {
                double sum = 0;
                for (int y = 0; y < 16; ++y)
                    for (int x = 0; x < 16; ++x)
                        sum += av[j][y / 8][x / 8] * (u[y][x] - lo) / (hi - lo);
                s[k] += d[j] * sum / 256;
            }
        }
        const double total = std::exp(s[0]) + std::exp(s[1]) + std::exp(s[2]);
        std::vector<float> m(4);
        for (int i = 0; i < 4; ++i) {
            double value = 0;
            for (int k = 0; k < 3; ++k)
                value += std::exp(s[k]) / total * av[k][i / 2][i % 2];
            m[std::size_t(i)] = float(std::max(0.0, value));
        }
        const auto expected = grid({m[0], m[1], m[2], m[3]});
        CamContext context(*m_model, handInput(), 1, m_cancel);
        compareClose(corners(ScoreCam(2).compute(context)),
            (expected - expected.min()) / (expected.max() - expected.min()), 1e-4);
    }

    void ablationCamClassOne()
    {
        // min(A) = −1.5, so a channel is ablated to v = −1.5 − 1e7. The head is linear:
        // y1 = sum_k d_k mean(A_k) + b = 2.5 + 2 + 0.5 = 5, s_k = y1 − d_k (mean A_k − v), and
        // w = (y1 − s) / y1 = d_k (mean A_k − v) / 5 = ((1e7 + 4) / 5, (2e7 + 5) / 5, 0).
        const double w0 = (1e7 + 4) / 5, w1 = (2e7 + 5) / 5;
        const float a0[4] = {1, 2, 3, 4}, a1[4] = {1, 0, 2, 1};
        std::vector<float> m(4);
        for (int i = 0; i < 4; ++i)
            m[std::size_t(i)] = float(w0 * a0[i] + w1 * a1[i]);
        const auto expected = grid({m[0], m[1], m[2], m[3]});
        CamContext context(*m_model, handInput(), 1, m_cancel);
        std::vector<std::pair<int, int>> progress;
        context.setProgress([&progress](int done, int total) { progress.push_back({done, total}); });
        compareClose(corners(AblationCam(2).compute(context)),
            (expected - expected.min()) / (expected.max() - expected.min()), 1e-5);
        // Batches of 2 over K = 3 channels: progress after each batch.
        QCOMPARE(progress, (std::vector<std::pair<int, int>>{{2, 3}, {3, 3}}));
    }

    void ablationCamRefusesAZeroClassScore()
    {
        // A = (−0.5, 0, 1) everywhere: y1 = −0.5 + 0 + 0 + 0.5 = 0, and w = (y1 − s) / y1 has no value.
        const auto input = torch::tensor(std::vector<float>{-0.5f, 0, 1}).view({1, 3, 1, 1}).expand({1, 3, 16, 16});
        CamContext context(*m_model, input.contiguous(), 1, m_cancel);
        QCOMPARE(context.gradients().logits[0][1].item<float>(), 0.0f);
        try {
            AblationCam().compute(context);
            QFAIL("Ablation-CAM divided by a zero class score");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadResult);
        }
    }

    void slowMethodsStopWhenCancelled()
    {
        CancelToken cancel;
        cancel.cancel();
        std::vector<std::unique_ptr<CamMethod>> slow;
        slow.push_back(std::make_unique<ScoreCam>(1));
        slow.push_back(std::make_unique<AblationCam>(1));
        for (const auto& method : slow) {
            CamContext context(*m_model, handInput(), 1, cancel);
            try {
                method->compute(context);
                QFAIL("a cancelled job ran to the end");
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::Cancelled);
            }
        }
    }

    void unknownMethodIsAClearError()
    {
        try {
            makeCamMethod("scorecam-typo", MethodParameters{});
            QFAIL("unknown id accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY(QString::fromStdString(e.userMessage()).contains("gradcampp"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCamFormulas)
#include "TestCamFormulas.moc"
