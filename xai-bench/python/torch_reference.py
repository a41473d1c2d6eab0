#!/usr/bin/env python3
"""PyTorch reference timings for xai4j's benchmarks, under the same conditions (CPU threads, shapes, batches).

Measures, for a VGG16-shaped network with random weights (cost does not depend on the values):
  * forward, and forward + gradient of one class logit with respect to the input (weights frozen),
    per image, at batch 1, 8 and 16;
  * integrated gradients of one 224x224 image: 32 trapezoid points in internal batches of 16 (Captum's
    `IntegratedGradients.attribute(n_steps=32, internal_batch_size=16, method="riemann_trapezoid")` does the
    same work) and 50 Gauss-Legendre points in batches of 16 (Captum's default rule);
  * the same for the 64x64 mini-VGG shape of the toy models.

Usage (Debian: apt-get install python3-torch):
    /usr/bin/python3 xai-bench/python/torch_reference.py --threads 2 --json torch-reference.json
"""
import argparse
import json
import platform
import time

import numpy as np
import torch
import torch.nn as nn


def vgg(size, widths, dense, classes):
    layers, channels = [], 3
    for block, convs in enumerate([2, 2, 3, 3, 3]):
        for _ in range(convs):
            layers += [nn.Conv2d(channels, widths[block], 3, padding=1), nn.ReLU(inplace=True)]
            channels = widths[block]
        layers.append(nn.MaxPool2d(2, 2))
    flat = channels * (size // 32) ** 2
    layers += [nn.Flatten(), nn.Linear(flat, dense), nn.ReLU(inplace=True), nn.Linear(dense, dense),
               nn.ReLU(inplace=True), nn.Linear(dense, classes)]
    model = nn.Sequential(*layers).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def best_of(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def input_gradient(model, x, target):
    x = x.clone().requires_grad_(True)
    model(x)[:, target].sum().backward()
    return x.grad


def integrated_gradients(model, x, target, alphas, weights, batch):
    total = torch.zeros_like(x)
    diff = x  # zero baseline
    for start in range(0, len(alphas), batch):
        a = torch.tensor(alphas[start:start + batch], dtype=x.dtype).view(-1, 1, 1, 1)
        w = torch.tensor(weights[start:start + batch], dtype=x.dtype).view(-1, 1, 1, 1)
        g = input_gradient(model, a * diff, target)
        total += (w * g).sum(0, keepdim=True)
    return diff * total


def rule(name, steps):
    if name == "trapezoid":
        alphas = np.linspace(0, 1, steps)
        weights = np.full(steps, 1.0 / (steps - 1))
        weights[[0, -1]] *= 0.5
    else:
        nodes, w = np.polynomial.legendre.leggauss(steps)
        alphas, weights = (nodes + 1) / 2, w / 2
    return alphas.tolist(), weights.tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", default=None)
    parser.add_argument("--models", default="vgg16,mini-vgg")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    shapes = {"vgg16": (224, [64, 128, 256, 512, 512], 4096, 1000),
              "mini-vgg": (64, [16, 32, 64, 64, 64], 128, 7)}
    results = {"torch": torch.__version__, "threads": args.threads, "machine": platform.processor() or platform.machine(),
               "date": time.strftime("%Y-%m-%d"), "rows": []}
    for name in args.models.split(","):
        size, widths, dense, classes = shapes[name]
        model = vgg(size, widths, dense, classes)
        for batch in (1, 8, 16):
            x = torch.rand(batch, 3, size, size)
            with torch.no_grad():
                fwd = best_of(lambda: model(x), args.repeats)
            grad = best_of(lambda: input_gradient(model, x, 3), args.repeats)
            for kernel, (best, median) in (("forward", fwd), ("forwardAndInputGradient", grad)):
                row = {"model": name, "kernel": kernel, "batch": batch, "seconds_per_call": best,
                       "median_seconds_per_call": median, "seconds_per_image": best / batch}
                results["rows"].append(row)
                print(json.dumps(row))
        x = torch.rand(1, 3, size, size)
        for setting, rule_name, steps in (("riemann32", "trapezoid", 32), ("gl50", "gauss", 50)):
            alphas, weights = rule(rule_name, steps)
            best, median = best_of(lambda: integrated_gradients(model, x, 3, alphas, weights, 16), args.repeats)
            row = {"model": name, "kernel": "integratedGradients", "setting": setting, "batch": 16,
                   "seconds_per_call": best, "median_seconds_per_call": median}
            results["rows"].append(row)
            print(json.dumps(row))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
