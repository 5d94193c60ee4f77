// Every CAM formula against hand arithmetic on the network of TinyModels.h, whose activations
// and gradients are known exactly:
//   A0 = [[1,2],[3,4]], A1 = [[1,0],[2,1]], A2 = [[0.5,-1.5],[-1.5,-1.5]]
//   class 0: g_k = c_k A_k with c = (1,-1,1);  class 1: g_k = d_k / 4 with d = (1,2,0).
// The expected numbers are worked out in the comments of each test.

#include "TestPaths.h"
#include "TinyModels.h"

#include "engine/cam/Cam.h"
#include "engine/cam/CamMethod.h"
#include "engine/cam/GradCam.h"
#include "engine/cam/GradCamPlusPlus.h"
#include "engine/cam/MapOps.h"
#include "engine/cam/SmoothGradCamPlusPlus.h"
#include "engine/catalog/MethodCatalog.h"
#include "engine/core/Error.h"
#include "engine/model/ClassifierModel.h"

#include <QTemporaryDir>
#include <QtTest>

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
