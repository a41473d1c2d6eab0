"""References for every deterministic method of the explain command on an ONNX file it has never seen
(ExplainOnnxMethodsTest): a residual torchvision-block network exported with torch.onnx.export, explained from the
command line, against pytorch-grad-cam (commit 084273b) for the CAMs and Captum 0.8.0 for the rest.

Run from the repository root after make_onnx_cli_references.py (whose image and target this reuses):

    PYTHONPATH=$CAPTUM_SRC:$GRAD_CAM_SRC:xai-onnx/src/test/python:xai-core/src/test/python \\
        /usr/bin/python3 xai-cli/src/test/python/make_onnx_cli_method_references.py

The model is xai-onnx's "resnet" fixture (MiniResNet from torchvision's BasicBlock, rebuilt from the same seeds as its
committed resnet_op13.onnx / resnet_op17.onnx), behind torchvision's ImageNet normalization (--preprocess imagenet), in
float64 (make_onnx_cli_references.py says why). The CAMs read the block before global pooling (layer2), the command's
default layer. Written to xai-cli/src/test/resources/onnx-cli/resnet/methods/<method>.npy, [H, W] maps for the CAMs
(pytorch-grad-cam's final output: ReLU, min-max, cv2 bilinear resize, min-max) and [H, W, 3] attributions otherwise:

  gradcampp scorecam layercam hirescam gradcamelementwise xgradcam eigencam eigengradcam ablationcam
      pytorch-grad-cam's GradCAMPlusPlus ... AblationCAM; EigenCAM / EigenGradCAM with the library's own
      get_2d_projection_with_sign_correction (xai4j's documented choice)
  guidedbackprop deconvolution    Captum GuidedBackprop / Deconvolution
  occlusion                       Captum Occlusion, 8x8 window over all channels, stride 4, zero baseline
  featureablation                 Captum FeatureAblation with 8x8-pixel grid cells (--segments grid:8), zero baseline

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import json
import os

import numpy as np
import torch
from PIL import Image

import make_cam_references as cams  # installs the ttach/sklearn stand-ins pytorch-grad-cam imports; see that file
import make_onnx_fixtures as fixtures
from captum.attr import Deconvolution, FeatureAblation, GuidedBackprop, Occlusion

torch.set_num_threads(2)
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "onnx-cli", "resnet")


def main():
    model, cam_module = None, None
    for index, (name, m, layer) in enumerate(fixtures.models()):
        fixtures.randomize_bn(m, 100 + index)  # exactly as the .onnx fixtures were made
        if name == "resnet":
            model, cam_module = m.eval(), layer
    wrapped = fixtures.Normalized(model).eval().double()
    target = json.load(open(os.path.join(HERE, "meta.json")))["target"]
    pixels = np.array(Image.open(os.path.join(HERE, "image.png")).convert("RGB"))
    x = torch.from_numpy(pixels.astype(np.float64) / 255).permute(2, 0, 1).unsqueeze(0).contiguous()
    out = os.path.join(HERE, "methods")
    os.makedirs(out, exist_ok=True)

    cams.sign_corrected(cams.eigen_cam_module)
    cams.sign_corrected(cams.eigen_grad_cam_module)
    makers = {"gradcampp": cams.GradCAMPlusPlus, "scorecam": cams.ScoreCAM, "layercam": cams.LayerCAM,
              "hirescam": cams.HiResCAM, "gradcamelementwise": cams.GradCAMElementWise, "xgradcam": cams.XGradCAM,
              "eigencam": cams.EigenCAM, "eigengradcam": cams.EigenGradCAM, "ablationcam": cams.AblationCAM}
    for name, make in makers.items():
        cam = make(wrapped, [cam_module])
        maps = cam(input_tensor=x, targets=[cams.ClassifierOutputTarget(target)])
        np.save(os.path.join(out, name + ".npy"), np.asarray(maps[0], dtype=np.float32))
        print(name, "done")

    def hwc(t):
        return t.detach()[0].permute(1, 2, 0).numpy().astype(np.float32)

    np.save(os.path.join(out, "guidedbackprop.npy"), hwc(GuidedBackprop(wrapped).attribute(x, target=target)))
    np.save(os.path.join(out, "deconvolution.npy"), hwc(Deconvolution(wrapped).attribute(x, target=target)))
    with torch.no_grad():
        np.save(os.path.join(out, "occlusion.npy"), hwc(Occlusion(wrapped).attribute(
            x, sliding_window_shapes=(3, 8, 8), strides=(3, 4, 4), baselines=0, target=target,
            perturbations_per_eval=16)))
        size = x.shape[-1]
        cells = torch.arange(size) // 8
        mask = (cells.view(-1, 1) * (size // 8) + cells.view(1, -1)).view(1, 1, size, size)
        np.save(os.path.join(out, "featureablation.npy"), hwc(FeatureAblation(wrapped).attribute(
            x, baselines=0, target=target, feature_mask=mask, perturbations_per_eval=16)))
    print("target", target)


if __name__ == "__main__":
    main()
