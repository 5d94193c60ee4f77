#!/usr/bin/env python3
"""Exports one torchvision architecture with random weights for TestOnnxZoo (issue 27).

  export_zoo.py ARCH OUT_DIR EXPORTER

Writes into OUT_DIR, all from one module (seed 0):
  input.bin, logits.bin   a random input [1, 3, 224, 224] and the eager module's logits (float32)
  opset13/ARCH.onnx, opset17/ARCH.onnx   torch.onnx.export, each with a sidecar ARCH.json
  torchscript/ARCH.pt     the CAM-ready TorchScript of models/export.py (convnets only), with sidecar
The ONNX sidecars name no target layer (the importer picks it), except where the TorchScript's
layer is not the importer's choice: DenseNet's features.norm5 comes before a functional ReLU, so
its ONNX sidecar names the last BatchNormalization's output.
"""

import importlib.util
import json
import os
import sys

import torch
import torchvision

CONVNETS = {"resnet50", "densenet121", "efficientnet_b0"}
TOKEN_MODELS = {"vit_b_16", "swin_t"}


def load_exporter(path):
    spec = importlib.util.spec_from_file_location("exporter", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(arch, out, exporter_path):
    if arch not in CONVNETS | TOKEN_MODELS:
        sys.exit(f"export_zoo.py: unknown architecture {arch}")
    exporter = load_exporter(exporter_path)
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None)
    # Random weights as torchvision initializes them give degenerate logits (ViT's head is all
    # zeros; EfficientNet's activations fade to ~1e-19 through batch norms of unit statistics),
    # and equal logits would make the comparison one that cannot fail. Zero tensors get small
    # random values and the batch norms statistics of random images.
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.abs().max() == 0:
                parameter.normal_(0, 0.02)
        model.train()
        for _ in range(3):
            model(torch.randn(4, 3, 224, 224))
    model.eval()
    # Parameters that need gradients keep nn.MultiheadAttention off its fused fast path, which
    # torch.onnx cannot export (and the logits then come from the path the export traces).
    x = torch.randn(1, 3, 224, 224)
    logits = model(x).detach()
    os.makedirs(out, exist_ok=True)
    x.numpy().tofile(os.path.join(out, "input.bin"))
    logits.numpy().tofile(os.path.join(out, "logits.bin"))
    labels = [f"class {i}" for i in range(logits.shape[1])]
    sidecar = {"name": f"{arch} (random weights)", "architecture": arch, "input_size": [224, 224],
               "mean": exporter.IMAGENET_MEAN, "std": exporter.IMAGENET_STD, "source": "export_zoo.py",
               "license": "test"}

    for opset in (13, 17):
        folder = os.path.join(out, f"opset{opset}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{arch}.onnx")
        torch.onnx.export(model, x, path, opset_version=opset, input_names=["image"], output_names=["logits"])
        onnx_sidecar = dict(sidecar, file=f"{arch}.onnx")
        if arch == "densenet121":
            import onnx
            graph = onnx.load(path).graph
            onnx_sidecar["target_layer"] = [n for n in graph.node if n.op_type == "BatchNormalization"][-1].output[0]
        with open(os.path.join(folder, f"{arch}_labels.txt"), "w") as stream:
            stream.write("\n".join(labels) + "\n")
        onnx_sidecar.update(labels=f"{arch}_labels.txt", num_classes=len(labels), kind="classifier",
                            color_order="RGB")
        with open(os.path.join(folder, f"{arch}.json"), "w") as stream:
            json.dump(onnx_sidecar, stream, indent=2)

    if arch in CONVNETS:
        layer = exporter.TORCHVISION[arch][2]
        scripted = exporter.build_cam_ready(model, layer)
        exporter.write_model(scripted, os.path.join(out, "torchscript"), arch, dict(sidecar, target_layer=layer),
                             labels)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
