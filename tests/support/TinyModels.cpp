#include "TinyModels.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fcs::test {

std::string saveWithSidecar(
    torch::jit::Module& module, const std::string& dir, const std::string& name, int classes, int size)
{
    const QString base = QDir(QString::fromStdString(dir)).filePath(QString::fromStdString(name));
    module.save((base + ".pt").toStdString());
    QFile labels(base + ".txt");
    labels.open(QIODevice::WriteOnly);
    for (int i = 0; i < classes; ++i)
        labels.write(QByteArray("class ") + QByteArray::number(i) + "\n");
    const QJsonObject sidecar{
        {"name", QString::fromStdString(name)},
        {"architecture", "hand-built test network"},
        {"input_size", QJsonArray{size, size}},
        {"color_order", "RGB"},
        {"mean", QJsonArray{0, 0, 0}},
        {"std", QJsonArray{1, 1, 1}},
        {"labels", QString::fromStdString(name) + ".txt"},
        {"num_classes", classes},
        {"target_layer", "avg_pool"},
        {"source", "tests/support/TinyModels.cpp"},
        {"license", "MIT"},
    };
    QFile json(base + ".json");
    json.open(QIODevice::WriteOnly);
    json.write(QJsonDocument(sidecar).toJson());
    return (base + ".json").toStdString();
}

torch::jit::Module moduleFromSource(const std::string& source)
{
    torch::jit::Module module("TestModule");
    module.define(source);
    return module;
}

torch::jit::Module handNetwork()
{
    torch::jit::Module module("HandNetwork");
    module.register_buffer("c", torch::tensor({1.0f, -1.0f, 1.0f}));
    module.register_buffer("d", torch::tensor({1.0f, 2.0f, 0.0f}));
    module.register_buffer("b", torch::tensor({0.5f}));
    module.define(R"(
def features(self, x):
    return torch.avg_pool2d(x, [8, 8])

def classify(self, a):
    y0 = (self.c.view(1, 3, 1, 1) * a * a * 0.5).sum([1, 2, 3])
    y1 = (self.d.view(1, 3, 1, 1) * a).sum(1).mean([1, 2]) + self.b
    return torch.stack([y0, y1], 1)

def forward(self, x):
    return self.classify(self.features(x))
)");
    return module;
}

} // namespace fcs::test
