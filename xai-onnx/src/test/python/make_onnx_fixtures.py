"""Writes the ONNX fixtures and Captum references of xai-onnx's tests.

Run from the repository root (Debian python3-torch 1.13 / python3-torchvision 0.14, Captum 0.8.0 source):

    PYTHONPATH=$CAPTUM_SRC /usr/bin/python3 xai-onnx/src/test/python/make_onnx_fixtures.py

Every model is a small, seeded, random-weight network built from torchvision's own classes and blocks (no model hub is
reachable, and whole torchvision classifiers would make megabytes of fixtures), put in eval mode with random batch-norm
statistics so that folded and stand-alone batch normalization both matter. Each is exported with torch.onnx.export at
opsets 13 and 17 with a dynamic batch dimension, as a user would export it. For each model the script writes, under
xai-onnx/src/test/resources/onnx/<name>/:

  <name>_op13.onnx, <name>_op17.onnx   the exports
  input.npy                            one seeded image [1, 3, 64, 64] in [0, 1]
  logits.npy                           PyTorch's logits of the bare model on the normalized image
  ig_gl.npy, ig_trap.npy               Captum IntegratedGradients (gausslegendre / riemann_trapezoid, 16 steps, zero
                                       baseline) of normalize-then-model, with respect to the [0, 1] image
  saliency.npy                         Captum Saliency(abs=False)
  ixg.npy                              Captum InputXGradient
  gradcam.npy                          Captum LayerGradCam at the last spatial block before global pooling, without the final relu (a random-weight map can be all negative),
                                       at the layer's resolution [1, 1, h, w]
  meta.json                            target class, steps, layer module name

plus vit_tiny_op17.onnx, torchvision's VisionTransformer at its smallest (32x32, one encoder block), which the importer
must refuse at load (attention needs a general-tensor path the engine does not have).

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision.models as tvm
from torchvision.models.mobilenetv3 import InvertedResidualConfig
from torchvision.models.efficientnet import MBConvConfig
from torchvision.models.regnet import BlockParams
from torchvision.models.resnet import BasicBlock
from torchvision.models.squeezenet import Fire
from torchvision.models.googlenet import Inception, BasicConv2d
from torchvision.models.convnext import CNBlockConfig
from captum.attr import IntegratedGradients, Saliency, InputXGradient, LayerGradCam

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "onnx")
SIZE = 64
CLASSES = 10
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
STEPS = 16


def randomize_bn(model, seed):
    """Random batch-norm statistics and affine parameters; classifier weights with unit-variance outputs (torchvision
    initializes MobileNet's and EfficientNet's classifiers with std 0.01, which leaves logits near zero)."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=g) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
        if isinstance(m, nn.Linear):
            m.weight.data.copy_(torch.randn(m.weight.shape, generator=g) / m.in_features ** 0.5)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(c, generator=g) * 0.1)


class MiniResNet(nn.Module):
    """ResNet from torchvision's BasicBlock: stem conv/bn/relu, max-pool, two blocks (one downsampling), GAP, fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, 2, down)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, CLASSES)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class MiniSqueezeNet(nn.Module):
    """SqueezeNet 1.1 layout from torchvision's Fire module, ceil-mode max-pooling, conv classifier."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, 2), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(3, 2, ceil_mode=True), Fire(16, 4, 8, 8),
                                      nn.MaxPool2d(3, 2, ceil_mode=True), Fire(16, 8, 16, 16))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(32, CLASSES, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


class MiniGoogLeNet(nn.Module):
    """GoogLeNet layout from torchvision's Inception block: ceil-mode pooling, four-branch concatenation."""

    def __init__(self):
        super().__init__()
        self.conv1 = BasicConv2d(3, 8, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception = Inception(8, 4, 4, 8, 2, 4, 4)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception2 = Inception(20, 8, 4, 8, 2, 4, 4)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(24, CLASSES)

    def forward(self, x):
        x = self.maxpool2(self.inception(self.maxpool1(self.conv1(x))))
        x = self.inception2(x)
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


def tiny_vit():
    """torchvision's VisionTransformer at its smallest: patch embedding, class token, one encoder block (attention)."""
    return tvm.VisionTransformer(image_size=32, patch_size=16, num_layers=1, num_heads=2, hidden_dim=16, mlp_dim=32,
                                 num_classes=CLASSES)


def models():
    """(name, model, module of the Grad-CAM layer) for every fixture."""
    out = []
    torch.manual_seed(1)
    m = MiniResNet()
    out.append(("resnet", m, m.layer2))
    torch.manual_seed(2)
    setting = [InvertedResidualConfig(8, 3, 8, 8, True, "RE", 2, 1, 1.0),
               InvertedResidualConfig(8, 3, 24, 12, False, "RE", 2, 1, 1.0),
               InvertedResidualConfig(12, 5, 32, 12, True, "HS", 1, 1, 1.0)]
    m = tvm.MobileNetV3(setting, last_channel=32, num_classes=CLASSES)
    out.append(("mobilenet_v3", m, m.features[-1]))
    torch.manual_seed(3)
    m = tvm.MobileNetV2(num_classes=CLASSES, inverted_residual_setting=[[1, 8, 1, 1], [6, 16, 2, 2]], width_mult=1.0)
    # MobileNetV2 fixes its last channel at 1280; keep the fixture small.
    m.features[-1] = tvm.mobilenetv2.Conv2dNormActivation(16, 32, kernel_size=1, activation_layer=nn.ReLU6)
    m.classifier[-1] = nn.Linear(32, CLASSES)
    out.append(("mobilenet_v2", m, m.features[-1]))
    torch.manual_seed(4)
    m = tvm.ShuffleNetV2([2, 1, 1], [8, 16, 32, 48, 64], num_classes=CLASSES)
    out.append(("shufflenet_v2", m, m.conv5))
    torch.manual_seed(5)
    m = MiniSqueezeNet()
    out.append(("squeezenet", m, m.classifier[2]))
    torch.manual_seed(6)
    m = tvm.RegNet(BlockParams(depths=[1, 1], widths=[16, 32], group_widths=[8, 8], bottleneck_multipliers=[1.0, 1.0],
                               strides=[2, 2], se_ratio=0.25), stem_width=8, num_classes=CLASSES)
    out.append(("regnet", m, m.trunk_output))
    torch.manual_seed(7)
    m = tvm.EfficientNet([MBConvConfig(1, 3, 1, 8, 8, 1), MBConvConfig(4, 3, 2, 8, 16, 1),
                          MBConvConfig(4, 5, 2, 16, 24, 1)], dropout=0.2, num_classes=CLASSES, last_channel=48)
    out.append(("efficientnet", m, m.features[-1]))
    torch.manual_seed(8)
    m = tvm.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2, num_classes=CLASSES)
    out.append(("densenet", m, m.features.norm5))
    torch.manual_seed(9)
    m = MiniGoogLeNet()
    out.append(("googlenet", m, m.inception2))
    torch.manual_seed(11)
    # torchvision's ConvNeXt class: patchify stem + LayerNorm2d, CNBlocks (depthwise 7x7, permute, LayerNorm, Linear,
    # GELU, Linear, layer scale), a downsampling LayerNorm2d + conv, global pooling, LayerNorm2d head. Layer scale 0.5
    # rather than 1e-6, so that the blocks matter in a random-weight model.
    m = tvm.ConvNeXt([CNBlockConfig(16, 32, 1), CNBlockConfig(32, None, 1)], stochastic_depth_prob=0.0,
                     layer_scale=0.5, num_classes=CLASSES)
    out.append(("convnext", m, m.features[-1]))
    return out


class Normalized(nn.Module):
    """torchvision's ImageNet normalization of [0, 1] RGB, then the model: what --preprocess imagenet computes."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, x):
        return self.model((x - self.mean) / self.std)


def export(model, path, opset):
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), path, opset_version=opset, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def save(folder, name, tensor):
    np.save(os.path.join(folder, name), tensor.detach().numpy().astype(np.float32))


def main():
    for index, (name, model, cam_module) in enumerate(models()):
        randomize_bn(model, 100 + index)
        model.eval()
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        for opset in (13, 17):
            export(model, os.path.join(folder, f"{name}_op{opset}.onnx"), opset)
        x = torch.rand(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1000 + index))
        wrapped = Normalized(model).eval()
        with torch.no_grad():
            logits = wrapped(x)
        target = int(logits.argmax(1))
        save(folder, "input.npy", x)
        save(folder, "logits.npy", logits)
        ig = IntegratedGradients(wrapped)
        save(folder, "ig_gl.npy", ig.attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=STEPS,
                                               method="gausslegendre"))
        save(folder, "ig_trap.npy", ig.attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=STEPS,
                                                 method="riemann_trapezoid"))
        save(folder, "saliency.npy", Saliency(wrapped).attribute(x.clone().requires_grad_(), target=target, abs=False))
        save(folder, "ixg.npy", InputXGradient(wrapped).attribute(x.clone().requires_grad_(), target=target))
        save(folder, "gradcam.npy", LayerGradCam(wrapped, cam_module).attribute(x, target=target,
                                                                                relu_attributions=False))
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump({"target": target, "steps": STEPS, "mean": MEAN, "std": STD}, f, indent=1)
        print(name, "target", target, "logits", logits.numpy().round(3).tolist())
    torch.manual_seed(10)
    vit = tiny_vit().eval()
    torch.onnx.export(vit, torch.zeros(1, 3, 32, 32), os.path.join(OUT, "vit_tiny_op17.onnx"), opset_version=17,
                      input_names=["input"], output_names=["logits"])


if __name__ == "__main__":
    main()
