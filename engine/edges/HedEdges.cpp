#include "engine/edges/HedEdges.h"

#include "engine/core/Error.h"

#include <opencv2/dnn.hpp>
#include <opencv2/dnn/layer.details.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <mutex>

namespace fcs {
namespace {

// Crops its first input to the spatial size of its second, centred (HED's "Crop" semantics).
class CentreCropLayer : public cv::dnn::Layer
{
public:
    explicit CentreCropLayer(const cv::dnn::LayerParams& params)
        : cv::dnn::Layer(params)
    {
    }

    static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& params) { return cv::makePtr<CentreCropLayer>(params); }

    bool getMemoryShapes(const std::vector<cv::dnn::MatShape>& inputs, const int /*requiredOutputs*/,
        std::vector<cv::dnn::MatShape>& outputs, std::vector<cv::dnn::MatShape>& /*internals*/) const override
    {
        CV_Assert(inputs.size() == 2 && inputs[0].size() == 4 && inputs[1].size() == 4);
        cv::dnn::MatShape shape = inputs[0];
        shape[2] = inputs[1][2];
        shape[3] = inputs[1][3];
        outputs.assign(1, shape);
        return false;
    }

    void forward(cv::InputArrayOfArrays inputsArray, cv::OutputArrayOfArrays outputsArray,
        cv::OutputArrayOfArrays /*internals*/) override
    {
        std::vector<cv::Mat> inputs, outputs;
        inputsArray.getMatVector(inputs);
        outputsArray.getMatVector(outputs);
        const cv::Mat& in = inputs[0];
        cv::Mat& out = outputs[0];
        const int top = (in.size[2] - out.size[2]) / 2, left = (in.size[3] - out.size[3]) / 2;
        const cv::Range window[4] = {
            cv::Range::all(), cv::Range::all(), cv::Range(top, top + out.size[2]), cv::Range(left, left + out.size[3])};
        in(window).copyTo(out);
    }
};

void registerCropLayerOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { cv::dnn::LayerFactory::registerLayer("Crop", CentreCropLayer::create); });
}

// The BGR means HED was trained with (its deploy scripts).
const cv::Scalar kHedMeanBgr(104.00698793, 116.66876762, 122.67891434);

} // namespace

struct HedEdges::Impl
{
    cv::dnn::Net net;
};

HedEdges::HedEdges(const std::string& prototxt, const std::string& weights)
    : m_impl(std::make_unique<Impl>())
{
    for (const auto& [file, what] : {std::pair{prototxt, "deploy.prototxt"}, std::pair{weights, "caffemodel"}}) {
        if (file.empty())
            throw Error(ErrorCode::ModelNotFound,
                std::string("HED needs its ") + what
                    + " file: give --hed-prototxt and --hed-weights (HED's Caffe "
                      "files are not shipped with the app).");
        if (!std::filesystem::is_regular_file(file))
            throw Error(ErrorCode::ModelNotFound, "The HED file \"" + file + "\" does not exist.");
    }
    registerCropLayerOnce();
    try {
        m_impl->net = cv::dnn::readNetFromCaffe(prototxt, weights);
    } catch (const cv::Exception& e) {
        throw Error(ErrorCode::BadModel,
            "Cannot load HED from \"" + prototxt + "\" and \"" + weights
                + "\": they are not a Caffe network description and its weights.",
            e.what());
    }
    if (m_impl->net.empty())
        throw Error(ErrorCode::BadModel, "Cannot load HED from \"" + prototxt + "\" and \"" + weights + "\".");
}

HedEdges::~HedEdges() = default;

cv::Mat HedEdges::detect(const cv::Mat& rgb)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    const cv::Mat blob = cv::dnn::blobFromImage(bgr, 1.0, bgr.size(), kHedMeanBgr, false, false);
    cv::Mat out;
    try {
        m_impl->net.setInput(blob);
        out = m_impl->net.forward();
    } catch (const cv::Exception& e) {
        throw Error(ErrorCode::ContractMismatch,
            "HED failed on an image of " + std::to_string(rgb.cols) + "×" + std::to_string(rgb.rows) + " pixels.",
            e.what());
    }
    if (out.dims != 4 || out.size[2] != rgb.rows || out.size[3] != rgb.cols)
        throw Error(ErrorCode::ContractMismatch, "HED returned an edge map of the wrong size.");
    cv::Mat edges(rgb.rows, rgb.cols, CV_32F, out.ptr<float>(0, 0));
    cv::Mat result;
    cv::min(cv::max(edges, 0.0), 1.0, result);
    return result;
}

} // namespace fcs
