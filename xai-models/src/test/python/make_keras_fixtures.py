#!/usr/bin/env python3
"""Generate the Keras 2 HDF5 test fixtures for the xai4j VGG adapters.

Regenerate (Debian/Ubuntu; needs only h5py and numpy, no TensorFlow/Keras):

    apt-get install -y python3-h5py python3-numpy
    /usr/bin/python3 xai-models/src/test/python/make_keras_fixtures.py

Output goes to ``xai-models/src/test/resources/fixtures/keras/`` (or the
directory given as the first argument).  Everything is derived from a fixed
seed (``SEED``); running the script twice gives byte-identical files (checked
with h5py 3.7 / HDF5 1.10.8 / numpy 1.24; other library versions may change
the HDF5 bytes, not the contents).

What the .h5 files are
======================
The real networks (keras.applications VGG16 and keras-vggface VGG16) cannot be
downloaded here, so this script writes *tiny* networks with the *same layer
names* directly with h5py, reproducing the layout that tf.keras 2.4/2.5
(``keras_version`` "2.4.0", ``backend`` "tensorflow") writes for
``model.save('x.h5')`` (``tensorflow/python/keras/saving/hdf5_format.py``):

* root attributes, in this order:
  ``keras_version`` (variable-length UTF-8 str), ``backend`` (variable-length
  UTF-8 str), ``model_config`` (fixed-length bytes, JSON from
  ``json.dumps({'class_name': ..., 'config': model.get_config()})``) and, only
  for a compiled model, ``training_config`` (fixed-length bytes, JSON).
* group ``model_weights`` with attributes ``layer_names`` (array of
  fixed-length byte strings, the names of ``model.layers`` in model order;
  a Functional model lists its InputLayer, a Sequential model does not),
  ``backend`` and ``keras_version`` (fixed-length bytes).
* one sub-group per layer, created in *sorted* name order, each with an
  attribute ``weight_names`` (fixed-length byte strings, e.g.
  ``[b'block1_conv1/kernel:0', b'block1_conv1/bias:0']``; an empty float64
  array of shape (0,) for layers without weights, as ``np.asarray([])`` gives)
  and one float32 dataset per weight, named by the weight name, so the path is
  ``model_weights/block1_conv1/block1_conv1/kernel:0``.
  Conv2D kernels are (kh, kw, cin, cout), biases (cout,), Dense kernels
  (in, out).  Layer names containing '/' (keras-vggface's ``fc6/relu``)
  become nested groups (``model_weights/fc6/relu``), exactly as h5py does for
  Keras.
* no ``optimizer_weights`` group (the compiled model was never trained).

``mini_vgg16_weights_only.h5`` instead follows ``model.save_weights('x.h5')``
(the layout of the files keras.applications and keras-vggface actually
download): ``layer_names``/``backend``/``keras_version`` on the root and the
per-layer groups directly under the root, no ``model_config``.  Its
architecture is in ``mini_vgg16_functional.json`` (``model.to_json()``).

Files
=====
mini_vgg16_functional.h5
    keras.applications-style Functional VGG16 ("class_name": "Functional",
    name "vgg16"): input_1, block1_conv1, block1_conv2, block1_pool, ...,
    block5_conv3, block5_pool, flatten, fc1, fc2, predictions.  3x3 'same'
    ReLU convolutions, 2x2/2 max pools, Dense fc1/fc2 ReLU, predictions
    softmax.  Input 64x34x3 (H x W x C), channel widths 4, 8, 8, 8, 8, dense
    32, 32, 5 classes.  Not compiled (no training_config), like
    ``VGG16(weights=...)``.
    The input is 64 high and 34 wide, not 32x32: with 32x32 the five pools
    leave 1x1 before ``flatten``, and the channels_last flatten order would go
    untested.  Here block5_pool is 2x1x8, the width goes 34->17->8 (floor),
    and H != W catches height/width swaps.
    Size: the Keras layout costs ~71 KB of HDF5 structure on its own (one
    group per layer plus one per weighted layer, 'earliest' file format, an
    ~11 KB model_config), whatever the widths; the weights add ~32 KB.  Blocks
    4 and 5 are therefore 8 wide, not 16, to stay near 100 KB per file.
mini_vgg16_functional.json
    ``model.to_json()`` of the same model (for the weights-only file).
mini_vgg16_weights_only.h5
    The same weights in ``save_weights`` layout (no model_config).
mini_vggface_sequential.h5
    Sequential model with keras-vggface VGG16 names (name "vggface_vgg16"):
    conv1_1, conv1_2, pool1, ..., conv5_3, pool5, flatten, fc6, fc6/relu,
    fc7, fc7/relu, fc8, fc8/softmax (Dense layers linear, separate Activation
    layers, as in keras-vggface).  The config starts with the InputLayer
    ``conv1_1_input`` that tf.keras adds.  Same sizes, 7 classes.  Compiled
    (has a training_config: SGD, categorical_crossentropy, accuracy).
mini_vggface_functional.h5
    The same network and weights as mini_vggface_sequential.h5 in the form
    keras-vggface really builds (``Model(img_input, x, name='vggface_vgg16')``:
    Functional, InputLayer ``input_1`` saved in model_weights).  Not compiled.
    Shares the mini_vggface_*.npy references.
    (DL4J M2.1 imports this one directly but not the Sequential one: with '/'
    in layer names it looks up a model_weights group for the Sequential's
    unsaved InputLayer; see the README.)
mini_vgg16_wrong_architecture.h5
    Valid Keras file, VGG16 names, but block5_conv3 is missing (block 5 has
    only two convolutions) and block 4 is 12 wide instead of 8.
mini_vgg16_missing_weight.h5
    mini_vgg16_functional.h5 with the dataset
    ``model_weights/block4_conv2/block4_conv2/kernel:0`` not written
    (``weight_names`` still lists it, as in a damaged file).
mini_vgg16_truncated.h5
    The first TRUNCATED_BYTES (16384) bytes of mini_vgg16_functional.h5
    (~104 KB), so the HDF5 superblock is intact but the stored end-of-file
    address lies beyond the end.

Arrays (.npy, float32, C order, NHWC for images):
input_rgb_0_255.npy          (3, 64, 34, 3) raw RGB images, integer-valued in
                             [0, 255] (synthetic: gradients, blobs, noise).
mini_vgg16_input.npy         what was fed to mini_vgg16_*: the raw images after
                             Keras ``imagenet_utils.preprocess_input`` 'caffe'
                             mode: RGB->BGR, minus BGR mean
                             (103.939, 116.779, 123.68), in float32.
mini_vggface_input.npy       what was fed to mini_vggface_*:
                             keras_vggface ``utils.preprocess_input(version=1)``:
                             RGB->BGR, minus BGR mean
                             (93.5940, 104.7624, 129.1863), in float32.
mini_vgg16_logits.npy        (3, 5) 'predictions' before its softmax.
mini_vgg16_softmax.npy       (3, 5) model output.
mini_vgg16_block5_conv3.npy  (3, 4, 2, 8)  block5_conv3 output (after ReLU).
mini_vggface_logits.npy      (3, 7) fc8 output (fc8 is linear).
mini_vggface_softmax.npy     (3, 7) fc8/softmax output = model output.
mini_vggface_conv5_3.npy     (3, 4, 2, 8)  conv5_3 output (after ReLU).
(the mini_vggface_* arrays hold for both vggface files)

How the expected values were produced
=====================================
Not with Keras.  ``forward()`` below is an independent numpy implementation of
the Keras/TensorFlow semantics, evaluated in float64 from the float32 weights
and float32 inputs stored in the files, then rounded to float32:
* Conv2D: cross-correlation (no kernel flip, as tf.nn.conv2d), stride 1,
  'same' padding (for 3x3: one zero row/column on each side), NHWC input,
  HWIO kernel, plus bias, then ReLU.
* MaxPooling2D 2x2 stride 2 'valid': odd sizes are floored (last row/col
  dropped).
* Flatten of NHWC in C order (channels_last: index = (h*W + w)*C + c).
* Dense: x @ kernel + bias; softmax = exp(z - max z) / sum.
The convolution is checked against a naive loop implementation at start-up
(``_self_test``).

Weights: standard normal draws, rescaled layer by layer so that each layer's
pre-activation on the three fixture images has unit standard deviation
(logits: 2.5), biases N(0, 0.3^2) in those units (logits: N(0, 0.5^2)).  This
keeps activations O(1) through 13 ReLU convolutions and keeps the softmax away
from one-hot, so the reference values are informative.  The only max-pool
ties are windows of ReLU zeros, which do not change forward values.
"""

import json
import os
import sys

import h5py
import numpy as np

SEED = 20240917
KERAS_VERSION = "2.4.0"  # tf.keras in TensorFlow 2.4/2.5
BACKEND = "tensorflow"

INPUT_HWC = (64, 34, 3)
N_IMAGES = 3
VGG16_BLOCKS = [(2, 4), (2, 8), (3, 8), (3, 8), (3, 8)]  # (convs, width)
WRONG_BLOCKS = [(2, 4), (2, 8), (3, 8), (3, 12), (2, 8)]
DENSE = (32, 32)
VGG16_CLASSES = 5
VGGFACE_CLASSES = 7
MISSING_WEIGHT = ("block4_conv2", "block4_conv2/kernel:0")
TRUNCATED_BYTES = 16384

IMAGENET_CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
VGGFACE1_MEAN_BGR = (93.5940, 104.7624, 129.1863)


# ----------------------------------------------------------------------------
# Architectures as lists of layer specs
# ----------------------------------------------------------------------------

def vgg16_specs(blocks, dense, classes):
    """keras.applications.VGG16 names; returns specs excluding the input."""
    specs = []
    for b, (n, width) in enumerate(blocks, start=1):
        for i in range(1, n + 1):
            specs.append(dict(kind="conv", name="block%d_conv%d" % (b, i),
                              filters=width, activation="relu"))
        specs.append(dict(kind="pool", name="block%d_pool" % b))
    specs.append(dict(kind="flatten", name="flatten"))
    specs.append(dict(kind="dense", name="fc1", units=dense[0], activation="relu"))
    specs.append(dict(kind="dense", name="fc2", units=dense[1], activation="relu"))
    specs.append(dict(kind="dense", name="predictions", units=classes,
                      activation="softmax"))
    return specs


def vggface_specs(blocks, dense, classes):
    """keras-vggface VGG16 names (conv1_1 ... fc8/softmax)."""
    specs = []
    for b, (n, width) in enumerate(blocks, start=1):
        for i in range(1, n + 1):
            specs.append(dict(kind="conv", name="conv%d_%d" % (b, i),
                              filters=width, activation="relu"))
        specs.append(dict(kind="pool", name="pool%d" % b))
    specs.append(dict(kind="flatten", name="flatten"))
    specs.append(dict(kind="dense", name="fc6", units=dense[0], activation="linear"))
    specs.append(dict(kind="activation", name="fc6/relu", activation="relu"))
    specs.append(dict(kind="dense", name="fc7", units=dense[1], activation="linear"))
    specs.append(dict(kind="activation", name="fc7/relu", activation="relu"))
    specs.append(dict(kind="dense", name="fc8", units=classes, activation="linear"))
    specs.append(dict(kind="activation", name="fc8/softmax", activation="softmax"))
    return specs


# ----------------------------------------------------------------------------
# Independent numpy forward pass (float64)
# ----------------------------------------------------------------------------

def conv2d_same(x, kernel, bias):
    """NHWC cross-correlation, stride 1, 'same' padding, HWIO kernel."""
    kh, kw, cin, cout = kernel.shape
    assert x.shape[3] == cin
    pt, pl = (kh - 1) // 2, (kw - 1) // 2          # TF: extra padding goes bottom/right
    pb, pr = kh - 1 - pt, kw - 1 - pl
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h, w, cout), dtype=np.float64)
    for a in range(kh):
        for b in range(kw):
            out += np.tensordot(xp[:, a:a + h, b:b + w, :], kernel[a, b], axes=([3], [0]))
    return out + bias


def maxpool2x2(x):
    n, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    x = x[:, :2 * h2, :2 * w2, :]
    return x.reshape(n, h2, 2, w2, 2, c).max(axis=(2, 4))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def activate(z, name):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        return softmax(z)
    if name == "linear":
        return z
    raise ValueError(name)


def forward(specs, weights, x, pre_init=None):
    """Returns {layer name: output} plus {'<name>:pre': pre-activation} for
    weighted layers.  If pre_init is given it is called as
    pre_init(spec, x_in) -> (kernel, bias) before each weighted layer
    (used for the data-dependent initialisation)."""
    acts = {}
    x = np.asarray(x, dtype=np.float64)
    for s in specs:
        k = s["kind"]
        if k in ("conv", "dense"):
            if pre_init is not None:
                weights[s["name"]] = pre_init(s, x)
            kern, bias = (np.asarray(a, dtype=np.float64) for a in weights[s["name"]])
            z = conv2d_same(x, kern, bias) if k == "conv" else x @ kern + bias
            acts[s["name"] + ":pre"] = z
            x = activate(z, s["activation"])
        elif k == "pool":
            x = maxpool2x2(x)
        elif k == "flatten":
            x = x.reshape(x.shape[0], -1)  # C order over (H, W, C): channels_last
        elif k == "activation":
            x = activate(x, s["activation"])
        else:
            raise ValueError(k)
        acts[s["name"]] = x
    return acts


def _self_test():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 4, 3))
    kern = rng.standard_normal((3, 3, 3, 2))
    bias = rng.standard_normal(2)
    fast = conv2d_same(x, kern, bias)
    slow = np.zeros_like(fast)
    for n in range(2):
        for i in range(5):
            for j in range(4):
                for o in range(2):
                    acc = bias[o]
                    for a in range(3):
                        for b in range(3):
                            ii, jj = i + a - 1, j + b - 1
                            if 0 <= ii < 5 and 0 <= jj < 4:
                                acc += np.dot(x[n, ii, jj, :], kern[a, b, :, o])
                    slow[n, i, j, o] = acc
    assert np.allclose(fast, slow, atol=1e-12), "conv2d_same self-test failed"
    p = maxpool2x2(np.arange(2 * 5 * 3 * 1, dtype=float).reshape(2, 5, 3, 1))
    assert p.shape == (2, 2, 1, 1) and p[0, 0, 0, 0] == 4 and p[0, 1, 0, 0] == 10
    f = np.arange(12).reshape(1, 2, 2, 3).reshape(1, -1)
    assert list(f[0, :4]) == [0, 1, 2, 3]  # (h=0,w=0,c=0..2), then (h=0,w=1,c=0)


# ----------------------------------------------------------------------------
# Inputs and weights
# ----------------------------------------------------------------------------

def make_images(rng, hwc=INPUT_HWC, count=N_IMAGES):
    """Synthetic RGB images, integer-valued in [0, 255], float32 (count, h, w, 3)."""
    h, w, _ = hwc
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    imgs = []
    for _ in range(count):
        img = np.zeros((h, w, 3))
        for c in range(3):
            gy, gx = rng.uniform(-2, 2, size=2)
            img[..., c] = 128 + 40 * (gy * (yy / h - 0.5) + gx * (xx / w - 0.5))
        for _ in range(4):  # coloured blobs
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
            r = rng.uniform(3, 12)
            blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))
            img += blob[..., None] * rng.uniform(-120, 120, size=3)
        img += rng.normal(0, 12, size=img.shape)
        imgs.append(np.clip(np.round(img), 0, 255))
    return np.stack(imgs).astype(np.float32)


def preprocess_bgr_mean(raw_rgb, mean_bgr):
    x = raw_rgb[..., ::-1].astype(np.float32)
    return (x - np.asarray(mean_bgr, dtype=np.float32)).astype(np.float32)


def init_weights(specs, x, rng, in_channels=3):
    """Data-dependent init (see module docstring). Returns float32 weights."""
    weights = {}
    last_dense = [s["name"] for s in specs if s["kind"] == "dense"][-1]

    def pre_init(s, x_in):
        if s["kind"] == "conv":
            kern = rng.standard_normal((3, 3, x_in.shape[3], s["filters"]))
            z = conv2d_same(x_in, kern, 0.0)
        else:
            kern = rng.standard_normal((x_in.shape[1], s["units"]))
            z = x_in @ kern
        out_std, bias_std = (2.5, 0.5) if s["name"] == last_dense else (1.0, 0.3)
        kern *= out_std / z.std()
        bias = rng.normal(0.0, bias_std, size=kern.shape[-1])
        return kern.astype(np.float32), bias.astype(np.float32)

    forward(specs, weights, x, pre_init=pre_init)
    return weights


# ----------------------------------------------------------------------------
# Keras 2.4 (tf.keras) configs
# ----------------------------------------------------------------------------

def _glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


def _zeros():
    return {"class_name": "Zeros", "config": {}}


def _base(name, batch_input_shape=None):
    cfg = {"name": name, "trainable": True}
    if batch_input_shape is not None:
        cfg["batch_input_shape"] = batch_input_shape
    cfg["dtype"] = "float32"
    return cfg


def layer_config(s, batch_input_shape=None):
    cfg = _base(s["name"], batch_input_shape)
    k = s["kind"]
    if k == "conv":
        cfg.update({
            "filters": s["filters"], "kernel_size": [3, 3], "strides": [1, 1],
            "padding": "same", "data_format": "channels_last",
            "dilation_rate": [1, 1], "groups": 1, "activation": s["activation"],
            "use_bias": True, "kernel_initializer": _glorot(),
            "bias_initializer": _zeros(), "kernel_regularizer": None,
            "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None})
        return {"class_name": "Conv2D", "config": cfg}
    if k == "pool":
        cfg.update({"pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                    "data_format": "channels_last"})
        return {"class_name": "MaxPooling2D", "config": cfg}
    if k == "flatten":
        cfg.update({"data_format": "channels_last"})
        return {"class_name": "Flatten", "config": cfg}
    if k == "dense":
        cfg.update({
            "units": s["units"], "activation": s["activation"], "use_bias": True,
            "kernel_initializer": _glorot(), "bias_initializer": _zeros(),
            "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None})
        return {"class_name": "Dense", "config": cfg}
    if k == "activation":
        cfg.update({"activation": s["activation"]})
        return {"class_name": "Activation", "config": cfg}
    raise ValueError(k)


def input_layer_config(name):
    return {"class_name": "InputLayer", "config": {
        "batch_input_shape": [None] + list(INPUT_HWC), "dtype": "float32",
        "sparse": False, "ragged": False, "name": name}}


def functional_config(model_name, specs, input_name="input_1"):
    layers = []
    entry = input_layer_config(input_name)
    entry["name"] = input_name
    entry["inbound_nodes"] = []
    layers.append(entry)
    prev = input_name
    for s in specs:
        entry = layer_config(s)
        entry["name"] = s["name"]
        entry["inbound_nodes"] = [[[prev, 0, 0, {}]]]
        layers.append(entry)
        prev = s["name"]
    return {"class_name": "Functional", "config": {
        "name": model_name, "layers": layers,
        "input_layers": [[input_name, 0, 0]],
        "output_layers": [[prev, 0, 0]]}}


def sequential_config(model_name, specs):
    input_name = specs[0]["name"] + "_input"
    layers = [input_layer_config(input_name)]
    for i, s in enumerate(specs):
        bis = [None] + list(INPUT_HWC) if i == 0 else None
        layers.append(layer_config(s, batch_input_shape=bis))
    return {"class_name": "Sequential", "config": {"name": model_name, "layers": layers}}


TRAINING_CONFIG = {
    "loss": "categorical_crossentropy", "metrics": ["accuracy"],
    "weighted_metrics": None, "loss_weights": None,
    "optimizer_config": {"class_name": "SGD", "config": {
        "name": "SGD", "learning_rate": 0.01, "decay": 0.0, "momentum": 0.0,
        "nesterov": False}}}


# ----------------------------------------------------------------------------
# HDF5 writers (mirror hdf5_format.save_model_to_hdf5 / save_weights_to_hdf5_group)
# ----------------------------------------------------------------------------

def _weight_names(spec):
    if spec["kind"] in ("conv", "dense"):
        return [spec["name"] + "/kernel:0", spec["name"] + "/bias:0"]
    return []


def save_weights_to_hdf5_group(f, layer_specs, weights, skip=()):
    f.attrs["layer_names"] = [s["name"].encode("utf8") for s in layer_specs]
    f.attrs["backend"] = BACKEND.encode("utf8")
    f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for s in sorted(layer_specs, key=lambda s: s["name"]):
        g = f.create_group(s["name"])
        names = _weight_names(s)
        g.attrs["weight_names"] = [n.encode("utf8") for n in names]
        if names:
            values = weights[s["name"]]
            for n, val in zip(names, values):
                if (s["name"], n) in skip:
                    continue
                d = g.create_dataset(n, val.shape, dtype=val.dtype)
                d[:] = val


def save_model_to_hdf5(path, model_config, layer_specs, weights,
                       training_config=None, skip=()):
    with h5py.File(path, mode="w") as f:
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["backend"] = BACKEND
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        g = f.create_group("model_weights")
        save_weights_to_hdf5_group(g, layer_specs, weights, skip=skip)
        f.flush()


def save_weights_only(path, layer_specs, weights):
    with h5py.File(path, mode="w") as f:
        save_weights_to_hdf5_group(f, layer_specs, weights)


# ----------------------------------------------------------------------------

def main(out_dir):
    _self_test()
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    p = lambda name: os.path.join(out_dir, name)

    raw = make_images(rng)
    x16 = preprocess_bgr_mean(raw, IMAGENET_CAFFE_MEAN_BGR)
    xface = preprocess_bgr_mean(raw, VGGFACE1_MEAN_BGR)
    np.save(p("input_rgb_0_255.npy"), raw)
    np.save(p("mini_vgg16_input.npy"), x16)
    np.save(p("mini_vggface_input.npy"), xface)

    # (a) Functional VGG16 + weights-only variant + JSON
    specs = vgg16_specs(VGG16_BLOCKS, DENSE, VGG16_CLASSES)
    w = init_weights(specs, x16, rng)
    cfg = functional_config("vgg16", specs)
    input_spec = dict(kind="input", name="input_1")
    save_model_to_hdf5(p("mini_vgg16_functional.h5"), cfg, [input_spec] + specs, w)
    save_weights_only(p("mini_vgg16_weights_only.h5"), [input_spec] + specs, w)
    to_json = dict(cfg, keras_version=KERAS_VERSION, backend=BACKEND)
    with open(p("mini_vgg16_functional.json"), "w") as fh:
        fh.write(json.dumps(to_json))
    acts = forward(specs, w, x16)
    np.save(p("mini_vgg16_logits.npy"), acts["predictions:pre"].astype(np.float32))
    np.save(p("mini_vgg16_softmax.npy"), acts["predictions"].astype(np.float32))
    np.save(p("mini_vgg16_block5_conv3.npy"), acts["block5_conv3"].astype(np.float32))

    # (c) bad inputs derived from (a)
    save_model_to_hdf5(p("mini_vgg16_missing_weight.h5"), cfg, [input_spec] + specs, w,
                       skip={MISSING_WEIGHT})
    with open(p("mini_vgg16_functional.h5"), "rb") as fh:
        data = fh.read()
    assert len(data) > TRUNCATED_BYTES
    with open(p("mini_vgg16_truncated.h5"), "wb") as fh:
        fh.write(data[:TRUNCATED_BYTES])
    wspecs = vgg16_specs(WRONG_BLOCKS, DENSE, VGG16_CLASSES)
    ww = init_weights(wspecs, x16, np.random.default_rng(SEED + 1))
    save_model_to_hdf5(p("mini_vgg16_wrong_architecture.h5"),
                       functional_config("vgg16", wspecs), [input_spec] + wspecs, ww)

    # (b) Sequential keras-vggface naming
    fspecs = vggface_specs(VGG16_BLOCKS, DENSE, VGGFACE_CLASSES)
    fw = init_weights(fspecs, xface, rng)
    save_model_to_hdf5(p("mini_vggface_sequential.h5"),
                       sequential_config("vggface_vgg16", fspecs), fspecs, fw,
                       training_config=TRAINING_CONFIG)
    # keras-vggface's own form (Functional, InputLayer input_1), same weights
    save_model_to_hdf5(p("mini_vggface_functional.h5"),
                       functional_config("vggface_vgg16", fspecs),
                       [input_spec] + fspecs, fw)
    facts = forward(fspecs, fw, xface)
    np.save(p("mini_vggface_logits.npy"), facts["fc8"].astype(np.float32))
    np.save(p("mini_vggface_softmax.npy"), facts["fc8/softmax"].astype(np.float32))
    np.save(p("mini_vggface_conv5_3.npy"), facts["conv5_3"].astype(np.float32))

    print_sizes(out_dir, "mini_vgg", "input_rgb")
    print("vgg16 softmax:\n", acts["predictions"].round(4))
    print("vggface softmax:\n", facts["fc8/softmax"].round(4))


def print_sizes(out_dir, *prefixes):
    for name in sorted(os.listdir(out_dir)):
        if name.startswith(prefixes):
            print("%-40s %7d bytes" % (name, os.path.getsize(os.path.join(out_dir, name))))


def output_dir(argv):
    """The first command-line argument, else src/test/resources/fixtures/keras."""
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, "..", "resources", "fixtures", "keras"))
    return argv[1] if len(argv) > 1 else default


if __name__ == "__main__":
    main(output_dir(sys.argv))
