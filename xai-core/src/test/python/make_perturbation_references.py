"""Writes the reference fixtures of the perturbation methods and of SLIC (xai-core tests read them; no Python needed).

Run from the repository root, with Debian's python3-torch and python3-skimage and Captum 0.8.0's source:

    PYTHONPATH=/work/refs/captum /usr/bin/python3 xai-core/src/test/python/make_perturbation_references.py

It builds a tiny seeded PyTorch CNN (conv 3->4 same-padded, ReLU, 2x2 max pool, conv 4->6, ReLU, flatten, linear 96->5),
saves its weights and a seeded input batch, and runs Captum's deterministic perturbation methods on it:
Occlusion (two window/stride/baseline settings), FeatureAblation (a 4-pixel grid, and SLIC superpixels from
scikit-image), and ShapleyValues (every permutation of 4 features, so deterministic). It also saves scikit-image SLIC
labels of a downscaled photograph (scikit-image's own "chelsea") and of a grayscale version, for SlicTest.
Everything goes to xai-core/src/test/resources/org/xai4j/perturbation/ as float64 .npy files (labels too: xai4j.io.Npy reads floats).
"""
import os

import numpy as np
import torch
from captum.attr import FeatureAblation, Occlusion, ShapleyValues
from skimage import data
from skimage.segmentation import slic
from skimage.transform import resize

torch.set_num_threads(2)
torch.manual_seed(20)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org", "xai4j", "perturbation")
os.makedirs(OUT, exist_ok=True)


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(array))


class TinyCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(4, 6, 3)
        self.fc = torch.nn.Linear(6 * 4 * 4, 5)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))  # logits: the Java side explains ClassLogit


net = TinyCnn().eval()
for name, p in net.named_parameters():
    save("tiny_" + name.replace(".", "_"), p.detach().numpy().astype(np.float64))
x = torch.rand(2, 3, 12, 12)
save("tiny_inputs", x.numpy().astype(np.float64))
targets = [1, 3]
save("tiny_logits", net(x).detach().numpy().astype(np.float64))

occlusion = Occlusion(net)
save("occlusion_w4_s2_b0", occlusion.attribute(x, sliding_window_shapes=(3, 4, 4), strides=(3, 2, 2), baselines=0.0,
                                               target=targets, perturbations_per_eval=16).numpy().astype(np.float64))
# 12 - 5 = 7 is not a multiple of 3: the last window of each axis is cut off by the border.
save("occlusion_w5_s3_b05", occlusion.attribute(x, sliding_window_shapes=(3, 5, 5), strides=(3, 3, 3), baselines=0.5,
                                                target=targets, perturbations_per_eval=16).numpy().astype(np.float64))

ys, xs = np.mgrid[0:12, 0:12]
grid4 = torch.tensor((ys // 4) * 3 + xs // 4).reshape(1, 1, 12, 12)
ablation = FeatureAblation(net)
save("ablation_grid4_b025", ablation.attribute(x, baselines=0.25, target=targets, feature_mask=grid4,
                                               perturbations_per_eval=16).numpy().astype(np.float64))

# SLIC superpixels of each input (HWC float64), labels from 0, as a per-example feature mask. The inputs are noise, so
# a high compactness keeps the superpixels from dissolving into one (8 superpixels each).
slic_masks = np.stack([slic(x[i].permute(1, 2, 0).numpy().astype(np.float64), n_segments=9, compactness=100.0,
                            start_label=1) - 1 for i in range(2)])
save("tiny_slic9_c100_labels", slic_masks.astype(np.float64))
save("ablation_slic9_c100_b0", ablation.attribute(x, baselines=0.0, target=targets,
                                             feature_mask=torch.tensor(slic_masks).reshape(2, 1, 12, 12),
                                             perturbations_per_eval=4).numpy().astype(np.float64))

grid6 = torch.tensor((ys // 6) * 2 + xs // 6).reshape(1, 1, 12, 12)
save("shapley_all_grid6_b0", ShapleyValues(net).attribute(x, baselines=0.0, target=targets, feature_mask=grid6,
                                                          perturbations_per_eval=4).numpy().astype(np.float64))

# SLIC on a photograph and on its luminance, at a small size (resize is deterministic).
photo = resize(data.chelsea(), (48, 72), anti_aliasing=True).astype(np.float64)  # [H, W, 3] in [0, 1]
save("slic_photo", photo.transpose(2, 0, 1))
for k in (12, 40):
    save("slic_photo_k%d" % k, (slic(photo, n_segments=k, start_label=1) - 1).astype(np.float64))
save("slic_photo_k25_c30_i5", (slic(photo, n_segments=25, compactness=30.0, max_num_iter=5, start_label=1) - 1)
     .astype(np.float64))
gray = photo.mean(axis=2, keepdims=True)
save("slic_gray", gray.transpose(2, 0, 1))
save("slic_gray_k20_c0.1", (slic(gray, n_segments=20, compactness=0.1, channel_axis=-1, start_label=1) - 1)
     .astype(np.float64))
print("wrote", sorted(os.listdir(OUT)))
