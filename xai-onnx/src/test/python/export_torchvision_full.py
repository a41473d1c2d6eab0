"""Exports whole torchvision classifiers (seeded random weights, 224x224) for the opt-in full-size check
FullTorchvisionModelsTest, and for the families in CAPTUM writes Captum 0.8.0 references on one seeded image with
torchvision's ImageNet normalization in front (<name>_input.npy, _ig_gl.npy (16 Gauss-Legendre steps, zero baseline),
_saliency.npy, _gradcam.npy (LayerGradCam at the last block before global pooling, no final relu), _target.txt).
The files are large (up to ~100 MB each) and are not committed.

    PYTHONPATH=$CAPTUM_SRC /usr/bin/python3 xai-onnx/src/test/python/export_torchvision_full.py /tmp/xai4j-torchvision-onnx [names...]
    mvn -pl xai-onnx -am test -Dtest=FullTorchvisionModelsTest -Dxai4j.onnx.fullModels=/tmp/xai4j-torchvision-onnx

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision.models as tvm

torch.set_num_threads(2)
MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
          "densenet121", "squeezenet1_0", "squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0",
          "regnet_x_400mf", "regnet_y_400mf", "googlenet", "resnext50_32x4d", "wide_resnet50_2", "mnasnet0_5", "convnext_tiny"]


# The layer each family's Grad-CAM reads: the module whose output feeds global pooling (DenseNet: norm5, as its final
# ReLU is functional and cannot be hooked).
CAPTUM = {"resnet18": lambda m: m.layer4, "mobilenet_v3_small": lambda m: m.features[-1],
          "mobilenet_v2": lambda m: m.features[-1], "shufflenet_v2_x0_5": lambda m: m.conv5,
          "efficientnet_b0": lambda m: m.features[-1], "densenet121": lambda m: m.features.norm5,
          "regnet_y_400mf": lambda m: m.trunk_output, "squeezenet1_1": lambda m: m.classifier[2],
          "googlenet": lambda m: m.inception5b, "convnext_tiny": lambda m: m.features[-1]}
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


class Normalized(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, x):
        return self.model((x - self.mean) / self.std)


def references(out, name, model, layer):
    from captum.attr import IntegratedGradients, Saliency, LayerGradCam
    x = torch.rand(1, 3, 224, 224, generator=torch.Generator().manual_seed(77))
    wrapped = Normalized(model).eval()
    with torch.no_grad():
        target = int(wrapped(x).argmax(1))
    save = lambda suffix, t: np.save(os.path.join(out, f"{name}_{suffix}.npy"), t.detach().numpy().astype(np.float32))
    save("input", x)
    save("ig_gl", IntegratedGradients(wrapped).attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=16,
                                                         method="gausslegendre", internal_batch_size=8))
    save("saliency", Saliency(wrapped).attribute(x.clone().requires_grad_(), target=target, abs=False))
    save("gradcam", LayerGradCam(wrapped, layer).attribute(x, target=target, relu_attributions=False))
    with open(os.path.join(out, f"{name}_target.txt"), "w") as f:
        f.write(str(target))


def main(out, only=None):
    os.makedirs(out, exist_ok=True)
    for i, name in enumerate(MODELS):
        if only and name not in only:
            continue
        torch.manual_seed(i)
        kwargs = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
        model = getattr(tvm, name)(weights=None, **kwargs).eval()
        for opset in (13, 17):
            torch.onnx.export(model, torch.zeros(1, 3, 224, 224), os.path.join(out, f"{name}_op{opset}.onnx"),
                              opset_version=opset, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        if name in CAPTUM:
            references(out, name, model, CAPTUM[name](model))
        print(name, flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/xai4j-torchvision-onnx", sys.argv[2:])
