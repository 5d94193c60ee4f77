// Inside the method: the steps the teaching view shows must add up to the method's map. On the
// hand network of TinyModels.h, with an image whose 8×8 blocks are constant (so A_k is those
// blocks' values / 255), Grad-CAM's weights and weighted sum are worked out here in doubles:
//   class 0: g_k = c_k A_k, c = (1, -1, 1)  =>  w_k = mean_ij g_kij = c_k mean_ij A_kij,  S = sum_k w_k A_k.

#include "TinyModels.h"
#include "engine/core/Error.h"
#include "engine/explain/Explainer.h"
#include "engine/model/Sidecar.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace fcs;

namespace {

// Blocks (row-major 2×2) per channel, in 0..255.
const int kBlocks[3][4] = {{255, 128, 64, 32}, {10, 0, 200, 90}, {40, 160, 120, 250}};
const double kC[3] = {1, -1, 1};

cv::Mat blockImage()
{
    cv::Mat rgb(16, 16, CV_8UC3);
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x)
            for (int k = 0; k < 3; ++k)
                rgb.at<cv::Vec3b>(y, x)[k] = uchar(kBlocks[k][(y / 8) * 2 + x / 8]);
    return rgb;
}

double a(int k, int cell)
{
    return kBlocks[k][cell] / 255.0;
}

} // namespace

class TestMethodAnatomy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Explainer> m_explainer;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto network = test::handNetwork();
        m_explainer = std::make_unique<Explainer>(
            readSidecar(test::saveWithSidecar(network, m_dir.path().toStdString(), "hand", 2, 16)));
    }

    void gradCamStepsAreTheHandArithmetic()
    {
        const MethodAnatomy anatomy = m_explainer->dissect(blockImage(), "gradcam", 0);
        QCOMPARE(anatomy.explainedClass, 0);
        QCOMPARE(int(anatomy.activations.size()), 3);
        QCOMPARE(anatomy.weightedSum.size(), cv::Size(2, 2));
        double w[3];
        for (int k = 0; k < 3; ++k) {
            double total = 0;
            for (int cell = 0; cell < 4; ++cell)
                total += a(k, cell);
            w[k] = kC[k] * total / 4;
            QVERIFY2(std::abs(anatomy.weights[std::size_t(k)] - w[k]) < 1e-6,
                qPrintable(QString("w_%1 = %2, by hand %3").arg(k).arg(anatomy.weights[std::size_t(k)]).arg(w[k])));
            for (int cell = 0; cell < 4; ++cell)
                QVERIFY(
                    std::abs(anatomy.activations[std::size_t(k)].at<float>(cell / 2, cell % 2) - a(k, cell)) < 1e-6);
        }
        for (int cell = 0; cell < 4; ++cell) {
            const double byHand = w[0] * a(0, cell) + w[1] * a(1, cell) + w[2] * a(2, cell);
            QVERIFY(std::abs(anatomy.weightedSum.at<float>(cell / 2, cell % 2) - byHand) < 1e-6);
        }
        // The bars' order: w_2 = 570/1020 = 0.559, w_0 = 479/1020 = 0.470, w_1 = -300/1020 = -0.294.
        QCOMPARE(anatomy.channelsByWeight(), (std::vector<int>{2, 0, 1}));
        QVERIFY(anatomy.weights[1] < 0);
    }

    // What the view sums is the method's own: the displayed weighted channels add up to the map
    // before the ReLU, and the finished map is the Explain view's map, bit for bit.
    void displayedChannelsAddUpToTheMap_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("classIndex");
        for (const char* method : {"gradcam", "gradcampp", "xgradcam", "smoothgradcampp"})
            for (int c : {0, 1})
                QTest::addRow("%s class %d", method, c) << method << c;
    }

    void displayedChannelsAddUpToTheMap()
    {
        QFETCH(QString, method);
        QFETCH(int, classIndex);
        const MethodAnatomy anatomy = m_explainer->dissect(blockImage(), method.toStdString(), classIndex);
        cv::Mat sum = cv::Mat::zeros(anatomy.weightedSum.size(), CV_32F);
        for (std::size_t k = 0; k < anatomy.weights.size(); ++k)
            sum += float(anatomy.weights[k]) * anatomy.activations[k];
        QVERIFY(cv::norm(sum, anatomy.weightedSum, cv::NORM_INF) < 1e-6);

        ExplainSettings settings;
        settings.methods = {method.toStdString()};
        settings.targetClass = classIndex;
        const auto explanation = m_explainer->explain(blockImage(), settings);
        QCOMPARE(cv::norm(anatomy.map, explanation.methods.front().map, cv::NORM_INF), 0.0);
        QCOMPARE(anatomy.explainedClass, explanation.explainedClass);
        const bool plusPlus = method == "gradcampp" || method == "smoothgradcampp";
        QCOMPARE(anatomy.alphas.size(), plusPlus ? std::size_t(3) : std::size_t(0));
        if (method != "smoothgradcampp") {
            QVERIFY(anatomy.noisyCopies.empty() && anatomy.runningMeans.empty());
            return;
        }
        // Smooth Grad-CAM++: copies of the photo with noise, each with its map; the running mean
        // ends in the method's map (checked bit for bit above), after all 25 copies.
        QCOMPARE(anatomy.noisyCopies.size(), std::size_t(3));
        QCOMPARE(anatomy.noisyCopies.front().size(), cv::Size(16, 16));
        QVERIFY(cv::norm(anatomy.noisyCopies.front(), blockImage(), cv::NORM_INF) > 0); // noise was added
        QCOMPARE(anatomy.copyMaps.size(), std::size_t(3));
        QCOMPARE(anatomy.runningMeans.back().first, settings.smooth.samples);
        QCOMPARE(cv::norm(anatomy.runningMeans.back().second, anatomy.map, cv::NORM_INF), 0.0);
        for (std::size_t i = 1; i < anatomy.runningMeans.size(); ++i)
            QVERIFY(anatomy.runningMeans[i].first > anatomy.runningMeans[i - 1].first);
    }

    // Grad-CAM++'s weights are its alphas times ReLU(g), summed (class 0: g = c_k A_k).
    void gradCamPlusPlusWeightsComeFromItsAlphas()
    {
        const MethodAnatomy anatomy = m_explainer->dissect(blockImage(), "gradcampp", 0);
        for (int k = 0; k < 3; ++k) {
            double w = 0;
            for (int cell = 0; cell < 4; ++cell)
                w += anatomy.alphas[std::size_t(k)].at<float>(cell / 2, cell % 2) * std::max(0.0, kC[k] * a(k, cell));
            QVERIFY(std::abs(anatomy.weights[std::size_t(k)] - w) < 1e-6);
        }
        QCOMPARE(anatomy.weights[1], 0.0); // c_1 < 0: no positive gradient anywhere
    }

    void otherMethodsAndClassesAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(Error, m_explainer->dissect(blockImage(), "scorecam", 0));
        QVERIFY_THROWS_EXCEPTION(Error, m_explainer->dissect(blockImage(), "gradcam", 7));
        QVERIFY(!canDissect("eigencam") && canDissect("xgradcam"));
    }
};

QTEST_GUILESS_MAIN(TestMethodAnatomy)
#include "TestMethodAnatomy.moc"
