"""Writes the reference fixtures of the perturbation methods and of SLIC (xai-core tests read them; no Python needed).

Run from the repository root, with Debian's python3-torch and python3-skimage and Captum 0.8.0's source:

    PYTHONPATH=$CAPTUM_SRC /usr/bin/python3 xai-core/src/test/python/make_perturbation_references.py

It builds a tiny seeded PyTorch CNN (conv 3->4 same-padded, ReLU, 2x2 max pool, conv 4->6, ReLU, flatten, linear 96->5),
saves its weights and a seeded input batch, and runs Captum's deterministic perturbation methods on it:
Occlusion (two window/stride/baseline settings), FeatureAblation (a 4-pixel grid, and SLIC superpixels from
scikit-image), and ShapleyValues (every permutation of 4 features, so deterministic). For the sampling methods KernelShap and Lime it replays the coalitions that xai4j draws from java.util.Random (a port
of that generator and of xai4j's samplers is below), so that Captum's kernels, weights and scikit-learn regressions
(Debian python3-sklearn) run on exactly the samples the Java code uses. It also saves scikit-image SLIC
labels of a downscaled photograph (scikit-image's own "chelsea") and of a grayscale version, for SlicTest.
Everything goes to xai-core/src/test/resources/org/xai4j/perturbation/ as float64 .npy files (labels too: xai4j.io.Npy reads floats).

($CAPTUM_SRC: a checkout of pytorch/captum v0.8.0; $GRAD_CAM_SRC: of jacobgil/pytorch-grad-cam at 084273b.)
"""
import os

import numpy as np
import torch
from captum._utils.models.linear_model import SkLearnLasso
from captum.attr import FeatureAblation, KernelShap, Lime, Occlusion, ShapleyValues, ShapleyValueSampling
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



class JavaRandom:
    """java.util.Random (a 48-bit linear congruential generator), bit for bit: the draws xai4j's samplers make."""

    def __init__(self, seed):
        self.state = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next(self, bits):
        self.state = (self.state * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        value = self.state >> (48 - bits)
        return value - (1 << 32) if value >= (1 << 31) else value  # Java's (int) cast

    def next_int(self, bound):
        r = self.next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            total = (u - r + m + (1 << 31)) % (1 << 32) - (1 << 31)  # 32-bit overflow, as Java's int arithmetic
            if total >= 0:
                return r
            u = self.next(31)

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * (1.0 / (1 << 53))

    def next_boolean(self):
        return self.next(1) != 0


def kernel_shap_coalitions(m, samples, seed):
    """xai4j KernelShap's samples: full, empty, then a size k with P(k) ~ (m-1)/(k(m-k)) and k features."""
    random = JavaRandom(seed)
    weights = [(m - 1) / (k * (m - k)) for k in range(1, m)]
    cdf = np.cumsum(weights) / np.sum(weights)
    for s in range(samples):
        if s == 0:
            yield np.ones(m, dtype=np.int64)
        elif s == 1:
            yield np.zeros(m, dtype=np.int64)
        else:
            u = random.next_double()
            k = next((i + 1 for i, c in enumerate(cdf) if u < c), m - 1)
            order = list(range(m))
            for f in range(k):
                swap = f + random.next_int(m - f)
                order[f], order[swap] = order[swap], order[f]
            z = np.zeros(m, dtype=np.int64)
            z[order[:k]] = 1
            yield z


def lime_coalitions(m, samples, seed):
    """xai4j Lime's samples: every feature present with probability 1/2 (nextBoolean), sample by sample."""
    random = JavaRandom(seed)
    return [np.array([1 if random.next_boolean() else 0 for _ in range(m)], dtype=np.int64) for _ in range(samples)]


class ReplayedKernelShap(KernelShap):
    """Captum's KernelShap with xai4j's coalitions instead of torch's draws; everything else is Captum's."""

    def __init__(self, forward_func, seed):
        self.seed = seed
        super().__init__(forward_func)

    def kernel_shap_perturb_generator(self, original_inp, **kwargs):
        m = kwargs["num_interp_features"]
        for z in kernel_shap_coalitions(m, 10 ** 6, self.seed):
            yield torch.tensor(z).reshape(1, m)


def replayed_lime_samples(seed, samples):
    def perturb(original_inp, **kwargs):
        for z in lime_coalitions(kwargs["num_interp_features"], samples, seed):
            yield torch.tensor(z).reshape(1, -1)
    return perturb


def java_permutations(seed):
    """xai4j ShapleyValueSampling's orders: Fisher-Yates shuffles of 0..m-1 from java.util.Random."""
    def generator(m, samples):
        random = JavaRandom(seed)
        for _ in range(samples):
            order = list(range(m))
            for k in range(m - 1, 0, -1):
                swap = random.next_int(k + 1)
                order[k], order[swap] = order[swap], order[k]
            yield order
    return generator


grid4_mask = grid4
sampling = ShapleyValueSampling(net)
sampling.permutation_generator = java_permutations(7)
# Captum draws one sequence of orders for the whole batch; xai4j restarts the seed per example: explain each example
# alone so that both use the same orders.
save("shapleysampling_grid4_b025_n5_seed7", torch.cat([
    sampling.attribute(x[i:i + 1], baselines=0.25, target=targets[i], feature_mask=grid4_mask, n_samples=5,
                       perturbations_per_eval=4) for i in range(2)]).numpy().astype(np.float64))
for samples in (30, 6):  # overdetermined (9 features) and underdetermined (the minimum-norm solution)
    save("kernelshap_grid4_b025_n%d_seed7" % samples,
         ReplayedKernelShap(net, seed=7).attribute(x, baselines=0.25, target=targets, feature_mask=grid4_mask,
                                                   n_samples=samples, perturbations_per_eval=8)
         .numpy().astype(np.float64))
# Captum's default kernel (cosine, width 1) and surrogate Lasso(alpha=0.01): this net's effects (~0.01) are all below
# the default penalty, so that reference is all zeros; alpha=0.001 keeps some coefficients and zeroes others.
lime = Lime(net, perturb_func=replayed_lime_samples(7, 40))
save("lime_grid4_b025_n40_seed7", lime.attribute(x, baselines=0.25, target=targets, feature_mask=grid4_mask,
                                                  n_samples=40, perturbations_per_eval=8).numpy().astype(np.float64))
lime = Lime(net, interpretable_model=SkLearnLasso(alpha=0.001), perturb_func=replayed_lime_samples(7, 40))
save("lime_grid4_b025_n40_seed7_alpha0.001",
     lime.attribute(x, baselines=0.25, target=targets, feature_mask=grid4_mask, n_samples=40,
                    perturbations_per_eval=8).numpy().astype(np.float64))

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
