"""Captum references for the explain command on ONNX files it has never seen (ExplainOnnxCommandTest).

Run from the repository root, after xai-onnx's fixture generator (whose models and .onnx exports this reuses):

    PYTHONPATH=$CAPTUM_SRC:xai-onnx/src/test/python /usr/bin/python3 xai-cli/src/test/python/make_onnx_cli_references.py

For each family below it rebuilds the seeded PyTorch model of xai-onnx/src/test/python/make_onnx_fixtures.py (the same
weights as the committed <name>_op13.onnx and <name>_op17.onnx), writes one seeded 64x64 RGB PNG whose pixels are
exact k/255 values (so the command reads exactly the tensor Captum gets), and Captum 0.8.0's attributions of
"torchvision ImageNet normalization, then the model" (what `--preprocess imagenet` means) for the predicted class:

  <name>/image.png        the input
  <name>/ig.npy           IntegratedGradients, gausslegendre, 16 steps, zero baseline    [H, W, 3] (the command's layout)
  <name>/saliency.npy     Saliency(abs=False)                                             [H, W, 3]
  <name>/ixg.npy          InputXGradient                                                  [H, W, 3]
  <name>/gradcam.npy      LayerGradCam at the model's last spatial block, ReLU, bilinearly resized to 64x64 with
                          cv2 (half-pixel centers, what pytorch-grad-cam does)            [H, W]
  <name>/meta.json        the target class (the predicted one) and the Grad-CAM target (the class whose ReLU'd map
                          varies most: a random-weight network's map can be all negative, hence all zero)

The references are computed in float64: Captum's own float32 result differs from its float64 one by up to 0.4% of the
largest attribution on the ResNet fixture (near-ties at the dark end of the integration path), while xai4j's float32
command agrees with the float64 result to 3e-7, so the float64 result is the reference the tolerance is about.

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import json
import os
import sys

import cv2
import numpy as np
import torch
from captum.attr import IntegratedGradients, Saliency, InputXGradient, LayerGradCam
from PIL import Image

import make_onnx_fixtures as fixtures

torch.set_num_threads(2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "onnx-cli")
FAMILIES = ["resnet", "mobilenet_v3", "shufflenet_v2", "regnet"]
STEPS = 16


def hwc(t):
    return t.detach()[0].permute(1, 2, 0).numpy().astype(np.float32)


def main():
    for index, (name, model, cam_module) in enumerate(fixtures.models()):
        fixtures.randomize_bn(model, 100 + index)  # exactly as the .onnx fixtures were made
        model.eval()
        if name not in FAMILIES:
            continue
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        pixels = np.random.default_rng(2000 + index).integers(0, 256, size=(fixtures.SIZE, fixtures.SIZE, 3),
                                                              dtype=np.uint8)
        Image.fromarray(pixels, "RGB").save(os.path.join(folder, "image.png"))
        x = torch.from_numpy(pixels.astype(np.float32) / 255).permute(2, 0, 1).unsqueeze(0).contiguous()
        wrapped = fixtures.Normalized(model).eval().double()
        x = x.double()
        with torch.no_grad():
            target = int(wrapped(x).argmax(1))
        ig = IntegratedGradients(wrapped).attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=STEPS,
                                                    method="gausslegendre")
        np.save(os.path.join(folder, "ig.npy"), hwc(ig))
        np.save(os.path.join(folder, "saliency.npy"),
                hwc(Saliency(wrapped).attribute(x.clone().requires_grad_(), target=target, abs=False)))
        np.save(os.path.join(folder, "ixg.npy"), hwc(InputXGradient(wrapped).attribute(x.clone().requires_grad_(),
                                                                                       target=target)))
        cams = [LayerGradCam(wrapped, cam_module).attribute(x, target=c, relu_attributions=True).detach()[0, 0]
                .numpy() for c in range(fixtures.CLASSES)]
        cam_target = int(np.argmax([c.max() - c.min() for c in cams]))
        np.save(os.path.join(folder, "gradcam.npy"), cv2.resize(cams[cam_target], (fixtures.SIZE, fixtures.SIZE),
                                                                interpolation=cv2.INTER_LINEAR).astype(np.float32))
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump({"target": target, "gradcam_target": cam_target, "steps": STEPS}, f, indent=1)
        print(name, "target", target)


if __name__ == "__main__":
    sys.exit(main())
