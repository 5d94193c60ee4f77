#!/usr/bin/env python3
"""Export CAM-ready TorchScript classifiers for Feature CAM Studio.

Writes NAME.pt (TorchScript with forward / features / classify), NAME.json (the sidecar) and
NAME_labels.txt, the format of models/README.md, for torchvision architectures or a user's own
torch.nn.Module. The network is cut at the target layer with torch.fx: `features` is everything
up to and including it, `classify` everything after it. Every export checks itself: classify(
features(x)) equals forward(x), the scripted model equals the original, and (when the CLI is
built) featurecam-cli loads it.

  python3 models/export.py --arch resnet50 --arch mobilenet_v2 --out DIR [--random-weights]
  python3 models/export.py --module net.py:build --weights net.pth --target-layer body.4 \\
      --input-size 224 224 --mean 0.5 0.5 0.5 --std 0.5 0.5 0.5 --labels labels.txt --name mynet --out DIR
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys

EXIT_USAGE = 2
EXIT_FAILED = 1

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

# torchvision builder, weights enum, conventional Grad-CAM target layer (the last convolutional
# block's output), input size.
TORCHVISION = {
    "vgg16": ("vgg16", "VGG16_Weights", "features.29", (224, 224)),
    "resnet50": ("resnet50", "ResNet50_Weights", "layer4", (224, 224)),
    "inception_v3": ("inception_v3", "Inception_V3_Weights", "Mixed_7c", (299, 299)),
    "mobilenet_v2": ("mobilenet_v2", "MobileNet_V2_Weights", "features.18", (224, 224)),
    "densenet121": ("densenet121", "DenseNet121_Weights", "features.norm5", (224, 224)),
    "efficientnet_b0": ("efficientnet_b0", "EfficientNet_B0_Weights", "features.8", (224, 224)),
}
# timm architectures (optional): name, target layer, input size.
TIMM = {
    "xception": ("legacy_xception", "act4", (299, 299)),
    "inception_resnet_v2": ("inception_resnet_v2", "conv2d_7b", (299, 299)),
    "nasnetalarge": ("nasnetalarge", "act", (331, 331)),
}


class ExportError(Exception):
    """A problem the user can fix; printed without a traceback."""


def fail_usage(message):
    print(f"export.py: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def import_torch():
    try:
        import torch  # noqa: F401
        import torch.fx  # noqa: F401
    except ImportError:
        raise ExportError("PyTorch is not installed: apt install python3-torch python3-torchvision "
                          "(Debian) or pip install torch torchvision")
    import torch
    return torch


def split_at(model, layer_name):
    """Cut `model` at the module `layer_name`: returns (features, classify) GraphModules."""
    import torch.fx as fx

    names = dict(model.named_modules())
    if layer_name not in names:
        candidates = [n for n in names if n]
        raise ExportError(f"the model has no layer named '{layer_name}'. Its layers are:\n  "
                          + "\n  ".join(candidates))

    class CutTracer(fx.Tracer):
        def is_leaf_module(self, module, qualified_name):
            return qualified_name == layer_name or super().is_leaf_module(module, qualified_name)

    try:
        graph = CutTracer().trace(model)
    except Exception as error:  # FX cannot trace data-dependent control flow
        raise ExportError(f"torch.fx cannot trace this model ({error}); simplify its forward()")
    traced = fx.GraphModule(model, graph)
    nodes = list(traced.graph.nodes)
    cut = [n for n in nodes if n.op == "call_module" and n.target == layer_name]
    if len(cut) != 1:
        raise ExportError(f"layer '{layer_name}' is called {len(cut)} times in forward(); pick a layer called once")
    cut = cut[0]
    index = nodes.index(cut)
    before = set(nodes[: index + 1])

    features_graph, env = fx.Graph(), {}
    for node in nodes[: index + 1]:
        env[node] = features_graph.node_copy(node, lambda n: env[n])
    features_graph.output(env[cut])

    classify_graph, env = fx.Graph(), {}
    env[cut] = classify_graph.placeholder("a")
    for node in nodes[index + 1:]:
        for used in node.all_input_nodes:
            if used in before and used is not cut:
                raise ExportError(f"layer '{layer_name}' is not a cut point: '{node.name}' after it also uses "
                                  f"'{used.name}' from before it (a skip connection). Pick a later layer.")
        env[node] = classify_graph.node_copy(node, lambda n: env[n])
    for graph_ in (features_graph, classify_graph):
        for node in graph_.nodes:
            if node.op == "output":
                node.type = None   # the original's return annotation (e.g. InceptionOutputs) no longer holds
            if node.kwargs.get("inplace"):
                # The engine differentiates classify() with respect to its input, a leaf tensor:
                # an in-place op on it (DenseNet's F.relu(..., inplace=True)) would be an error.
                node.kwargs = dict(node.kwargs, inplace=False)
    return fx.GraphModule(traced, features_graph), fx.GraphModule(traced, classify_graph)


def use_onednn_for_pointwise_convs(module):
    """LibTorch 1.13 runs 1x1 convolutions through the generic BLAS unless they look dilated; a
    dilation on a 1x1 kernel changes nothing, and takes the far faster oneDNN path."""
    import torch.nn as nn
    for child in module.modules():
        if isinstance(child, nn.Conv2d) and child.kernel_size == (1, 1) and child.dilation == (1, 1):
            child.dilation = (2, 2)


def build_cam_ready(model, layer_name):
    torch = import_torch()
    features, classify = split_at(model, layer_name)

    class CamReady(torch.nn.Module):
        def __init__(self, features, classify):
            super().__init__()
            self.backbone = features
            self.head = classify

        def forward(self, x):
            return self.head(self.backbone(x))

        @torch.jit.export
        def features(self, x):
            return self.backbone(x)

        @torch.jit.export
        def classify(self, a):
            return self.head(a)

    wrapper = CamReady(features, classify).eval()
    use_onednn_for_pointwise_convs(wrapper)
    for child in wrapper.modules():
        if getattr(child, "inplace", False):
            child.inplace = False   # see split_at: no in-place op may touch classify()'s input
    for parameter in wrapper.parameters():
        parameter.requires_grad_(False)
    try:
        return torch.jit.script(wrapper)
    except Exception as error:
        raise ExportError(f"TorchScript cannot compile the cut model: {error}")


def check_export(scripted, original, input_size, num_classes):
    torch = import_torch()
    torch.manual_seed(0)
    x = torch.randn(2, 3, *input_size)
    with torch.no_grad():
        logits = scripted(x)
        expected = original(x)
        recombined = scripted.classify(scripted.features(x))
    if tuple(logits.shape) != (2, num_classes):
        raise ExportError(f"the model gives logits of shape {tuple(logits.shape)}, expected (N, {num_classes}): "
                          "does the labels file match the model's outputs?")
    scale = max(1.0, expected.abs().max().item())
    if (logits - expected).abs().max().item() > 1e-4 * scale:
        raise ExportError("the exported model's logits differ from the original's")
    if (recombined - logits).abs().max().item() > 1e-4 * scale:
        raise ExportError("classify(features(x)) differs from forward(x)")
    return tuple(scripted.features(x).shape[1:])


def write_model(scripted, out_dir, name, sidecar, labels):
    os.makedirs(out_dir, exist_ok=True)
    labels_file = f"{name}_labels.txt"
    with open(os.path.join(out_dir, labels_file), "w", encoding="utf-8") as stream:
        stream.write("\n".join(labels) + "\n")
    sidecar = dict(sidecar, labels=labels_file, num_classes=len(labels), kind="classifier", color_order="RGB")
    scripted.save(os.path.join(out_dir, f"{name}.pt"))
    with open(os.path.join(out_dir, f"{name}.json"), "w", encoding="utf-8") as stream:
        json.dump(sidecar, stream, indent=2)
    return os.path.join(out_dir, f"{name}.pt")


def check_with_engine(cli, out_dir, name):
    """The C++ engine loads and runs the export (skipped, with a note, when the CLI is not built)."""
    if not cli:
        return "not checked (featurecam-cli not found; build the project or pass --cli)"
    result = subprocess.run([cli, "classify", "--models", out_dir, "--model", name, "--top", "1", "--json",
                             os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-image.ppm")],
                            capture_output=True, text=True, env=dict(os.environ, FEATURECAM_MODEL_PATH=""))
    if result.returncode != 0:
        raise ExportError(f"featurecam-cli cannot use the export: {result.stderr.strip()}")
    return "loaded and run by featurecam-cli"


def export_torchvision(arch, random_weights):
    torch = import_torch()
    import torchvision
    builder, weights_enum, layer, input_size = TORCHVISION[arch]
    weights = getattr(torchvision.models, weights_enum).DEFAULT
    labels = list(weights.meta["categories"])
    extra = {"aux_logits": False, "init_weights": True} if arch == "inception_v3" else {}
    if random_weights:
        torch.manual_seed(0)
        model = getattr(torchvision.models, builder)(weights=None, **extra)
    else:
        extra.pop("init_weights", None)
        model = getattr(torchvision.models, builder)(weights=weights, **extra)
    model.eval()
    sidecar = {
        "name": f"{arch} (torchvision, {'random weights' if random_weights else weights.name})",
        "architecture": arch,
        "input_size": list(input_size),
        "mean": IMAGENET_MEAN,
        "std": IMAGENET_STD,
        "target_layer": layer,
        "source": "torchvision " + torchvision.__version__
                  + ("" if random_weights else f", weights {weights_enum}.{weights.name}"),
        "license": "torchvision code BSD-3-Clause; weights: see the torchvision model documentation",
    }
    return model, layer, input_size, labels, sidecar


def export_timm(arch, random_weights):
    try:
        import timm
    except ImportError:
        raise ExportError(f"'{arch}' comes from timm, which is not installed (pip install timm)")
    name, layer, input_size = TIMM[arch]
    model = timm.create_model(name, pretrained=not random_weights).eval()
    labels = [f"class {i}" for i in range(model.num_classes)]
    config = model.pretrained_cfg if hasattr(model, "pretrained_cfg") else {}
    sidecar = {
        "name": f"{arch} (timm {timm.__version__})",
        "architecture": arch,
        "input_size": list(input_size),
        "mean": list(config.get("mean", IMAGENET_MEAN)),
        "std": list(config.get("std", IMAGENET_STD)),
        "target_layer": layer,
        "source": f"timm {timm.__version__} {name}",
        "license": "timm code Apache-2.0; weights: see the timm model card",
    }
    return model, layer, input_size, labels, sidecar


def export_user_module(args):
    torch = import_torch()
    file, _, callable_name = args.module.partition(":")
    if not callable_name:
        fail_usage("--module takes FILE:CALLABLE, e.g. net.py:build_model")
    for flag in ("weights", "target_layer", "input_size", "labels", "name"):
        if getattr(args, flag) is None:
            fail_usage(f"--module needs --{flag.replace('_', '-')}")
    if not os.path.isfile(file):
        raise ExportError(f"the module file '{file}' does not exist")
    if not os.path.isfile(args.weights):
        raise ExportError(f"the weights file '{args.weights}' does not exist")
    if not os.path.isfile(args.labels):
        raise ExportError(f"the labels file '{args.labels}' does not exist")
    spec = importlib.util.spec_from_file_location("user_model", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, callable_name):
        raise ExportError(f"'{file}' has no '{callable_name}'")
    model = getattr(module, callable_name)()
    try:
        state = torch.load(args.weights, map_location="cpu")
        model.load_state_dict(state.get("state_dict", state) if isinstance(state, dict) else state)
    except Exception as error:
        raise ExportError(f"cannot load the weights '{args.weights}' into the model: {error}")
    model.eval()
    with open(args.labels, encoding="utf-8") as stream:
        labels = [line.rstrip("\r\n") for line in stream]
    while labels and not labels[-1]:
        labels.pop()
    sidecar = {
        "name": args.name,
        "architecture": f"{file}:{callable_name}",
        "input_size": list(args.input_size),
        "mean": args.mean or IMAGENET_MEAN,
        "std": args.std or IMAGENET_STD,
        "target_layer": args.target_layer,
        "source": os.path.abspath(args.weights),
        "license": args.license,
    }
    return model, args.target_layer, tuple(args.input_size), labels, sidecar


def default_cli():
    here = os.path.dirname(os.path.abspath(__file__))
    candidate = os.path.join(here, "..", "build", "app", "featurecam-cli")
    return candidate if os.path.isfile(candidate) else None


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", action="append", default=[],
                        help="torchvision: " + ", ".join(TORCHVISION) + "; timm (if installed): " + ", ".join(TIMM))
    parser.add_argument("--random-weights", action="store_true", help="no download: random weights (for tests)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--module", help="a user's model: FILE:CALLABLE that returns the nn.Module")
    parser.add_argument("--weights", help="the user's state_dict file (torch.save)")
    parser.add_argument("--target-layer", help="dotted module path of the layer to explain, e.g. layer4")
    parser.add_argument("--input-size", nargs=2, type=int, metavar=("H", "W"))
    parser.add_argument("--mean", nargs=3, type=float)
    parser.add_argument("--std", nargs=3, type=float)
    parser.add_argument("--labels", help="class names, one a line, in output order")
    parser.add_argument("--name", help="file stem of the export (the name --model takes)")
    parser.add_argument("--license", default="unknown (user model)")
    parser.add_argument("--cli", default=default_cli(), help="featurecam-cli to check the export with")
    args = parser.parse_args(argv)
    if not args.arch and not args.module:
        fail_usage("give --arch NAME (repeatable) or --module FILE:CALLABLE")
    for arch in args.arch:
        if arch not in TORCHVISION and arch not in TIMM:
            fail_usage(f"unknown architecture '{arch}'; known: {', '.join(list(TORCHVISION) + list(TIMM))}")
    return args


def main(argv):
    args = parse_arguments(argv)
    jobs = [(arch, (lambda a=arch: (export_torchvision if a in TORCHVISION else export_timm)(a, args.random_weights)))
            for arch in args.arch]
    if args.module:
        jobs.append((args.name, lambda: export_user_module(args)))
    status = 0
    for name, make in jobs:
        try:
            model, layer, input_size, labels, sidecar = make()
            scripted = build_cam_ready(model, layer)
            features_shape = check_export(scripted, model, input_size, len(labels))
            sidecar["features_shape"] = list(features_shape)
            write_model(scripted, args.out, name, sidecar, labels)
            checked = check_with_engine(args.cli, args.out, name)
            print(f"{name}: {os.path.join(args.out, name + '.pt')}, features {list(features_shape)} at "
                  f"'{layer}', {len(labels)} classes; {checked}")
        except ExportError as error:
            print(f"export.py: {name}: {error}", file=sys.stderr)
            status = EXIT_FAILED
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
