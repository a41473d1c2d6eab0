"""Reference class activation maps from pytorch-grad-cam for CamReferenceTest.

Builds two tiny seeded PyTorch networks that xai4j rebuilds layer by layer from the same weights (a VGG-style chain
and a residual graph with batch normalization, an addition and global average pooling), runs every CAM of
pytorch-grad-cam (commit 084273b) on three inputs and two sets of targets, and writes weights, inputs and maps as
.npy under xai-core/src/test/resources/cam-references/<model>/.

Run from the repository root (Debian python3-torch, python3-opencv, python3-scipy):
    PYTHONPATH=$GRAD_CAM_SRC /usr/bin/python3 xai-core/src/test/python/make_cam_references.py

Files per model:
    inputs.npy [3, 3, 16, 16] float32, targets.npy [2, 3] (float64 class indices, one row per target set),
    <layer>_weight.npy / <layer>_bias.npy (convolutions [out, in, kh, kw], dense layers [in, out] as xai4j takes them),
    <bn>_scale.npy / <bn>_shift.npy (inference batch normalization as a per-channel affine map),
    <cam>_raw.npy [2, 3, h, w]: the CAM at the layer's resolution before the ReLU (what get_cam_image returns),
    <cam>_maps.npy [2, 3, 16, 16]: the library's final output (ReLU, scale_cam_image min-max, cv2 bilinear resize,
    min-max again);
    residual/branch_<cam>_*.npy: the same at the residual block's second batch norm (values of both signs).

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import os
import sys
import types

import numpy as np
import torch

torch.set_num_threads(2)

# base_cam imports ttach (test-time augmentation), which Debian does not package; the CAMs used here never augment,
# but BaseCAM.__init__ builds a default tta.Compose, so a stand-in with those names is enough.
ttach = types.ModuleType("ttach")


class _Stub:
    def __init__(self, *args, **kwargs):
        pass


ttach.Compose = _Stub
ttach.HorizontalFlip = _Stub
ttach.Multiply = _Stub
sys.modules["ttach"] = ttach
# utils/svd_on_activations imports sklearn's KernelPCA for KPCA-CAM only; sklearn is not installed here.
sklearn = types.ModuleType("sklearn")
decomposition = types.ModuleType("sklearn.decomposition")
decomposition.KernelPCA = _Stub
sklearn.decomposition = decomposition
sys.modules["sklearn"] = sklearn
sys.modules["sklearn.decomposition"] = decomposition
# The package's __init__ imports every method (some need more missing packages): load the package without running
# it, so that only the modules imported below are executed.
_root = next(p for p in sys.path if os.path.isdir(os.path.join(p, "pytorch_grad_cam")))
_package = types.ModuleType("pytorch_grad_cam")
_package.__path__ = [os.path.join(_root, "pytorch_grad_cam")]
sys.modules["pytorch_grad_cam"] = _package

from pytorch_grad_cam.ablation_cam import AblationCAM  # noqa: E402
from pytorch_grad_cam.eigen_cam import EigenCAM  # noqa: E402
import pytorch_grad_cam.eigen_cam as eigen_cam_module  # noqa: E402
from pytorch_grad_cam.eigen_grad_cam import EigenGradCAM  # noqa: E402
import pytorch_grad_cam.eigen_grad_cam as eigen_grad_cam_module  # noqa: E402
from pytorch_grad_cam.fullgrad_cam import FullGrad  # noqa: E402
from pytorch_grad_cam.grad_cam import GradCAM  # noqa: E402
from pytorch_grad_cam.grad_cam_elementwise import GradCAMElementWise  # noqa: E402
from pytorch_grad_cam.grad_cam_plusplus import GradCAMPlusPlus  # noqa: E402
from pytorch_grad_cam.hirescam import HiResCAM  # noqa: E402
from pytorch_grad_cam.layer_cam import LayerCAM  # noqa: E402
from pytorch_grad_cam.score_cam import ScoreCAM  # noqa: E402
from pytorch_grad_cam.xgrad_cam import XGradCAM  # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget  # noqa: E402
from pytorch_grad_cam.utils.svd_on_activations import (  # noqa: E402
    get_2d_projection, get_2d_projection_with_sign_correction)

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "cam-references")
TARGETS = [[0, 1, 2], [3, 4, 1]]


class Vgg(torch.nn.Module):
    """conv-relu, conv-relu, max pool, conv-relu (the CAM layer, 8x8), max pool, flatten, dense-relu, dense."""

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
            conv = getattr(self, name)
            save(folder, name + "_weight", conv.weight)
            save(folder, name + "_bias", conv.bias)
        for name in ["fc1", "fc2"]:
            dense = getattr(self, name)
            save(folder, name + "_weight", dense.weight.t())
            save(folder, name + "_bias", dense.bias)


class Residual(torch.nn.Module):
    """conv-bn-relu stem, max pool, one residual block (conv-bn-relu, conv-bn, + identity, relu: the CAM layer, 8x8),
    global average pooling, dense. Convolutions without bias, as in ResNets: FullGrad sees the batch norms' biases."""

    def __init__(self):
        super().__init__()
        self.stem_conv = torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.stem_bn = torch.nn.BatchNorm2d(8)
        self.stem_relu = torch.nn.ReLU()
        self.pool = torch.nn.MaxPool2d(2)
        self.b1_conv1 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.b1_bn1 = torch.nn.BatchNorm2d(8)
        self.b1_relu1 = torch.nn.ReLU()
        self.b1_conv2 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.b1_bn2 = torch.nn.BatchNorm2d(8)
        self.b1_out = torch.nn.ReLU()
        self.fc = torch.nn.Linear(8, 5)
        for bn in [self.stem_bn, self.b1_bn1, self.b1_bn2]:
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.data.uniform_(0.5, 1.5)
            bn.bias.data.uniform_(-0.5, 0.5)

    def forward(self, x):
        x = self.pool(self.stem_relu(self.stem_bn(self.stem_conv(x))))
        y = self.b1_bn2(self.b1_conv2(self.b1_relu1(self.b1_bn1(self.b1_conv1(x)))))
        x = self.b1_out(x + y)
        return self.fc(x.mean(dim=(2, 3)))

    def cam_layer(self):
        return self.b1_out

    def save(self, folder):
        for name in ["stem_conv", "b1_conv1", "b1_conv2"]:
            save(folder, name + "_weight", getattr(self, name).weight)
        for name in ["stem_bn", "b1_bn1", "b1_bn2"]:
            bn = getattr(self, name)
            scale = bn.weight.double() / torch.sqrt(bn.running_var.double() + bn.eps)
            save(folder, name + "_scale", scale)
            save(folder, name + "_shift", bn.bias.double() - bn.running_mean.double() * scale)
        save(folder, "fc_weight", self.fc.weight.t())
        save(folder, "fc_bias", self.fc.bias)


def save(folder, name, tensor):
    array = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else tensor
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(array, dtype=np.float32))


def run(cam, inputs, targets):
    """The library's maps and what get_cam_image returned (None for FullGrad, which has no single layer)."""
    captured = []
    if not isinstance(cam, FullGrad):
        original = cam.get_cam_image

        def capture(*args, **kwargs):
            result = original(*args, **kwargs)
            captured.append(np.float32(result))
            return result

        cam.get_cam_image = capture
    maps = cam(input_tensor=inputs, targets=[ClassifierOutputTarget(t) for t in targets])
    return np.float32(maps), (captured[0] if captured else None)


def sign_corrected(module):
    """EigenCAM/EigenGradCAM with get_2d_projection_with_sign_correction in place of get_2d_projection."""
    module.get_2d_projection = get_2d_projection_with_sign_correction


def main():
    cams = {
        "gradcam": lambda m, l: GradCAM(m, l),
        "gradcamplusplus": lambda m, l: GradCAMPlusPlus(m, l),
        "scorecam": lambda m, l: ScoreCAM(m, l),
        "layercam": lambda m, l: LayerCAM(m, l),
        "hirescam": lambda m, l: HiResCAM(m, l),
        "gradcamelementwise": lambda m, l: GradCAMElementWise(m, l),
        "xgradcam": lambda m, l: XGradCAM(m, l),
        "eigencam": lambda m, l: EigenCAM(m, l),
        "eigengradcam": lambda m, l: EigenGradCAM(m, l),
        "ablationcam": lambda m, l: AblationCAM(m, l),
        "fullgrad": lambda m, l: FullGrad(m, []),
    }
    torch.manual_seed(20)
    vgg = Vgg()
    torch.manual_seed(21)
    residual = Residual()
    # (folder, file prefix, model, CAM layer, input seed): the residual network is mapped twice, at the block's output
    # (after a ReLU) and inside the block at the second batch norm, whose values can be negative (no ReLU): there
    # Ablation-CAM ablates to min - 1e7 instead of 0, and EigenCAM's centring matters.
    cases = [("vgg", "", vgg, vgg.relu3, 100), ("residual", "", residual, residual.b1_out, 101),
             ("residual", "branch_", residual, residual.b1_bn2, 101)]
    for name, prefix, model, layer, seed in cases:
        model.eval()
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        model.save(folder)
        torch.manual_seed(seed)
        inputs = torch.rand(3, 3, 16, 16)
        save(folder, "inputs", inputs)
        np.save(os.path.join(folder, "targets.npy"), np.float64(TARGETS))
        np.save(os.path.join(folder, "logits.npy"), np.float32(model(inputs).detach().numpy()))
        for cam_name, make in cams.items():
            if prefix and cam_name == "fullgrad":
                continue  # FullGrad does not depend on the layer
            if prefix and cam_name == "ablationcam":
                # For a layer that can be negative pytorch-grad-cam ablates row r of each batch to
                # min - (r + 1) * 1e7 (it takes the minimum after ablating earlier rows); with batches of one every
                # channel gets min - 1e7, the intent that xai4j implements.
                make = lambda m, l: AblationCAM(m, l, batch_size=1)  # noqa: E731
            all_maps, all_raw = [], []
            for targets in TARGETS:
                if cam_name in ("eigencam", "eigengradcam"):
                    # LAPACK's singular vector sign is arbitrary; record how often the library's own sign agrees
                    # with the sign-corrected projection that the references (and xai4j) use.
                    plain_maps, _ = run(make(model, [layer]), inputs, targets)
                    module = eigen_cam_module if cam_name == "eigencam" else eigen_grad_cam_module
                    sign_corrected(module)
                    maps, raw = run(make(model, [layer]), inputs, targets)
                    module.get_2d_projection = get_2d_projection
                    same = [bool(np.allclose(p, q, atol=1e-4)) for p, q in zip(plain_maps, maps)]
                    print(f"{name} {prefix}{cam_name} targets {targets}: LAPACK sign equals the corrected sign: {same}")
                else:
                    maps, raw = run(make(model, [layer]), inputs, targets)
                all_maps.append(maps)
                if raw is not None:
                    all_raw.append(raw)
            np.save(os.path.join(folder, prefix + cam_name + "_maps.npy"), np.float32(all_maps))
            if all_raw:
                np.save(os.path.join(folder, prefix + cam_name + "_raw.npy"), np.float32(all_raw))
        print(f"{name}: logits {model(inputs).detach().numpy().round(3).tolist()}")


if __name__ == "__main__":
    main()
