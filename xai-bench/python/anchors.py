#!/usr/bin/env python3
"""The anchors of xai4j's side-by-side benchmark: the same work as xai4j's JMH benchmarks, done by Captum and PyTorch.

Each workload mirrors one JMH benchmark of xai-bench (see side_by_side.py, which runs both and writes the table):

  ig-trapezoid32      Captum IntegratedGradients, method='riemann_trapezoid', n_steps=32, internal_batch_size=16,
                      one image, class-3 logit, zero baseline, with the convergence delta (xai4j always computes it)
                      <-> IntegratedGradientsBenchmark setting=riemann32
  ig-gausslegendre50  the same with method='gausslegendre', n_steps=50 <-> IntegratedGradientsBenchmark setting=gl50
  gradient-vgg16      forward + gradient of the class-3 logit w.r.t. the input only (torch.autograd.grad, weights
                      frozen) at batch 8 and 16 <-> GradientKernelBenchmark.forwardAndInputGradient model=vgg16
  gradient-resnet50   the same for torchvision's resnet50 <-> GradientKernelBenchmark model=resnet50
  occlusion           Captum Occlusion, sliding_window_shapes=(3, 16, 16), strides=(3, 8, 8), zero baseline,
                      perturbations_per_eval=16, one image, class-3 logit <-> OcclusionBenchmark perturbationsPerEval=16
  onnx-resnet50       Captum IntegratedGradients (gausslegendre, 32 points, internal batch 16, one image) and forward +
                      input gradient at batch 8 and 16 on torchvision's resnet50 with its ImageNet normalization in
                      front, seeded as export_torchvision_full.py seeds the exported file
                      <-> OnnxResNetBenchmark -p file=<that export>
  fviz-pixels         a Lucent-style activation-maximization loop doing what FeatureVisualizationBenchmark
                      parameterization=PIXELS does with ActivationMaximization's PIXELS defaults, op for op (see
                      feature_visualization below), on block1_conv1 or --layer <-> FeatureVisualizationBenchmark
                      parameterization=PIXELS layer=<the same layer>

Networks have random weights (the cost does not depend on them): the VGG16 shape of xai-bench's RandomVgg (or its
64x64 mini-VGG with --model mini-vgg) and torchvision's resnet50.

Needs torch and torchvision (Debian: apt-get install python3-torch python3-torchvision python3-tqdm
python3-matplotlib) and, for the integrated-gradients workloads, Captum 0.8.0's source on PYTHONPATH. Run it with
Debian's interpreter, e.g.:

    PYTHONPATH=/path/to/captum-0.8.0 /usr/bin/python3 xai-bench/python/anchors.py ig-trapezoid32 --threads 2

It prints one JSON object (and writes it to --json if given).
"""
import argparse
import json
import math
import platform
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VGG_SHAPES = {"vgg16": (224, [64, 128, 256, 512, 512], 4096, 1000),
              "mini-vgg": (64, [16, 32, 64, 64, 64], 128, 7)}
TARGET = 3


def vgg(name):
    """xai-bench's RandomVgg layout: blocks of 2, 2, 3, 3, 3 same-padded 3x3 ReLU convolutions, 2x2 max pools, three
    dense layers; the output is the logits."""
    size, widths, dense, classes = VGG_SHAPES[name]
    layers, channels = [], 3
    for block, convs in enumerate([2, 2, 3, 3, 3]):
        for _ in range(convs):
            layers += [nn.Conv2d(channels, widths[block], 3, padding=1), nn.ReLU(inplace=True)]
            channels = widths[block]
        layers.append(nn.MaxPool2d(2, 2))
    flat = channels * (size // 32) ** 2
    layers += [nn.Flatten(), nn.Linear(flat, dense), nn.ReLU(inplace=True), nn.Linear(dense, dense),
               nn.ReLU(inplace=True), nn.Linear(dense, classes)]
    return frozen(nn.Sequential(*layers)), size


def frozen(model):
    """Inference mode with no weight gradients: only input gradients are computed, as in xai4j."""
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def row(key, seconds, **extra):
    r = {"key": key, "seconds": seconds, "mean": sum(seconds) / len(seconds), "min": min(seconds)}
    r.update(extra)
    return r


def integrated_gradients(args, method, steps):
    import captum
    from captum.attr import IntegratedGradients
    model, size = vgg(args.model)
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(3))
    ig = IntegratedGradients(model)

    def run():
        return ig.attribute(x, baselines=torch.zeros_like(x), target=TARGET, n_steps=steps, method=method,
                            internal_batch_size=16, return_convergence_delta=True)

    seconds = timed(run, args.warmup, args.repeats)
    anchor = (f"Captum {captum.__version__} IntegratedGradients.attribute(method='{method}', n_steps={steps}, "
              f"internal_batch_size=16, return_convergence_delta=True)")
    return anchor, [row(f"{args.model}", seconds, unit="s per attribution")]


def occlusion(args):
    import captum
    from captum.attr import Occlusion
    model, size = vgg(args.model)
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(4))
    method = Occlusion(model)

    def run():
        with torch.no_grad():
            return method.attribute(x, sliding_window_shapes=(3, 16, 16), strides=(3, 8, 8), baselines=0,
                                    target=TARGET, perturbations_per_eval=16)

    seconds = timed(run, args.warmup, args.repeats)
    anchor = (f"Captum {captum.__version__} Occlusion.attribute(sliding_window_shapes=(3, 16, 16), strides=(3, 8, 8), "
              f"baselines=0, perturbations_per_eval=16)")
    return anchor, [row(f"{args.model}", seconds, unit="s per attribution")]


def onnx_resnet50(args):
    """torchvision's resnet50 (random weights: the cost does not depend on them), the model that
    xai-onnx/src/test/python/export_torchvision_full.py exports, behind torchvision's ImageNet normalization, as
    --preprocess imagenet puts it in front of the ONNX graph."""
    import captum
    import torchvision.models as tvm
    from captum.attr import IntegratedGradients
    torch.manual_seed(0)
    net = tvm.resnet50(weights=None)
    mean = torch.tensor((0.485, 0.456, 0.406)).view(1, 3, 1, 1)
    std = torch.tensor((0.229, 0.224, 0.225)).view(1, 3, 1, 1)
    model = frozen(nn.Sequential(Normalize(mean, std), net))
    x = torch.rand(1, 3, 224, 224, generator=torch.Generator().manual_seed(3))
    ig = IntegratedGradients(model)

    def run_ig():
        return ig.attribute(x, baselines=torch.zeros_like(x), target=TARGET, n_steps=32, method="gausslegendre",
                            internal_batch_size=16, return_convergence_delta=True)

    rows = [row("ig", timed(run_ig, args.warmup, args.repeats), unit="s per attribution")]
    for b in args.batches:
        xb = torch.rand(b, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        rows.append(row(f"batch {b}", timed(lambda: input_gradient(model, xb), args.warmup, args.repeats),
                        unit="s per batch"))
    return (f"Captum {captum.__version__} IntegratedGradients(gausslegendre, n_steps=32, internal_batch_size=16); "
            f"torch.autograd.grad w.r.t. the input, torchvision resnet50 with Normalize"), rows


class Normalize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)

    def forward(self, x):
        return (x - self.mean) / self.std


def input_gradient(model, x):
    x = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(model(x)[:, TARGET].sum(), x)
    return g


def gradient(args, network):
    import torchvision
    if network == "resnet50":
        model, size = frozen(torchvision.models.resnet50(weights=None)), 224
        anchor = f"torchvision {torchvision.__version__} resnet50, torch.autograd.grad w.r.t. the input"
    else:
        model, size = vgg(network)
        anchor = "RandomVgg's layout in torch.nn, torch.autograd.grad w.r.t. the input"
    rows = []
    for batch in args.batches:
        x = torch.rand(batch, 3, size, size, generator=torch.Generator().manual_seed(2))
        seconds = timed(lambda: input_gradient(model, x), args.warmup, args.repeats)
        rows.append(row(f"{network} batch {batch}", seconds, batch=batch, unit="s per call"))
    return anchor, rows


def vgg_prefix(model, layer):
    """The layers of a vgg() model up to the ReLU after convolution `layer` (blockB_convK), and its output channels."""
    index = 0
    for block, convs in enumerate([2, 2, 3, 3, 3], start=1):
        for conv in range(1, convs + 1):
            if layer == f"block{block}_conv{conv}":
                return model[:index + 2], model[index].out_channels
            index += 2
        index += 1
    raise ValueError(f"unknown layer {layer!r}; expected blockB_convK of the VGG16 layout")


def feature_visualization(args):
    """Activation maximization as xai4j's ActivationMaximization does it with the PIXELS defaults and the settings of
    FeatureVisualizationBenchmark, written as a Lucent-style PyTorch loop. For the first min(64, channels) channels of
    block1_conv1 with 64 steps, or the first 16 channels of a deeper layer (--layer, e.g. block5_conv3) with 32 steps,
    after the layer's ReLU, in batches of 16 (one image per channel):

      start: mid-gray plus uniform noise of total width 0.2;      objective of the start image (forward only)
      every step: roll each image by its own random (dy, dx) in [-4, 4]^2; forward to the layer;
                  objective = mean of image i's channel; gradient w.r.t. the input; roll it back;
                  divide each image's gradient by its root-mean-square (+1e-12); add 0.01 x it;
                  decay toward gray: x = x (1 - 1e-3) + 0.5e-3;
                  every 4th step a Gaussian blur (sigma 0.5, radius int(4 sigma + 0.5) = 2; borders replicated here,
                  mirrored in xai4j as scipy's 'reflect' - the same cost);
                  clip to [0, 1]
      end: objective of the final image (forward only).

    Only the layers up to the objective's are evaluated, as in xai4j (--steps overrides the step count).
    """
    model, size = vgg(args.model)
    first = args.layer == "block1_conv1"
    features, width = vgg_prefix(model, args.layer)
    channels = list(range(min(64 if first else 16, width)))
    steps = args.steps or (64 if first else 32)
    batch, jitter, lr, decay, blur_every, sigma = 16, 4, 0.01, 1e-3, 4, 0.5
    radius = int(4 * sigma + 0.5)
    k = torch.tensor([math.exp(-i * i / (2 * sigma * sigma)) for i in range(-radius, radius + 1)])
    k = k / k.sum()
    kernel = (k[:, None] * k[None, :]).expand(3, 1, 2 * radius + 1, 2 * radius + 1).contiguous()

    def run():
        images = []
        for start in range(0, len(channels), batch):
            chunk = torch.tensor(channels[start:start + batch])
            n = len(chunk)
            rows = torch.arange(n)
            g = torch.Generator().manual_seed(start)
            x = 0.5 + 0.2 * (torch.rand(n, 3, size, size, generator=g) - 0.5)
            jittered = torch.empty_like(x)
            unrolled = torch.empty_like(x)
            with torch.no_grad():
                initial = features(x)[rows, chunk].mean((1, 2))
            for step in range(1, steps + 1):
                shifts = torch.randint(-jitter, jitter + 1, (n, 2), generator=g).tolist()
                for i, (dy, dx) in enumerate(shifts):
                    jittered[i] = torch.roll(x[i], (dy, dx), (1, 2))
                inp = jittered.detach().requires_grad_(True)
                objective = features(inp)[rows, chunk].mean((1, 2))
                (grad,) = torch.autograd.grad(objective.sum(), inp)
                for i, (dy, dx) in enumerate(shifts):
                    unrolled[i] = torch.roll(grad[i], (-dy, -dx), (1, 2))
                with torch.no_grad():
                    rms = unrolled.pow(2).mean((1, 2, 3), keepdim=True).sqrt_().add_(1e-12)
                    x.add_(unrolled.div_(rms).mul_(lr))
                    x.mul_(1 - decay).add_(0.5 * decay)
                    if step % blur_every == 0:
                        x = F.conv2d(F.pad(x, [radius] * 4, mode="replicate"), kernel, groups=3)
                    x.clamp_(0, 1)
            with torch.no_grad():
                final = features(x)[rows, chunk].mean((1, 2))
            images.append((x, initial, final))
        return images

    seconds = timed(run, args.warmup, args.repeats)
    anchor = (f"Lucent-style PyTorch loop: {len(channels)} channels of {args.layer}, {steps} steps, pixels, batches "
              f"of 16, jitter 4, normalized gradient 0.01, decay 1e-3, blur every 4 steps")
    return anchor, [row(f"{args.model}", seconds, unit="s per run")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=["ig-trapezoid32", "ig-gausslegendre50", "gradient-vgg16",
                                             "gradient-resnet50", "fviz-pixels", "occlusion", "onnx-resnet50"])
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--model", default="vgg16", choices=sorted(VGG_SHAPES),
                        help="VGG shape of the ig-*, occlusion and fviz-* workloads (default vgg16)")
    parser.add_argument("--batches", default="8,16", help="batches of the gradient-* workloads (default 8,16)")
    parser.add_argument("--layer", default="block1_conv1",
                        help="layer of fviz-pixels (default block1_conv1; e.g. block4_conv3, block5_conv3)")
    parser.add_argument("--steps", type=int,
                        help="steps of fviz-pixels (default as the benchmark: 64 for block1_conv1, else 32)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    args.batches = [int(b) for b in args.batches.split(",")]
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.workload == "ig-trapezoid32":
        anchor, rows = integrated_gradients(args, "riemann_trapezoid", 32)
    elif args.workload == "ig-gausslegendre50":
        anchor, rows = integrated_gradients(args, "gausslegendre", 50)
    elif args.workload == "onnx-resnet50":
        anchor, rows = onnx_resnet50(args)
    elif args.workload == "occlusion":
        anchor, rows = occlusion(args)
    elif args.workload.startswith("gradient-"):
        anchor, rows = gradient(args, args.workload[len("gradient-"):])
    else:
        anchor, rows = feature_visualization(args)
    result = {"workload": args.workload, "anchor": anchor, "rows": rows, "torch": torch.__version__,
              "threads": torch.get_num_threads(), "python": platform.python_version(),
              "warmup": args.warmup, "repeats": args.repeats}
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
