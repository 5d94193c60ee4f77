#include "engine/model/ClassifierModel.h"

#include "engine/core/Error.h"
#include "engine/model/ImageTensor.h"
#include "engine/model/ValidatedModels.h"
#include "engine/onnx/OnnxNetwork.h"

#include <torch/csrc/jit/python/update_graph_executor_opt.h>

#include <opencv2/core.hpp>

#include <algorithm>
#include <filesystem>

namespace fcs {
namespace {

constexpr const char* kContractMethods[] = {"forward", "features", "classify"};

std::string what(const c10::Error& e)
{
    return e.what_without_backtrace();
}

} // namespace

std::unique_ptr<ClassifierModel> ClassifierModel::load(const Sidecar& sidecar)
{
    if (sidecar.kind != ModelKind::Classifier)
        throw Error(ErrorCode::BadModel, "\"" + sidecar.id + "\" is an edge model, not a classifier.");
    if (!std::filesystem::exists(sidecar.modelPath))
        throw Error(ErrorCode::ModelNotFound, "The model archive \"" + sidecar.modelPath + "\" does not exist.");

    if (isOnnxModel(sidecar)) {
        auto network
            = OnnxNetwork::load(sidecar.modelPath, sidecar.targetLayer, sidecar.inputHeight, sidecar.inputWidth);
        std::unique_ptr<ClassifierModel> model(new ClassifierModel(sidecar, torch::jit::Module(), std::move(network)));
        model->m_sidecar.targetLayer = model->m_onnx->target();
        const std::string key = validationKey(model->m_sidecar, kChecksRevision);
        if (!isKnownValid(key)) {
            model->validate();
            rememberValid(key);
        }
        return model;
    }
    // The profiling executor makes the first calls of each method ~20x slower and then
    // re-specializes for every new batch size; the plain executor is as fast in steady state
    // (measured: docs/performance.md).
    torch::jit::setGraphExecutorOptimize(false);
    torch::jit::Module module;
    try {
        module = torch::jit::load(sidecar.modelPath, torch::kCPU);
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::BadModel,
            "\"" + sidecar.modelPath + "\" is not a TorchScript archive LibTorch can load.", what(e));
    } catch (const std::exception& e) {
        throw Error(ErrorCode::BadModel,
            "\"" + sidecar.modelPath + "\" is not a TorchScript archive LibTorch can load.", e.what());
    }
    module.eval();
    for (const char* method : kContractMethods)
        if (!module.find_method(method))
            throw Error(ErrorCode::BadModel,
                "The model \"" + sidecar.modelPath + "\" has no `" + method
                    + "` method; a CAM-ready model needs forward, features and "
                      "classify (see models/README.md).");
    std::unique_ptr<ClassifierModel> model(new ClassifierModel(sidecar, std::move(module)));
    const std::string key = validationKey(sidecar, kChecksRevision);
    if (!isKnownValid(key)) {
        model->validate();
        rememberValid(key);
    }
    return model;
}

ClassifierModel::ClassifierModel(Sidecar sidecar, torch::jit::Module module, std::unique_ptr<OnnxNetwork> onnx)
    : m_sidecar(std::move(sidecar))
    , m_module(std::move(module))
    , m_onnx(std::move(onnx))
{
}

ClassifierModel::~ClassifierModel() = default;

void ClassifierModel::validate()
{
    const std::string name = "The model \"" + m_sidecar.modelPath + "\"";
    const auto mismatch = [&](const std::string& what, const std::string& detail = {}) {
        return Error(ErrorCode::ContractMismatch, name + (what.front() == ':' ? "" : " ") + what, detail);
    };
    const auto requireFloatAndFinite = [&](const torch::Tensor& t, const char* method) {
        if (t.scalar_type() != torch::kFloat)
            throw mismatch(std::string("returns ") + c10::toString(t.scalar_type()) + " from `" + method
                + "`; the contract wants float32 (export the model in float32).");
        if (!torch::isfinite(t).all().item<bool>())
            throw mismatch(std::string("returns NaN or infinite values from `") + method
                + "` on a plain test image; its weights or its normalization are broken.");
    };
    torch::NoGradGuard noGrad;
    // Three probes: the input range's two ends (a black and a white image, normalized as the
    // sidecar says) and a ramp, so that features/classify disagreements cannot hide behind zeros.
    const auto shape = std::vector<int64_t>{1, 3, m_sidecar.inputHeight, m_sidecar.inputWidth};
    const auto ramp = torch::linspace(-1, 1, 3 * m_sidecar.inputHeight * m_sidecar.inputWidth).reshape(shape);
    const auto black = toInput({cv::Mat::zeros(m_sidecar.inputHeight, m_sidecar.inputWidth, CV_8UC3)});
    const auto white = toInput({cv::Mat(m_sidecar.inputHeight, m_sidecar.inputWidth, CV_8UC3, cv::Scalar::all(255))});
    const torch::Tensor probe = torch::cat({ramp, black, white});

    const torch::Tensor logits = forward(probe);
    if (logits.dim() != 2 || logits.size(0) != probe.size(0))
        throw mismatch(": forward must return logits [N, classes].", "got shape " + c10::str(logits.sizes()));
    if (logits.size(1) != m_sidecar.numClasses)
        throw mismatch("gives " + std::to_string(logits.size(1)) + " outputs, but its labels file \""
            + m_sidecar.labelsPath + "\" has " + std::to_string(m_sidecar.numClasses) + " classes.");
    requireFloatAndFinite(logits, "forward");
    const torch::Tensor activations = features(probe);
    if (activations.dim() != 4 || activations.size(0) != probe.size(0))
        throw mismatch(
            ": features must return activations [N, K, h, w].", "got shape " + c10::str(activations.sizes()));
    if (activations.numel() == 0)
        throw mismatch(": features returns an empty map " + c10::str(activations.sizes())
            + "; the target layer must have at least one channel and one position.");
    requireFloatAndFinite(activations, "features");
    const torch::Tensor recombined = classify(activations);
    requireFloatAndFinite(recombined, "classify");
    const double tolerance = 1e-4 * std::max(1.0, logits.abs().max().item<double>());
    if (recombined.sizes() != logits.sizes() || (recombined - logits).abs().max().item<double>() > tolerance)
        throw mismatch(": classify(features(x)) differs from forward(x), so features() is not the layer "
                       "classify() starts from.");

    // The gradient methods differentiate classify() with respect to the activations.
    torch::AutoGradMode gradMode(true);
    const torch::Tensor leaf = activations.narrow(0, 0, 1).detach().requires_grad_(true);
    const torch::Tensor differentiable = classify(leaf);
    if (!differentiable.requires_grad())
        throw mismatch("has a `classify` that yields no gradient (it detaches its input or runs under no_grad), "
                       "so Grad-CAM and the other gradient methods cannot run on it.");
}

torch::Tensor ClassifierModel::run(const char* method, const torch::Tensor& argument)
{
    const auto failed = [&](const std::string& detail) {
        return Error(ErrorCode::ContractMismatch,
            "The model \"" + m_sidecar.modelPath + "\" failed in `" + method + "` on input of shape "
                + c10::str(argument.sizes()) + ".",
            detail);
    };
    if (m_onnx) {
        const std::string name = method;
        try {
            return name == "forward" ? m_onnx->forward(argument)
                : name == "features" ? m_onnx->features(argument)
                                     : m_onnx->classify(argument);
        } catch (const c10::Error& e) {
            throw failed(what(e));
        }
    }
    c10::IValue result;
    try {
        result = m_module.get_method(method)({argument});
    } catch (const c10::Error& e) {
        throw failed(what(e));
    } catch (const std::runtime_error& e) { // TorchScript interpreter errors (JITException)
        throw failed(e.what());
    }
    if (!result.isTensor())
        throw Error(ErrorCode::ContractMismatch,
            "The model \"" + m_sidecar.modelPath + "\": `" + method + "` must return a tensor.");
    return result.toTensor();
}

torch::Tensor ClassifierModel::forward(const torch::Tensor& input)
{
    return run("forward", input);
}

torch::Tensor ClassifierModel::features(const torch::Tensor& input)
{
    return run("features", input);
}

torch::Tensor ClassifierModel::classify(const torch::Tensor& activations)
{
    return run("classify", activations);
}

torch::Tensor ClassifierModel::toInput(const std::vector<cv::Mat>& rgbAtInputSize) const
{
    for (const auto& image : rgbAtInputSize)
        CV_Assert(image.rows == m_sidecar.inputHeight && image.cols == m_sidecar.inputWidth);
    return normalizedBatch(rgbAtInputSize, m_sidecar.mean, m_sidecar.std, m_sidecar.bgr);
}

} // namespace fcs
