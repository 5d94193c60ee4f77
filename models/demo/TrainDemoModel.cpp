// Trains the built-in demo model at build time: a small CNN that tells circles, squares,
// triangles and stars apart on textured backgrounds (ShapeGenerator), so a fresh install shows
// what the app does with no download. The network is TorchScript from the start (so it keeps the
// CAM-ready contract: forward, features, classify) and is trained in place with Adam, seeded, so
// every build makes the same model.
//
// Usage: fcs-train-demo OUT_DIR   (writes featurecam_demo_shapes.{pt,json}, its labels and samples/)

#include "engine/demo/ShapeGenerator.h"
#include "engine/model/ImageTensor.h"

#include <ATen/Parallel.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/csrc/autograd/autograd.h>
#include <torch/optim/adam.h>
#include <torch/script.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

constexpr int kSize = 64;
constexpr int kBatch = 32;
constexpr int kSteps = 800;
constexpr double kLearningRate = 3e-3;
constexpr std::uint64_t kTrainSeed = 1;
constexpr std::uint64_t kCheckSeed = 999; // a different stream for the accuracy printed at the end
const char* kName = "featurecam_demo_shapes";

// features: four 3x3 conv + batch norm + ReLU blocks, three 2x2 max-pools -> [N,64,8,8];
// classify: global average pool + linear, so CAM applies too. Batch norm (batch statistics while
// training, running statistics after module.eval()) is what lets it learn within a minute.
const char* kSource = R"(
def block(self, x, w, b, gamma, beta, mean, var):
    x = torch.conv2d(x, w, b, [1, 1], [1, 1])
    x = torch.batch_norm(x, gamma, beta, mean, var, self.training, 0.1, 1e-5, False)
    return torch.relu(x)

def features(self, x):
    x = self.block(x, self.conv1_w, self.conv1_b, self.bn1_g, self.bn1_b, self.bn1_m, self.bn1_v)
    x = torch.max_pool2d(x, [2, 2])
    x = self.block(x, self.conv2_w, self.conv2_b, self.bn2_g, self.bn2_b, self.bn2_m, self.bn2_v)
    x = torch.max_pool2d(x, [2, 2])
    x = self.block(x, self.conv3_w, self.conv3_b, self.bn3_g, self.bn3_b, self.bn3_m, self.bn3_v)
    x = torch.max_pool2d(x, [2, 2])
    return self.block(x, self.conv4_w, self.conv4_b, self.bn4_g, self.bn4_b, self.bn4_m, self.bn4_v)

def classify(self, a):
    return torch.linear(a.mean([2, 3]), self.fc_w, self.fc_b)

def forward(self, x):
    return self.classify(self.features(x))
)";

torch::jit::Module buildNetwork(int classes)
{
    torch::manual_seed(0);
    torch::jit::Module module("FeatureCamDemoShapes");
    module.register_attribute("training", c10::BoolType::get(), true); // read by batch norm
    const auto conv = [&](const std::string& index, int in, int out) {
        const double scale = std::sqrt(2.0 / (in * 9)); // He initialisation
        module.register_parameter(
            "conv" + index + "_w", (torch::randn({out, in, 3, 3}) * scale).requires_grad_(), false);
        module.register_parameter("conv" + index + "_b", torch::zeros({out}).requires_grad_(), false);
        module.register_parameter("bn" + index + "_g", torch::ones({out}).requires_grad_(), false);
        module.register_parameter("bn" + index + "_b", torch::zeros({out}).requires_grad_(), false);
        module.register_buffer("bn" + index + "_m", torch::zeros({out}));
        module.register_buffer("bn" + index + "_v", torch::ones({out}));
    };
    conv("1", 3, 16);
    conv("2", 16, 32);
    conv("3", 32, 48);
    conv("4", 48, 64);
    module.register_parameter("fc_w", (torch::randn({classes, 64}) * std::sqrt(1.0 / 64)).requires_grad_(), false);
    module.register_parameter("fc_b", torch::zeros({classes}).requires_grad_(), false);
    module.define(kSource);
    return module;
}

// x = (pixel/255 - 0.5)/0.5: the sidecar's mean and std.
const std::array<float, 3> kMean = {0.5f, 0.5f, 0.5f};
const std::array<float, 3> kStd = {0.5f, 0.5f, 0.5f};

std::pair<torch::Tensor, torch::Tensor> batchOf(fcs::ShapeGenerator& generator, int count)
{
    std::vector<cv::Mat> images;
    std::vector<int64_t> labels;
    for (int i = 0; i < count; ++i) {
        auto sample = generator.next();
        images.push_back(sample.rgb);
        labels.push_back(sample.label);
    }
    return {fcs::normalizedBatch(images, kMean, kStd), torch::tensor(labels)};
}

double accuracy(torch::jit::Module& module, std::uint64_t seed, int count)
{
    torch::NoGradGuard noGrad;
    fcs::ShapeGenerator generator(seed, kSize);
    const auto [x, y] = batchOf(generator, count);
    const auto logits = module.forward({x}).toTensor();
    return logits.argmax(1).eq(y).to(torch::kFloat64).mean().item<double>();
}

void writeFiles(torch::jit::Module& module, const std::filesystem::path& out, double checkAccuracy)
{
    std::filesystem::create_directories(out / "samples");
    for (auto parameter : module.parameters()) // frozen, like the shared models
        parameter.requires_grad_(false);
    module.save((out / (std::string(kName) + ".pt")).string());
    std::ofstream labels(out / (std::string(kName) + "_labels.txt"));
    for (const auto& label : fcs::ShapeGenerator::labels())
        labels << label << '\n';
    std::ofstream json(out / (std::string(kName) + ".json"));
    json << "{\n"
         << "  \"name\": \"Demo: shapes (built in)\",\n"
         << "  \"architecture\": \"3 conv blocks + global average pool + linear, trained at build time\",\n"
         << "  \"input_size\": [" << kSize << ", " << kSize << "],\n"
         << "  \"color_order\": \"RGB\",\n"
         << "  \"mean\": [0.5, 0.5, 0.5],\n"
         << "  \"std\": [0.5, 0.5, 0.5],\n"
         << "  \"labels\": \"" << kName << "_labels.txt\",\n"
         << "  \"num_classes\": " << fcs::ShapeGenerator::labels().size() << ",\n"
         << "  \"target_layer\": \"conv4 + batch norm + ReLU, features() output [N, 64, 8, 8]\",\n"
         << "  \"source\": \"Feature CAM Studio models/demo/TrainDemoModel.cpp, synthetic shapes (engine/demo)\",\n"
         << "  \"license\": \"same as Feature CAM Studio\",\n"
         << "  \"accuracy_on_fresh_images\": " << checkAccuracy << "\n"
         << "}\n";
    // A few sample images from a seed training never used, enlarged 4x for viewing (the model
    // sizes them back down to its input).
    fcs::ShapeGenerator generator(2024, kSize);
    for (int i = 0; i < 8; ++i) {
        const auto sample = generator.next();
        cv::Mat bgr;
        cv::cvtColor(sample.rgb, bgr, cv::COLOR_RGB2BGR);
        cv::resize(bgr, bgr, cv::Size(kSize * 4, kSize * 4), 0, 0, cv::INTER_CUBIC);
        cv::imwrite(
            (out / "samples"
                / (fcs::ShapeGenerator::labels()[std::size_t(sample.label)] + "-" + std::to_string(i + 1) + ".png"))
                .string(),
            bgr);
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: fcs-train-demo OUT_DIR\n";
        return 2;
    }
    at::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
    const auto start = std::chrono::steady_clock::now();
    torch::jit::Module module = buildNetwork(int(fcs::ShapeGenerator::labels().size()));
    module.train(true);
    std::vector<torch::Tensor> parameters;
    for (const auto& parameter : module.parameters())
        parameters.push_back(parameter);
    torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(kLearningRate));
    fcs::ShapeGenerator generator(kTrainSeed, kSize);
    for (int step = 1; step <= kSteps; ++step) {
        if (step == kSteps * 3 / 4) // a tenth of the rate for the last quarter, to settle
            static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr(kLearningRate / 10);
        const auto [x, y] = batchOf(generator, kBatch);
        const auto loss = torch::nll_loss(torch::log_softmax(module.forward({x}).toTensor(), 1), y);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        if (step % 100 == 0)
            std::cout << "step " << step << ": loss " << loss.item<double>() << std::endl;
    }
    module.eval();
    const double checkAccuracy = accuracy(module, kCheckSeed, 500);
    writeFiles(module, argv[1], checkAccuracy);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "demo model: " << 100 * checkAccuracy << "% right on 500 fresh images, trained in " << seconds
              << " s -> " << argv[1] << std::endl;
    return 0;
}
