"""Reference attributions from Captum 0.8.0 for the methods with modified backward rules (RuleReferenceTest).

Builds two tiny seeded PyTorch networks that xai4j rebuilds layer by layer from the same weights: a VGG-style chain
(conv-relu, conv-relu, max pool, conv-relu, max pool, flatten, dense-relu, dense) and a residual graph (conv-relu stem,
max pool, one block conv-relu, conv, batch norm, Addition_Module with the shortcut, relu, adaptive average pooling,
dense). Every ReLU is its own non-inplace nn.ReLU module used once, the flatten is torch.flatten in forward and the sum
is Captum's Addition_Module, so that LRP finds a rule for every module and DeepLift and the guided methods find every
ReLU. Computes in float64, so that the comparison measures the Java side's rounding only.

Runs GuidedBackprop, Deconvolution, GuidedGradCam (at the last ReLU before the head), DeepLift (zero baseline and a
random one), DeepLiftShap (three baselines) and LRP (default rules, epsilon 1e-9) on three inputs with targets 0, 1, 2
and writes weights, inputs, baselines and attributions as .npy under
xai-core/src/test/resources/rule-references/<model>/; and PyTorch's nearest interpolation of a 3x5 map to three sizes
(rule-references/nearest_*.npy).

DeepLift: Captum 0.8.0's max-pool rule has no effect when the pooling directly follows a ReLU (captum issue #1104: the
ReLU's hook reads its output gradient before the pooling's hook has replaced it, fixed upstream in PR #1843). xai4j
follows the intent, so the references here run Captum with that one fix: the ReLU's output gradient is read after the
hooks of the modules after it (_fixed_register_backward_hook below). The references of Captum as released are written
too (deeplift_captum080_*), with their convergence deltas, to document the difference.

Run from the repository root (Debian python3-torch):
    PYTHONPATH=$CAPTUM_SRC /usr/bin/python3 xai-core/src/test/python/make_rule_references.py

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import os

import numpy as np
import torch

torch.set_num_threads(2)

import captum.attr._core.deep_lift as deep_lift_module  # noqa: E402
from captum.attr import (Deconvolution, DeepLift, DeepLiftShap, GuidedBackprop, GuidedGradCam,  # noqa: E402
                         LRP)
from captum.attr._utils.custom_modules import Addition_Module  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "rule-references")
TARGETS = [0, 1, 2]


class Vgg(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.relu2 = torch.nn.ReLU()
        self.pool1 = torch.nn.MaxPool2d(2)
        self.conv3 = torch.nn.Conv2d(8, 16, 3, padding=1)
        self.relu3 = torch.nn.ReLU()
        self.pool2 = torch.nn.MaxPool2d(2)
        self.fc1 = torch.nn.Linear(16 * 4 * 4, 32)
        self.relu4 = torch.nn.ReLU()
        self.fc2 = torch.nn.Linear(32, 5)

    def forward(self, x):
        x = self.pool1(self.relu2(self.conv2(self.relu1(self.conv1(x)))))
        x = self.pool2(self.relu3(self.conv3(x)))
        return self.fc2(self.relu4(self.fc1(torch.flatten(x, 1))))

    def cam_layer(self):
        return self.relu3

    def save(self, folder):
        for name in ["conv1", "conv2", "conv3"]:
            save(folder, name + "_weight", getattr(self, name).weight)
            save(folder, name + "_bias", getattr(self, name).bias)
        for name in ["fc1", "fc2"]:
            save(folder, name + "_weight", getattr(self, name).weight.t())
            save(folder, name + "_bias", getattr(self, name).bias)


class Residual(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.stem_conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.stem_relu = torch.nn.ReLU()
        self.pool = torch.nn.MaxPool2d(2)
        self.b1_conv1 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.b1_relu1 = torch.nn.ReLU()
        self.b1_conv2 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.b1_bn2 = torch.nn.BatchNorm2d(8)
        self.b1_add = Addition_Module()
        self.b1_out = torch.nn.ReLU()
        self.gap = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(8, 5)
        self.b1_bn2.running_mean.uniform_(-0.5, 0.5)
        self.b1_bn2.running_var.uniform_(0.5, 2.0)
        self.b1_bn2.weight.data.uniform_(0.5, 1.5)
        self.b1_bn2.bias.data.uniform_(-0.5, 0.5)

    def forward(self, x):
        x = self.pool(self.stem_relu(self.stem_conv(x)))
        y = self.b1_bn2(self.b1_conv2(self.b1_relu1(self.b1_conv1(x))))
        x = self.b1_out(self.b1_add(x, y))
        return self.fc(torch.flatten(self.gap(x), 1))

    def cam_layer(self):
        return self.b1_out

    def save(self, folder):
        for name in ["stem_conv", "b1_conv1"]:
            save(folder, name + "_weight", getattr(self, name).weight)
            save(folder, name + "_bias", getattr(self, name).bias)
        save(folder, "b1_conv2_weight", self.b1_conv2.weight)
        bn = self.b1_bn2
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        save(folder, "b1_bn2_scale", scale)
        save(folder, "b1_bn2_shift", bn.bias - bn.running_mean * scale)
        save(folder, "fc_weight", self.fc.weight.t())
        save(folder, "fc_bias", self.fc.bias)


def save(folder, name, tensor, dtype=np.float64):
    array = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(array, dtype=dtype))


_released_register_backward_hook = deep_lift_module._register_backward_hook


def _fixed_register_backward_hook(module, hook, attr_obj):
    """Captum 0.8.0's _register_backward_hook with the fix of PR #1843's intent: the forward hook returns a clone of
    the output, so that the hooks of the modules after it attach to the clone and this module's output-gradient hook
    sees the gradient they made (in 0.8.0 both hooks sit on the same tensor and this one runs first, reading the
    gradient before a following max pool's rule replaced it)."""
    grad_out = {}

    def forward_hook(module, inp, out):
        def output_tensor_hook(output_grad):
            grad_out[output_grad.device] = output_grad

        out.register_hook(output_tensor_hook)
        return out.clone()

    def pre_hook(module, inp):
        def input_tensor_hook(input_grad):
            if len(grad_out) == 0:
                return None
            hook_out = hook(module, input_grad, grad_out[input_grad.device])
            if hook_out is not None:
                return hook_out[0] if isinstance(hook_out, tuple) else hook_out
            return None

        inp = inp[0] if isinstance(inp, tuple) else inp
        inp.register_hook(input_tensor_hook)
        return inp.clone()

    return [module.register_forward_pre_hook(pre_hook), module.register_forward_hook(forward_hook)]


def deeplift(model, inputs, baseline, fixed):
    deep_lift_module._register_backward_hook = (_fixed_register_backward_hook if fixed
                                                else _released_register_backward_hook)
    try:
        attributions, delta = DeepLift(model).attribute(inputs, baselines=baseline, target=TARGETS,
                                                        return_convergence_delta=True)
    finally:
        deep_lift_module._register_backward_hook = _released_register_backward_hook
    return attributions, delta


def deepliftshap(model, inputs, baselines):
    deep_lift_module._register_backward_hook = _fixed_register_backward_hook
    try:
        return DeepLiftShap(model).attribute(inputs, baselines=baselines, target=TARGETS,
                                             return_convergence_delta=True)
    finally:
        deep_lift_module._register_backward_hook = _released_register_backward_hook


def nearest_references():
    """PyTorch's nearest-neighbor interpolation (Captum's default for GuidedGradCam) of a 3x5 map to three sizes."""
    source = torch.arange(15, dtype=torch.float64).reshape(1, 1, 3, 5)
    save(OUT, "nearest_in", source)
    for height, width in [(7, 11), (16, 16), (2, 3)]:
        save(OUT, "nearest_%dx%d" % (height, width),
             torch.nn.functional.interpolate(source, size=(height, width), mode="nearest"))


def main():
    os.makedirs(OUT, exist_ok=True)
    nearest_references()
    for name, seed, cls in [("vgg", 30, Vgg), ("residual", 31, Residual)]:
        torch.manual_seed(seed)
        model = cls().eval()
        # float32 weights and inputs, stored as float32; everything computed in float64 from those exact values.
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        model = model.double()
        model.save(folder)
        inputs = torch.rand(3, 3, 16, 16).float().double()
        random_baseline = (torch.rand(1, 3, 16, 16) * 0.5).float().double()
        baselines = torch.cat([torch.zeros(1, 3, 16, 16, dtype=torch.float64),
                               torch.full((1, 3, 16, 16), 0.5, dtype=torch.float64), random_baseline])
        save(folder, "inputs", inputs)
        save(folder, "random_baseline", random_baseline)
        save(folder, "logits", model(inputs))

        save(folder, "guidedbackprop", GuidedBackprop(model).attribute(inputs, target=TARGETS))
        save(folder, "deconvolution", Deconvolution(model).attribute(inputs, target=TARGETS))
        save(folder, "guidedgradcam", GuidedGradCam(model, model.cam_layer()).attribute(inputs, target=TARGETS))
        for label, baseline in [("zero", torch.zeros_like(inputs)), ("random", random_baseline.expand_as(inputs))]:
            attributions, delta = deeplift(model, inputs, baseline, fixed=True)
            save(folder, "deeplift_" + label, attributions)
            save(folder, "deeplift_" + label + "_delta", delta)
            released, released_delta = deeplift(model, inputs, baseline, fixed=False)
            save(folder, "deeplift_captum080_" + label, released)
            save(folder, "deeplift_captum080_" + label + "_delta", released_delta)
            print(name, label, "deeplift |delta| fixed", delta.abs().max().item(), "released",
                  released_delta.abs().max().item())
        attributions, delta = deepliftshap(model, inputs, baselines)
        save(folder, "deepliftshap", attributions)
        save(folder, "deepliftshap_delta", delta)
        lrp, lrp_delta = LRP(model).attribute(inputs, target=TARGETS, return_convergence_delta=True)
        save(folder, "lrp", lrp)
        save(folder, "lrp_delta", lrp_delta)
        print(name, "deepliftshap |delta|", delta.abs().max().item(), "lrp delta", lrp_delta.tolist())


if __name__ == "__main__":
    main()
