// HED's path through OpenCV's dnn module, without HED's 56 MB weights: a small Caffe network
// with HED's layer types (Convolution, ReLU, Pooling, Deconvolution, the centre Crop the app
// registers, Concat, Sigmoid), its weights written here in Caffe's protobuf wire format. The
// weights make the network compute, at every pixel, sigmoid(4·ReLU(mean of its 2×2 block's
// mean-subtracted grey) − 2), which the test computes by hand; an off-centre crop would shift it.

#include "engine/core/Error.h"
#include "engine/edges/EdgeDetector.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace fcs;

namespace {

// --- Just enough of the protobuf wire format for caffe.NetParameter. ---
std::string varint(std::uint64_t value)
{
    std::string out;
    do {
        unsigned char byte = value & 0x7F;
        value >>= 7;
        out.push_back(char(value ? byte | 0x80 : byte));
    } while (value);
    return out;
}

std::string field(int number, const std::string& bytes) // length-delimited
{
    return varint(std::uint64_t(number) << 3 | 2) + varint(bytes.size()) + bytes;
}

std::string blob(const std::vector<std::int64_t>& shape, const std::vector<float>& data)
{
    std::string dims, floats(data.size() * sizeof(float), '\0');
    for (const auto d : shape)
        dims += varint(std::uint64_t(d));
    std::memcpy(floats.data(), data.data(), floats.size());
    return field(7, field(1, dims)) + field(5, floats); // BlobProto.shape.dim, BlobProto.data
}

std::string layer(const std::string& name, const std::vector<std::string>& blobs)
{
    std::string out = field(1, name);
    for (const auto& b : blobs)
        out += field(7, b); // LayerParameter.blobs
    return field(100, out); // NetParameter.layer
}

// The network: conv1 (3->1, 1x1, weights 1/3: grey) -> ReLU -> pool (AVE 2x2/2) -> score (1x1, x4)
// -> up (Deconvolution 2x2/2, weights 1: each block's value back on its 2x2 pixels) -> pad
// (Deconvolution 3x3 with only the centre tap: 1 px larger on each side) -> Crop to the data's size
// (centred, so the 1 px border is dropped) -> concat with skip (1x1 on conv1) -> fuse (1x1,
// weights [1, 0], bias -2) -> Sigmoid.
const char* kPrototxt = R"(name: "TinyHED"
input: "data"
input_dim: 1
input_dim: 3
input_dim: 16
input_dim: 16
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 1 kernel_size: 1 } }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
layer { name: "score" type: "Convolution" bottom: "pool1" top: "score" convolution_param { num_output: 1 kernel_size: 1 } }
layer { name: "up" type: "Deconvolution" bottom: "score" top: "up" convolution_param { num_output: 1 kernel_size: 2 stride: 2 pad: 0 } }
layer { name: "pad" type: "Deconvolution" bottom: "up" top: "padded" convolution_param { num_output: 1 kernel_size: 3 stride: 1 pad: 0 } }
layer { name: "crop" type: "Crop" bottom: "padded" bottom: "data" top: "cropped" }
layer { name: "skip" type: "Convolution" bottom: "conv1" top: "skip" convolution_param { num_output: 1 kernel_size: 1 } }
layer { name: "concat" type: "Concat" bottom: "cropped" bottom: "skip" top: "concat" concat_param { axis: 1 } }
layer { name: "fuse" type: "Convolution" bottom: "concat" top: "fuse" convolution_param { num_output: 1 kernel_size: 1 } }
layer { name: "sigmoid" type: "Sigmoid" bottom: "fuse" top: "sigmoid" }
)";

std::string weights()
{
    const float third = 1.0f / 3.0f;
    std::vector<float> centreOnly(9, 0.0f);
    centreOnly[4] = 1.0f; // a 3x3 deconvolution with only its centre tap: pads by 1 on every side
    return layer("conv1", {blob({1, 3, 1, 1}, {third, third, third}), blob({1}, {0})})
        + layer("score", {blob({1, 1, 1, 1}, {4}), blob({1}, {0})})
        + layer("up", {blob({1, 1, 2, 2}, {1, 1, 1, 1}), blob({1}, {0})})
        + layer("pad", {blob({1, 1, 3, 3}, centreOnly), blob({1}, {0})})
        + layer("skip", {blob({1, 1, 1, 1}, {1}), blob({1}, {0})})
        + layer("fuse", {blob({1, 2, 1, 1}, {1, 0}), blob({1}, {-2})});
}

} // namespace

class TestHedEdges : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    EdgeOptions m_options;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile prototxt(m_dir.filePath("deploy.prototxt"));
        QVERIFY(prototxt.open(QIODevice::WriteOnly));
        prototxt.write(kPrototxt);
        QFile model(m_dir.filePath("tiny_hed.caffemodel"));
        QVERIFY(model.open(QIODevice::WriteOnly));
        const std::string bytes = weights();
        model.write(bytes.data(), qint64(bytes.size()));
        m_options.hedPrototxt = prototxt.fileName().toStdString();
        m_options.hedWeights = model.fileName().toStdString();
    }

    void runsHedLayerTypesWithTheCentreCrop()
    {
        // Left half black, right half RGB (200, 180, 160). HED's preprocessing subtracts its BGR
        // channel means; each output pixel is sigmoid(4 * ReLU(block mean of the grey) - 2).
        auto hed = makeEdgeDetector("hed", m_options);
        QCOMPARE(hed->id(), std::string("hed"));
        cv::Mat image(16, 20, CV_8UC3, cv::Scalar(0, 0, 0));
        image(cv::Rect(10, 0, 10, 16)).setTo(cv::Scalar(200, 180, 160));
        const cv::Mat edges = hed->detect(image);
        QCOMPARE(edges.size(), image.size());
        QCOMPARE(edges.type(), CV_32F);
        // HED's BGR means; the image is RGB, so B = 160, G = 180, R = 200 on the right.
        const double meanRight = ((160 - 104.00698793) + (180 - 116.66876762) + (200 - 122.67891434)) / 3.0;
        const double expectedRight = 1.0 / (1.0 + std::exp(-(4 * std::max(0.0, meanRight) - 2)));
        const double expectedLeft = 1.0 / (1.0 + std::exp(2.0)); // ReLU clips the negative means: sigmoid(-2)
        QVERIFY2(std::abs(edges.at<float>(5, 15) - expectedRight) < 1e-4,
            qPrintable(QString("right %1 vs %2").arg(edges.at<float>(5, 15)).arg(expectedRight)));
        QVERIFY2(std::abs(edges.at<float>(5, 3) - expectedLeft) < 1e-4,
            qPrintable(QString("left %1 vs %2").arg(edges.at<float>(5, 3)).arg(expectedLeft)));
        // The crop is centred: the padded map is 2 px larger, so column 10 (first right column)
        // still reads the right half's value, not a shifted one.
        QVERIFY(std::abs(edges.at<float>(8, 10) - expectedRight) < 1e-4);
        QVERIFY(std::abs(edges.at<float>(8, 9) - expectedLeft) < 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestHedEdges)
#include "TestHedEdges.moc"
