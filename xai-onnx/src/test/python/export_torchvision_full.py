"""Exports whole torchvision classifiers (seeded random weights, 224x224) for the opt-in full-size check
FullTorchvisionModelsTest. The files are large (up to ~100 MB) and are not committed.

    /usr/bin/python3 xai-onnx/src/test/python/export_torchvision_full.py /tmp/xai4j-torchvision-onnx
    mvn -pl xai-onnx -am test -Dtest=FullTorchvisionModelsTest -Dxai4j.onnx.fullModels=/tmp/xai4j-torchvision-onnx
"""
import os
import sys

import torch
import torchvision.models as tvm

torch.set_num_threads(2)
MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
          "densenet121", "squeezenet1_0", "squeezenet1_1", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0",
          "regnet_x_400mf", "regnet_y_400mf", "googlenet", "resnext50_32x4d", "wide_resnet50_2", "mnasnet0_5"]


def main(out):
    os.makedirs(out, exist_ok=True)
    for i, name in enumerate(MODELS):
        torch.manual_seed(i)
        kwargs = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
        model = getattr(tvm, name)(weights=None, **kwargs).eval()
        for opset in (13, 17):
            torch.onnx.export(model, torch.zeros(1, 3, 224, 224), os.path.join(out, f"{name}_op{opset}.onnx"),
                              opset_version=opset, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        print(name, flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/xai4j-torchvision-onnx")
