#include "engine/onnx/OnnxOperators.h"

#include "engine/core/Error.h"

#include <torch/torch.h>

#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace fcs {
namespace {

using torch::Tensor;
using Ints = std::vector<std::int64_t>;
using Tensors = std::vector<Tensor>;

constexpr std::int64_t kMaxCreatedElements = std::int64_t(1) << 31; // ConstantOfShape, Expand, Range, Tile, Resize

[[noreturn]] void refuseNode(const OnnxNode& node, std::int64_t opset, const std::string& path, const std::string& why)
{
    throw Error(ErrorCode::BadModel,
        "The ONNX model \"" + path + "\" cannot be used: " + node.describe() + " at opset " + std::to_string(opset)
            + ": " + why + ". Feature CAM Studio refuses what it cannot compute exactly rather than give a wrong map.");
}

// A node's attributes, read once at load; anything unknown is refused there. Only for compiling:
// it refers to the node, which kernels must not keep.
class Attributes
{
public:
    Attributes(const OnnxNode& node, std::int64_t opset, const std::string& path, std::set<std::string> known)
        : m_node(node)
        , m_opset(opset)
        , m_path(path)
    {
        for (const auto& a : node.attributes)
            if (!known.count(a.name))
                refuse("its attribute \"" + a.name + "\" is not implemented");
    }

    [[noreturn]] void refuse(const std::string& why) const { refuseNode(m_node, m_opset, m_path, why); }

    bool has(const char* name) const { return m_node.attribute(name) != nullptr; }
    std::int64_t i(const char* name, std::int64_t fallback) const
    {
        const auto* a = m_node.attribute(name);
        return a && a->kind == OnnxAttribute::Kind::Int ? a->i : fallback;
    }
    float f(const char* name, float fallback) const
    {
        const auto* a = m_node.attribute(name);
        return a && a->kind == OnnxAttribute::Kind::Float ? a->f : fallback;
    }
    std::string s(const char* name, const std::string& fallback) const
    {
        const auto* a = m_node.attribute(name);
        return a && a->kind == OnnxAttribute::Kind::String ? a->s : fallback;
    }
    Ints ints(const char* name, Ints fallback = {}) const
    {
        const auto* a = m_node.attribute(name);
        return a && a->kind == OnnxAttribute::Kind::Ints ? a->ints : fallback;
    }
    const OnnxAttribute* get(const char* name) const { return m_node.attribute(name); }
    std::int64_t opset() const { return m_opset; }
    const OnnxNode& node() const { return m_node; }

    // Only the first `count` outputs may be used (e.g. MaxPool's indices are not computed).
    void usesOutputs(std::size_t count) const
    {
        for (std::size_t k = count; k < m_node.outputs.size(); ++k)
            if (!m_node.outputs[k].empty())
                refuse("its output " + std::to_string(k + 1) + " (\"" + m_node.outputs[k] + "\") is not implemented");
    }

private:
    const OnnxNode& m_node;
    std::int64_t m_opset;
    std::string m_path;
};

Ints toInts(const Tensor& t)
{
    const Tensor values = t.to(torch::kLong).contiguous().flatten();
    const auto* data = values.data_ptr<std::int64_t>();
    return Ints(data, data + values.numel());
}

std::int64_t normalizedAxis(std::int64_t axis, std::int64_t rank)
{
    if (axis < -rank || axis >= std::max<std::int64_t>(rank, 1))
        throw std::runtime_error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    return axis < 0 ? axis + rank : axis;
}

void checkCreatedSize(const Ints& shape)
{
    std::int64_t count = 1;
    for (const auto d : shape) {
        if (d < 0)
            throw std::runtime_error("a negative dimension " + std::to_string(d));
        if (d > 0 && count > kMaxCreatedElements / d)
            throw std::runtime_error("a tensor of more than 2^31 elements");
        count *= d;
    }
}

std::optional<torch::ScalarType> torchType(std::int64_t onnxType)
{
    switch (OnnxType(onnxType)) {
    case OnnxType::Float:
        return torch::kFloat;
    case OnnxType::Double:
        return torch::kDouble;
    case OnnxType::Int64:
        return torch::kLong;
    case OnnxType::Int32:
        return torch::kInt;
    case OnnxType::Int8:
        return torch::kChar;
    case OnnxType::Uint8:
        return torch::kByte;
    case OnnxType::Bool:
        return torch::kBool;
    case OnnxType::Float16:
        return torch::kHalf;
    }
    return std::nullopt;
}

bool isIntegral(const Tensor& t)
{
    return c10::isIntegralType(t.scalar_type(), /*includeBool=*/true);
}

// ONNX pads [x1_begin, x2_begin, …, x1_end, x2_end, …] over the last `spatial` dims, as
// torch's pad list (last dim first: begin, end, …).
std::vector<std::int64_t> torchPadList(const Ints& pads, std::size_t spatial)
{
    std::vector<std::int64_t> list;
    for (std::size_t k = spatial; k-- > 0;) {
        list.push_back(pads[k]);
        list.push_back(pads[k + spatial]);
    }
    return list;
}

// Conv and pooling share their window attributes; SAME padding depends on the input's size.
struct Window
{
    Ints kernel, strides, pads, dilations;
    std::string autoPad;

    static Window read(const Attributes& a, std::size_t spatial)
    {
        Window w;
        w.kernel = a.ints("kernel_shape");
        w.strides = a.ints("strides", Ints(spatial, 1));
        w.dilations = a.ints("dilations", Ints(spatial, 1));
        w.pads = a.ints("pads", Ints(2 * spatial, 0));
        w.autoPad = a.s("auto_pad", "NOTSET");
        if (w.autoPad != "NOTSET" && w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER" && w.autoPad != "VALID")
            a.refuse("auto_pad \"" + w.autoPad + "\" is not implemented");
        if (w.strides.size() != spatial || w.dilations.size() != spatial || w.pads.size() != 2 * spatial)
            a.refuse("its strides, dilations or pads do not match its " + std::to_string(spatial) + " spatial axes");
        return w;
    }

    // The pads for an input of these spatial sizes.
    Ints padsFor(const torch::IntArrayRef sizes, const Ints& kernelShape) const
    {
        if (autoPad == "NOTSET")
            return pads;
        const std::size_t spatial = kernelShape.size();
        Ints result(2 * spatial, 0);
        if (autoPad == "VALID")
            return result;
        for (std::size_t k = 0; k < spatial; ++k) {
            const std::int64_t in = sizes[sizes.size() - spatial + k];
            const std::int64_t out = (in + strides[k] - 1) / strides[k];
            const std::int64_t total
                = std::max<std::int64_t>(0, (out - 1) * strides[k] + (kernelShape[k] - 1) * dilations[k] + 1 - in);
            const std::int64_t small = total / 2;
            result[k] = autoPad == "SAME_UPPER" ? small : total - small;
            result[k + spatial] = total - result[k];
        }
        return result;
    }
};

bool symmetric(const Ints& pads)
{
    const std::size_t spatial = pads.size() / 2;
    for (std::size_t k = 0; k < spatial; ++k)
        if (pads[k] != pads[k + spatial])
            return false;
    return true;
}

// A 1×1 convolution as LibTorch 1.13 runs it fastest (as the exporter's TorchScript archives
// do; models/export.py). Undilated and on a batch of one, it goes to a single-threaded BLAS
// product unless the input holds more than 20480 values; a dilation, which changes nothing on a
// 1×1 kernel, sends it to oneDNN, and a small input's rows taken as the batch let oneDNN split
// it across threads.
Tensor pointwiseConvolution(const Tensor& x, const Tensor& weight, const Tensor& bias)
{
    const std::int64_t n = x.size(0), h = x.size(2), width = x.size(3);
    // The same weights with channels-last strides (a 1×1 kernel's values lie the same either
    // way): oneDNN then writes its output channels-last, and the network runs channels-last
    // from there on, with no reorder between layers — as PyTorch's own 1×1 weights often are.
    const std::int64_t in = weight.size(1);
    const Tensor w = weight.is_contiguous() ? weight.as_strided(weight.sizes(), {in, 1, in, in}) : weight;
    const Ints one{1, 1}, zero{0, 0}, two{2, 2};
    if (h * width == 1)
        return torch::conv2d(x, w, bias);
    if (n * h > 1 && x.numel() <= 20480) {
        const Tensor rows = x.permute({0, 2, 1, 3}).reshape({n * h, x.size(1), 1, width});
        const Tensor y = torch::conv2d(rows, w, bias, one, zero, two);
        return y.reshape({n, h, y.size(1), width}).permute({0, 2, 1, 3});
    }
    return torch::conv2d(x, w, bias, one, zero, two);
}

bool isPointwise(const Tensor& x, const Tensor& w, const Ints& strides, const Ints& padding, const Ints& dilations,
    std::int64_t group)
{
    return x.dim() == 4 && w.dim() == 4 && w.size(2) == 1 && w.size(3) == 1 && group == 1
        && x.scalar_type() == torch::kFloat && strides == Ints{1, 1} && padding == Ints{0, 0}
    && dilations == Ints{1, 1};
}

OnnxKernel conv(const Attributes& a)
{
    const Window window = Window::read(a, a.ints("kernel_shape", {0, 0}).size());
    const std::int64_t group = a.i("group", 1);
    return [window, group](const Tensors& in) {
        const Tensor& x = in.at(0);
        const Tensor& w = in.at(1);
        const std::size_t spatial = std::size_t(w.dim() - 2);
        if (spatial < 1 || spatial > 3 || window.strides.size() != spatial)
            throw std::runtime_error("a convolution of " + std::to_string(spatial) + " spatial axes");
        const Ints kernel(w.sizes().begin() + 2, w.sizes().end());
        const Ints pads = window.padsFor(x.sizes(), kernel);
        Tensor input = x;
        Ints padding(pads.begin(), pads.begin() + std::ptrdiff_t(spatial));
        if (!symmetric(pads)) { // TF's SAME: pad first, as the graph's Pad nodes do
            input = torch::constant_pad_nd(x, torchPadList(pads, spatial), 0);
            padding.assign(spatial, 0);
        }
        const Tensor bias = in.size() > 2 ? in[2] : Tensor();
        if (isPointwise(input, w, window.strides, padding, window.dilations, group))
            return Tensors{pointwiseConvolution(input, w, bias)};
        return Tensors{torch::convolution(
            input, w, bias, window.strides, padding, window.dilations, false, Ints(spatial, 0), group)};
    };
}

OnnxKernel pool(const Attributes& a, bool max)
{
    const Ints kernel = a.ints("kernel_shape");
    if (kernel.size() != 2)
        a.refuse("pooling over " + std::to_string(kernel.size()) + " axes is not implemented (2 are)");
    const Window window = Window::read(a, 2);
    const bool ceil = a.i("ceil_mode", 0) != 0;
    const bool includePad = a.i("count_include_pad", 0) != 0;
    if (a.i("storage_order", 0) != 0)
        a.refuse("storage_order 1 is not implemented");
    a.usesOutputs(1);
    return [=](const Tensors& in) {
        const Tensor& x = in.at(0);
        if (x.dim() != 4)
            throw std::runtime_error("pooling expects [N, C, H, W]");
        const Ints pads = window.padsFor(x.sizes(), kernel);
        Tensor input = x;
        Ints padding{pads[0], pads[1]};
        if (!symmetric(pads)) {
            if (!max && !includePad)
                throw std::runtime_error("asymmetric padding with count_include_pad = 0 is not implemented");
            input = torch::constant_pad_nd(
                x, torchPadList(pads, 2), max ? -std::numeric_limits<double>::infinity() : 0.0);
            padding = {0, 0};
        }
        if (max)
            return Tensors{torch::max_pool2d(input, kernel, window.strides, padding, window.dilations, ceil)};
        if (window.dilations != Ints{1, 1})
            throw std::runtime_error("a dilated average pooling");
        return Tensors{torch::avg_pool2d(input, kernel, window.strides, padding, ceil, includePad)};
    };
}

OnnxKernel reduce(const Attributes& a, const std::string& op)
{
    const bool axesAsInput = (op == "ReduceSum" && a.opset() >= 13) || a.opset() >= 18;
    const Ints axesAttribute = a.ints("axes");
    const bool keep = a.i("keepdims", 1) != 0;
    const bool noopWhenEmpty = a.i("noop_with_empty_axes", 0) != 0;
    return [=](const Tensors& in) {
        const Tensor& x = in.at(0);
        Ints axes = axesAsInput ? (in.size() > 1 && in[1].defined() ? toInts(in[1]) : Ints()) : axesAttribute;
        if (axes.empty()) {
            if (noopWhenEmpty)
                return Tensors{x};
            for (std::int64_t d = 0; d < x.dim(); ++d)
                axes.push_back(d);
        }
        for (auto& axis : axes)
            axis = normalizedAxis(axis, x.dim());
        if (op == "ReduceMean")
            return Tensors{x.mean(axes, keep)};
        if (op == "ReduceSum")
            return Tensors{x.sum(axes, keep)};
        if (op == "ReduceMax")
            return Tensors{x.amax(axes, keep)};
        return Tensors{x.amin(axes, keep)};
    };
}

OnnxKernel slice()
{
    return [](const Tensors& in) {
        Tensor x = in.at(0);
        const Ints starts = toInts(in.at(1)), ends = toInts(in.at(2));
        Ints axes = in.size() > 3 && in[3].defined() ? toInts(in[3]) : Ints();
        const Ints steps = in.size() > 4 && in[4].defined() ? toInts(in[4]) : Ints(starts.size(), 1);
        if (axes.empty())
            for (std::size_t k = 0; k < starts.size(); ++k)
                axes.push_back(std::int64_t(k));
        if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
            throw std::runtime_error("Slice's starts, ends, axes and steps differ in length");
        for (std::size_t k = 0; k < starts.size(); ++k) {
            const std::int64_t axis = normalizedAxis(axes[k], x.dim());
            const std::int64_t dim = x.size(axis), step = steps[k];
            std::int64_t start = starts[k] < 0 ? starts[k] + dim : starts[k];
            std::int64_t end = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (step == 0)
                throw std::runtime_error("Slice with step 0");
            if (step > 0) {
                start = std::clamp<std::int64_t>(start, 0, dim);
                end = std::clamp<std::int64_t>(end, 0, dim);
                x = x.slice(axis, start, std::max(start, end), step);
            } else {
                start = std::clamp<std::int64_t>(start, 0, dim - 1);
                end = std::clamp<std::int64_t>(end, -1, dim - 1);
                const Tensor index
                    = start > end ? torch::arange(start, end, step, torch::kLong) : torch::empty({0}, torch::kLong);
                x = x.index_select(axis, index);
            }
        }
        return Tensors{x};
    };
}

OnnxKernel gather(const Attributes& a)
{
    const std::int64_t axisAttribute = a.i("axis", 0);
    return [axisAttribute](const Tensors& in) {
        const Tensor& x = in.at(0);
        const std::int64_t axis = normalizedAxis(axisAttribute, x.dim());
        Tensor index = in.at(1).to(torch::kLong);
        index = torch::where(index < 0, index + x.size(axis), index);
        Ints shape(x.sizes().begin(), x.sizes().begin() + axis);
        shape.insert(shape.end(), index.sizes().begin(), index.sizes().end());
        shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
        return Tensors{x.index_select(axis, index.flatten()).reshape(shape)};
    };
}

OnnxKernel resize(const Attributes& a)
{
    const std::string mode = a.s("mode", "nearest");
    const std::string transform = a.s("coordinate_transformation_mode", "half_pixel");
    const std::string nearest = a.s("nearest_mode", "round_prefer_floor");
    if (a.i("antialias", 0) != 0 || a.i("exclude_outside", 0) != 0 || a.has("axes")
        || a.s("keep_aspect_ratio_policy", "stretch") != "stretch")
        a.refuse("antialias, exclude_outside, axes and keep_aspect_ratio_policy are not implemented");
    bool alignCorners = false, exact = false;
    if (mode == "linear" && (transform == "half_pixel" || transform == "pytorch_half_pixel"))
        alignCorners = false;
    else if (mode == "linear" && transform == "align_corners")
        alignCorners = true;
    else if (mode == "nearest" && transform == "asymmetric" && nearest == "floor")
        exact = false;
    else if (mode == "nearest" && transform == "half_pixel"
        && (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil"))
        exact = true;
    else
        a.refuse("mode \"" + mode + "\" with coordinate_transformation_mode \"" + transform + "\" and nearest_mode \""
            + nearest + "\" is not implemented");
    return [=](const Tensors& in) {
        const Tensor& x = in.at(0);
        if (x.dim() != 4)
            throw std::runtime_error("Resize of a tensor that is not [N, C, H, W]");
        std::vector<double> scales;
        Ints sizes;
        if (in.size() > 3 && in[3].defined() && in[3].numel() > 0)
            sizes = toInts(in[3]);
        else if (in.size() > 2 && in[2].defined() && in[2].numel() > 0) {
            const Tensor s = in[2].to(torch::kDouble).contiguous();
            scales.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
        }
        if (sizes.empty() && scales.size() == 4) {
            if (scales[0] != 1 || scales[1] != 1)
                throw std::runtime_error("Resize of the batch or channel axis");
            sizes = {x.size(0), x.size(1), std::int64_t(std::floor(double(x.size(2)) * scales[2])),
                std::int64_t(std::floor(double(x.size(3)) * scales[3]))};
        }
        if (sizes.size() != 4 || sizes[0] != x.size(0) || sizes[1] != x.size(1))
            throw std::runtime_error("Resize needs 4 scales or sizes that keep N and C");
        checkCreatedSize(sizes);
        const Ints out{sizes[2], sizes[3]};
        const auto scaleH = scales.empty() ? c10::optional<double>() : c10::optional<double>(scales[2]);
        const auto scaleW = scales.empty() ? c10::optional<double>() : c10::optional<double>(scales[3]);
        if (mode == "linear")
            return Tensors{torch::upsample_bilinear2d(x, out, alignCorners, scaleH, scaleW)};
        return Tensors{exact ? torch::_upsample_nearest_exact2d(x, out, scaleH, scaleW)
                             : torch::upsample_nearest2d(x, out, scaleH, scaleW)};
    };
}

OnnxKernel pad(const Attributes& a)
{
    const std::string mode = a.s("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge")
        a.refuse("pad mode \"" + mode + "\" is not implemented");
    return [mode](const Tensors& in) {
        const Tensor& x = in.at(0);
        Ints pads = toInts(in.at(1));
        if (in.size() > 3 && in[3].defined()) { // opset 18: pads of some axes only
            const Ints axes = toInts(in[3]);
            Ints all(std::size_t(2 * x.dim()), 0);
            for (std::size_t k = 0; k < axes.size(); ++k) {
                const std::int64_t axis = normalizedAxis(axes[k], x.dim());
                all[std::size_t(axis)] = pads[k];
                all[std::size_t(axis + x.dim())] = pads[k + axes.size()];
            }
            pads = all;
        }
        if (std::int64_t(pads.size()) != 2 * x.dim())
            throw std::runtime_error("Pad's pads do not match the tensor's rank");
        if (mode == "constant") {
            const double value = in.size() > 2 && in[2].defined() && in[2].numel() > 0 ? in[2].item<double>() : 0.0;
            return Tensors{torch::constant_pad_nd(x, torchPadList(pads, std::size_t(x.dim())), value)};
        }
        // reflect and edge pad the spatial axes only
        const std::size_t rank = std::size_t(x.dim());
        for (std::size_t k = 0; k < 2; ++k)
            if (pads[k] != 0 || pads[k + rank] != 0)
                throw std::runtime_error("reflect or edge padding of the batch or channel axis");
        Ints spatial;
        for (std::size_t k = 2; k < rank; ++k)
            spatial.push_back(pads[k]);
        for (std::size_t k = 2; k < rank; ++k)
            spatial.push_back(pads[k + rank]);
        const Tensor padded
            = torch::pad(x, torchPadList(spatial, rank - 2), mode == "reflect" ? "reflect" : "replicate");
        return Tensors{padded};
    };
}

OnnxKernel constant(const Attributes& a)
{
    Tensor value;
    if (const auto* t = a.get("value"); t && t->kind == OnnxAttribute::Kind::Tensor)
        value = onnxTensorToTorch(t->t);
    else if (a.has("value_float"))
        value = torch::tensor(a.f("value_float", 0), torch::kFloat);
    else if (a.has("value_int"))
        value = torch::tensor(a.i("value_int", 0), torch::kLong);
    else if (const auto* fs = a.get("value_floats"); fs && fs->kind == OnnxAttribute::Kind::Floats)
        value = torch::tensor(fs->floats, torch::kFloat);
    else if (a.has("value_ints"))
        value = torch::tensor(a.ints("value_ints"), torch::kLong);
    else
        a.refuse("a Constant without a tensor, float or int value is not implemented");
    return [value](const Tensors&) { return Tensors{value}; };
}

OnnxKernel split(const Attributes& a, std::size_t outputs)
{
    const std::int64_t axisAttribute = a.i("axis", 0);
    const Ints sizesAttribute = a.ints("split");
    const bool sizesAsInput = a.opset() >= 13;
    return [=](const Tensors& in) {
        const Tensor& x = in.at(0);
        const std::int64_t axis = normalizedAxis(axisAttribute, x.dim());
        Ints sizes = sizesAsInput ? (in.size() > 1 && in[1].defined() ? toInts(in[1]) : Ints()) : sizesAttribute;
        if (sizes.empty()) {
            const std::int64_t each = (x.size(axis) + std::int64_t(outputs) - 1) / std::int64_t(outputs);
            for (std::size_t k = 0; k < outputs; ++k)
                sizes.push_back(std::min(each, x.size(axis) - each * std::int64_t(k)));
        }
        if (sizes.size() != outputs)
            throw std::runtime_error("Split's sizes do not match its outputs");
        return torch::split_with_sizes(x, sizes, axis);
    };
}

// Axes given as an input from opset 13 on, as an attribute before.
Ints axesOf(std::int64_t opset, const Tensors& in, const Ints& attribute)
{
    if (opset >= 13)
        return in.size() > 1 && in[1].defined() ? toInts(in[1]) : Ints();
    return attribute;
}

OnnxKernel squeeze(const Attributes& a, bool un)
{
    const Ints attribute = a.ints("axes");
    const std::int64_t opset = a.opset();
    return [opset, attribute, un](const Tensors& in) {
        Tensor x = in.at(0);
        Ints axes = axesOf(opset, in, attribute);
        const std::int64_t rank = un ? x.dim() + std::int64_t(axes.size()) : x.dim();
        if (!un && axes.empty())
            return Tensors{x.squeeze()};
        for (auto& axis : axes)
            axis = normalizedAxis(axis, rank);
        std::sort(axes.begin(), axes.end());
        if (un)
            for (const auto axis : axes)
                x = x.unsqueeze(axis);
        else
            for (auto it = axes.rbegin(); it != axes.rend(); ++it)
                x = x.squeeze(*it);
        return Tensors{x};
    };
}

OnnxKernel softmax(const Attributes& a, bool log)
{
    const std::int64_t axisAttribute = a.i("axis", a.opset() >= 13 ? -1 : 1);
    const bool flattened = a.opset() < 13; // before 13: the tensor is seen as 2-D at the axis
    return [=](const Tensors& in) {
        const Tensor& x = in.at(0);
        const std::int64_t axis = normalizedAxis(axisAttribute, x.dim());
        if (!flattened || axis == x.dim() - 1)
            return Tensors{log ? torch::log_softmax(x, axis) : torch::softmax(x, axis)};
        const Tensor flat = x.flatten(axis).flatten(0, std::max<std::int64_t>(axis - 1, 0));
        const Tensor two = axis == 0 ? flat.reshape({1, -1}) : flat;
        return Tensors{(log ? torch::log_softmax(two, 1) : torch::softmax(two, 1)).reshape(x.sizes())};
    };
}

using Unary = Tensor (*)(const Tensor&);

OnnxKernel unary(Unary f)
{
    return [f](const Tensors& in) { return Tensors{f(in.at(0))}; };
}

template <typename F> OnnxKernel binary(F f)
{
    return [f](const Tensors& in) { return Tensors{f(in.at(0), in.at(1))}; };
}

template <typename F> OnnxKernel variadic(F f)
{
    return [f](const Tensors& in) {
        Tensor result = in.at(0);
        for (std::size_t k = 1; k < in.size(); ++k)
            result = f(result, in[k]);
        return Tensors{result};
    };
}

} // namespace

torch::Tensor onnxTensorToTorch(const OnnxTensor& tensor)
{
    const auto type = torchType(std::int64_t(tensor.type));
    if (!type)
        throw Error(
            ErrorCode::BadModel, "The ONNX tensor \"" + tensor.name + "\" has a type this importer does not read.");
    Tensor result = torch::empty(tensor.dims, torch::TensorOptions().dtype(*type));
    if (!tensor.bytes.empty())
        std::memcpy(result.data_ptr(), tensor.bytes.data(), tensor.bytes.size());
    return result;
}

OnnxKernel compileOnnxNodeInPlace(const OnnxNode& node)
{
    if (!node.domain.empty() && node.domain != "ai.onnx")
        return {};
    if (node.opType == "Relu")
        return [](const Tensors& in) {
            Tensor x = in.at(0);
            return Tensors{x.relu_()};
        };
    if (node.opType == "Clip") // as compileOnnxNode's, whose checks ran first
        return [](const Tensors& in) {
            Tensor x = in.at(0);
            const auto bound = [&](std::size_t k) {
                return in.size() > k && in[k].defined() ? c10::optional<c10::Scalar>(in[k].item())
                                                        : c10::optional<c10::Scalar>();
            };
            return Tensors{x.clamp_(bound(1), bound(2))};
        };
    if (node.opType == "Add") // in place only where the sum has the first input's shape and type
        return [](const Tensors& in) {
            Tensor x = in.at(0);
            const Tensor& y = in.at(1);
            if (x.sizes() == y.sizes() && x.scalar_type() == y.scalar_type() && x.is_contiguous())
                return Tensors{x.add_(y)};
            return Tensors{x + y};
        };
    return {};
}

OnnxKernel compileOnnxNode(const OnnxNode& node, std::int64_t opset, const std::string& path)
{
    const std::string& op = node.opType;
    const auto attributes
        = [&](std::set<std::string> known) { return Attributes(node, opset, path, std::move(known)); };
    if (!node.domain.empty() && node.domain != "ai.onnx")
        refuseNode(node, opset, path, "operators of the domain \"" + node.domain + "\" are not implemented");

    static const std::map<std::string, Unary> unaries = {
        {"Relu", [](const Tensor& x) { return torch::relu(x); }},
        {"Sigmoid", [](const Tensor& x) { return torch::sigmoid(x); }},
        {"Tanh", [](const Tensor& x) { return torch::tanh(x); }},
        {"Erf", [](const Tensor& x) { return torch::erf(x); }},
        {"Exp", [](const Tensor& x) { return torch::exp(x); }},
        {"Log", [](const Tensor& x) { return torch::log(x); }},
        {"Sqrt", [](const Tensor& x) { return torch::sqrt(x); }},
        {"Neg", [](const Tensor& x) { return torch::neg(x); }},
        {"Abs", [](const Tensor& x) { return torch::abs(x); }},
        {"Reciprocal", [](const Tensor& x) { return torch::reciprocal(x); }},
        {"Floor", [](const Tensor& x) { return torch::floor(x); }},
        {"Ceil", [](const Tensor& x) { return torch::ceil(x); }},
        {"Softplus", [](const Tensor& x) { return torch::softplus(x); }},
        {"Not", [](const Tensor& x) { return torch::logical_not(x); }},
        {"Sign", [](const Tensor& x) { return torch::sign(x); }},
        {"HardSwish", [](const Tensor& x) { return torch::hardswish(x); }},
        {"Identity", [](const Tensor& x) { return x; }},
    };
    if (const auto found = unaries.find(op); found != unaries.end()) {
        attributes({});
        return unary(found->second);
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Pow" || op == "Equal" || op == "Less" || op == "Greater"
        || op == "LessOrEqual" || op == "GreaterOrEqual" || op == "And" || op == "Or") {
        attributes({});
        if (op == "Add")
            return binary([](const Tensor& x, const Tensor& y) { return x + y; });
        if (op == "Sub")
            return binary([](const Tensor& x, const Tensor& y) { return x - y; });
        if (op == "Mul")
            return binary([](const Tensor& x, const Tensor& y) { return x * y; });
        if (op == "Pow")
            return binary([](const Tensor& x, const Tensor& y) { return torch::pow(x, y).to(x.scalar_type()); });
        if (op == "Equal")
            return binary([](const Tensor& x, const Tensor& y) { return torch::eq(x, y); });
        if (op == "Less")
            return binary([](const Tensor& x, const Tensor& y) { return torch::lt(x, y); });
        if (op == "Greater")
            return binary([](const Tensor& x, const Tensor& y) { return torch::gt(x, y); });
        if (op == "LessOrEqual")
            return binary([](const Tensor& x, const Tensor& y) { return torch::le(x, y); });
        if (op == "GreaterOrEqual")
            return binary([](const Tensor& x, const Tensor& y) { return torch::ge(x, y); });
        if (op == "And")
            return binary([](const Tensor& x, const Tensor& y) { return torch::logical_and(x, y); });
        return binary([](const Tensor& x, const Tensor& y) { return torch::logical_or(x, y); });
    }
    if (op == "Div") {
        attributes({});
        return binary([](const Tensor& x, const Tensor& y) { // integers truncate, as ONNX says
            return isIntegral(x) ? torch::div(x, y, "trunc") : x / y;
        });
    }
    if (op == "Mod") {
        const bool fmod = attributes({"fmod"}).i("fmod", 0) != 0;
        return binary(
            [fmod](const Tensor& x, const Tensor& y) { return fmod ? torch::fmod(x, y) : torch::remainder(x, y); });
    }
    if (op == "Sum" || op == "Mean" || op == "Max" || op == "Min") {
        attributes({});
        if (op == "Sum")
            return variadic([](const Tensor& x, const Tensor& y) { return x + y; });
        if (op == "Max")
            return variadic([](const Tensor& x, const Tensor& y) { return torch::maximum(x, y); });
        if (op == "Min")
            return variadic([](const Tensor& x, const Tensor& y) { return torch::minimum(x, y); });
        return [](const Tensors& in) {
            Tensor sum = in.at(0);
            for (std::size_t k = 1; k < in.size(); ++k)
                sum = sum + in[k];
            return Tensors{sum / double(in.size())};
        };
    }
    if (op == "Where") {
        attributes({});
        return [](const Tensors& in) { return Tensors{torch::where(in.at(0).to(torch::kBool), in.at(1), in.at(2))}; };
    }
    if (op == "Clip") {
        attributes({});
        return [](const Tensors& in) {
            const auto bound = [&](std::size_t k) {
                return in.size() > k && in[k].defined() ? c10::optional<c10::Scalar>(in[k].item())
                                                        : c10::optional<c10::Scalar>();
            };
            return Tensors{torch::clamp(in.at(0), bound(1), bound(2))};
        };
    }
    if (op == "LeakyRelu") {
        const double alpha = attributes({"alpha"}).f("alpha", 0.01F);
        return [alpha](const Tensors& in) { return Tensors{torch::leaky_relu(in.at(0), alpha)}; };
    }
    if (op == "Elu") {
        const double alpha = attributes({"alpha"}).f("alpha", 1.0F);
        return [alpha](const Tensors& in) { return Tensors{torch::elu(in.at(0), alpha)}; };
    }
    if (op == "HardSigmoid") {
        const auto a = attributes({"alpha", "beta"});
        const double alpha = a.f("alpha", 0.2F), beta = a.f("beta", 0.5F);
        return [alpha, beta](const Tensors& in) { return Tensors{torch::clamp(in.at(0) * alpha + beta, 0.0, 1.0)}; };
    }
    if (op == "Conv")
        return conv(attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}));
    if (op == "MaxPool")
        return pool(
            attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"}),
            true);
    if (op == "AveragePool")
        return pool(
            attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"}), false);
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
        attributes({});
        const bool max = op == "GlobalMaxPool";
        return [max](const Tensors& in) {
            const Tensor& x = in.at(0);
            Ints axes;
            for (std::int64_t d = 2; d < x.dim(); ++d)
                axes.push_back(d);
            return Tensors{max ? x.amax(axes, true) : x.mean(axes, true)};
        };
    }
    if (op == "Gemm") {
        const auto a = attributes({"alpha", "beta", "transA", "transB"});
        const double alpha = a.f("alpha", 1), beta = a.f("beta", 1);
        const bool transA = a.i("transA", 0) != 0, transB = a.i("transB", 0) != 0;
        return [=](const Tensors& in) {
            const Tensor x = transA ? in.at(0).t() : in.at(0);
            const Tensor w = transB ? in.at(1).t() : in.at(1);
            Tensor y = torch::matmul(x, w);
            if (alpha != 1)
                y = y * alpha;
            if (in.size() > 2 && in[2].defined())
                y = y + (beta == 1 ? in[2] : in[2] * beta);
            return Tensors{y};
        };
    }
    if (op == "MatMul") {
        attributes({});
        return binary([](const Tensor& x, const Tensor& y) { return torch::matmul(x, y); });
    }
    if (op == "BatchNormalization") {
        const auto a = attributes({"epsilon", "momentum", "training_mode", "spatial"});
        if (a.i("training_mode", 0) != 0)
            a.refuse("training_mode 1 is not implemented (export the model in eval mode)");
        a.usesOutputs(1);
        const double epsilon = a.f("epsilon", 1e-5F);
        return [epsilon](const Tensors& in) {
            return Tensors{
                torch::batch_norm(in.at(0), in.at(1), in.at(2), in.at(3), in.at(4), false, 0, epsilon, false)};
        };
    }
    if (op == "LayerNormalization") {
        const auto a = attributes({"axis", "epsilon", "stash_type"});
        a.usesOutputs(1);
        const std::int64_t axisAttribute = a.i("axis", -1);
        const double epsilon = a.f("epsilon", 1e-5F);
        return [=](const Tensors& in) {
            const Tensor& x = in.at(0);
            const std::int64_t axis = normalizedAxis(axisAttribute, x.dim());
            const Ints normalized(x.sizes().begin() + axis, x.sizes().end());
            const Tensor bias = in.size() > 2 ? in[2] : Tensor();
            return Tensors{torch::layer_norm(x, normalized, in.at(1), bias, epsilon)};
        };
    }
    if (op == "Softmax" || op == "LogSoftmax")
        return softmax(attributes({"axis"}), op == "LogSoftmax");
    if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin")
        return reduce(attributes({"axes", "keepdims", "noop_with_empty_axes"}), op);
    if (op == "Pad")
        return pad(attributes({"mode"}));
    if (op == "Resize")
        return resize(attributes({"antialias", "axes", "coordinate_transformation_mode", "cubic_coeff_a",
            "exclude_outside", "extrapolation_value", "keep_aspect_ratio_policy", "mode", "nearest_mode"}));
    if (op == "Concat") {
        const std::int64_t axisAttribute = attributes({"axis"}).i("axis", 0);
        return [axisAttribute](const Tensors& in) {
            return Tensors{torch::cat(in, normalizedAxis(axisAttribute, in.at(0).dim()))};
        };
    }
    if (op == "Reshape") {
        const bool allowZero = attributes({"allowzero"}).i("allowzero", 0) != 0;
        return [allowZero](const Tensors& in) {
            const Tensor& x = in.at(0);
            Ints shape = toInts(in.at(1));
            for (std::size_t k = 0; k < shape.size() && !allowZero; ++k)
                if (shape[k] == 0)
                    shape[k] = x.size(std::int64_t(k));
            return Tensors{x.reshape(shape)};
        };
    }
    if (op == "Flatten") {
        const std::int64_t axisAttribute = attributes({"axis"}).i("axis", 1);
        return [axisAttribute](const Tensors& in) {
            const Tensor& x = in.at(0);
            const std::int64_t axis = axisAttribute < 0 ? axisAttribute + x.dim() : axisAttribute;
            std::int64_t outer = 1;
            for (std::int64_t d = 0; d < axis; ++d)
                outer *= x.size(d);
            return Tensors{x.reshape({outer, outer == 0 ? 0 : -1})};
        };
    }
    if (op == "Transpose") {
        const Ints perm = attributes({"perm"}).ints("perm");
        return [perm](const Tensors& in) {
            const Tensor& x = in.at(0);
            Ints order = perm;
            if (order.empty())
                for (std::int64_t d = x.dim(); d-- > 0;)
                    order.push_back(d);
            return Tensors{x.permute(order)};
        };
    }
    if (op == "Squeeze" || op == "Unsqueeze")
        return squeeze(attributes({"axes"}), op == "Unsqueeze");
    if (op == "Gather")
        return gather(attributes({"axis"}));
    if (op == "Slice") {
        attributes({});
        return slice();
    }
    if (op == "Shape") {
        const auto a = attributes({"start", "end"});
        const std::int64_t startAttribute = a.i("start", 0);
        const std::int64_t endAttribute = a.i("end", std::numeric_limits<std::int64_t>::max());
        return [=](const Tensors& in) {
            const Ints sizes(in.at(0).sizes().begin(), in.at(0).sizes().end());
            const auto rank = std::int64_t(sizes.size());
            const auto clampAxis
                = [rank](std::int64_t v) { return std::clamp<std::int64_t>(v < 0 ? v + rank : v, 0, rank); };
            const std::int64_t start = clampAxis(startAttribute), end = clampAxis(endAttribute);
            return Tensors{
                torch::tensor(Ints(sizes.begin() + start, sizes.begin() + std::max(start, end)), torch::kLong)};
        };
    }
    if (op == "Size") {
        attributes({});
        return [](const Tensors& in) { return Tensors{torch::tensor(in.at(0).numel(), torch::kLong)}; };
    }
    if (op == "Expand") {
        attributes({});
        return [](const Tensors& in) {
            const Ints shape = toInts(in.at(1));
            const auto out = at::infer_size(in.at(0).sizes(), shape);
            checkCreatedSize(out);
            return Tensors{in.at(0).expand(out)};
        };
    }
    if (op == "Tile") {
        attributes({});
        return [](const Tensors& in) {
            const Ints repeats = toInts(in.at(1));
            Ints out;
            for (std::size_t k = 0; k < repeats.size() && std::int64_t(k) < in.at(0).dim(); ++k)
                out.push_back(in.at(0).size(std::int64_t(k)) * repeats[k]);
            checkCreatedSize(out);
            return Tensors{in.at(0).repeat(repeats)};
        };
    }
    if (op == "ConstantOfShape") {
        const auto a = attributes({"value"});
        Tensor value = torch::zeros({1}, torch::kFloat);
        if (const auto* v = a.get("value"); v && v->kind == OnnxAttribute::Kind::Tensor)
            value = onnxTensorToTorch(v->t).flatten();
        if (value.numel() != 1)
            a.refuse("a value that is not one number");
        return [value](const Tensors& in) {
            const Ints shape = toInts(in.at(0));
            checkCreatedSize(shape);
            return Tensors{torch::full(shape, value.item(), value.options())};
        };
    }
    if (op == "Range") {
        attributes({});
        return [](const Tensors& in) {
            const double start = in.at(0).item<double>(), limit = in.at(1).item<double>(),
                         delta = in.at(2).item<double>();
            if (delta == 0 || std::abs((limit - start) / delta) > double(kMaxCreatedElements))
                throw std::runtime_error("a Range of 0 step or more than 2^31 elements");
            return Tensors{torch::arange(in[0].item(), in[1].item(), in[2].item(), in[0].options())};
        };
    }
    if (op == "Constant")
        return constant(attributes({"value", "value_float", "value_floats", "value_int", "value_ints"}));
    if (op == "Cast") {
        const auto a = attributes({"to", "saturate"});
        const auto type = torchType(a.i("to", 0));
        if (!type)
            a.refuse("casting to " + onnxTypeName(int(a.i("to", 0))) + " is not implemented");
        return [type](const Tensors& in) { return Tensors{in.at(0).to(*type)}; };
    }
    if (op == "Split")
        return split(attributes({"axis", "split", "num_outputs"}), node.outputs.size());
    if (op == "Dropout") {
        attributes({"seed", "ratio"}).usesOutputs(2);
        // Inference: the input as it is, and a mask that keeps everything (torch.onnx writes the
        // mask output for attention's dropout in Swin).
        const bool mask = node.outputs.size() > 1 && !node.outputs[1].empty();
        return [mask](const Tensors& in) {
            // Training mode drops nothing at a ratio of 0 (Swin's attention, as torchvision 0.14 exports it).
            const bool training = in.size() > 2 && in[2].defined() && in[2].item<bool>();
            const double ratio = in.size() > 1 && in[1].defined() ? in[1].item<double>() : 0.5;
            if (training && ratio != 0)
                throw std::runtime_error("Dropout in training mode");
            if (mask)
                return Tensors{in.at(0), torch::ones_like(in.at(0), torch::kBool)};
            return Tensors{in.at(0)};
        };
    }
    if (op == "ScatterND") {
        if (attributes({"reduction"}).s("reduction", "none") != "none")
            attributes({"reduction"}).refuse("a reduction is not implemented");
        return [](const Tensors& in) {
            const Tensor indices = in.at(1).to(torch::kLong);
            const std::int64_t depth = indices.size(-1);
            c10::List<c10::optional<Tensor>> index;
            for (std::int64_t k = 0; k < depth; ++k)
                index.push_back(indices.select(-1, k));
            return Tensors{in.at(0).index_put(index, in.at(2))};
        };
    }
    refuseNode(node, opset, path, "the operator " + op + " is not implemented");
}

} // namespace fcs
