#!/usr/bin/env python3
"""Generate Keras 2 HDF5 fixtures for *graph* networks (ResNet- and MobileNet-style).

Regenerate (Debian/Ubuntu; needs only h5py and numpy, no TensorFlow/Keras):

    apt-get install -y python3-h5py python3-numpy
    /usr/bin/python3 xai-models/src/test/python/make_keras_graph_fixtures.py

Output goes to ``xai-models/src/test/resources/fixtures/keras/`` (or the
directory given as the first argument).  Everything is derived from a fixed
seed (``SEED``); running the script twice gives byte-identical files (h5py 3.7,
HDF5 1.10.8, numpy 1.24).

File layout
===========
The same ``model.save('x.h5')`` layout of tf.keras 2.4/2.5 as the VGG fixtures
(see ``make_keras_fixtures.py``, whose HDF5 conventions this script shares):
root attributes ``keras_version``/``backend``/``model_config``, group
``model_weights`` with ``layer_names`` and one group per layer (sorted),
``weight_names`` and float32 datasets ``model_weights/<layer>/<layer>/<w>:0``.
The models are not compiled (no ``training_config``), like
``keras.applications`` models built with ``weights=...``.

The config's "layers" and ``layer_names`` follow tf.keras ``model.layers``
order, which for a graph is not the creation order (``GraphBuilder.keras_order``:
e.g. conv2_block1_1_conv ... conv2_block1_2_relu, conv2_block1_0_conv,
conv2_block1_3_conv, conv2_block1_0_bn, conv2_block1_3_bn, conv2_block1_add,
as in the real ResNet50).

The ``model_config`` is ``{"class_name": "Functional", "config": {...}}`` with
every layer's config as tf.keras 2.4 ``get_config()`` writes it, and Keras 2
``inbound_nodes`` (``[[[name, node_index, tensor_index, {}], ...]]``; an Add
lists both inputs in its one node).  Layer configs, in tf.keras 2.4 key order:

* Conv2D: filters, kernel_size, strides, padding, data_format, dilation_rate,
  groups, activation, use_bias, initializers/regularizers/constraints.
* DepthwiseConv2D: the Conv2D config without filters and kernel_* entries,
  then depth_multiplier and depthwise_initializer/_regularizer/_constraint.
  Weight ``depthwise_kernel:0`` of shape (kh, kw, cin, depth_multiplier);
  output channel ``c * depth_multiplier + m`` (tf.nn.depthwise_conv2d).
* BatchNormalization: axis ``[3]`` (a built layer stores a list of positive
  axes), momentum, epsilon, center, scale, four initializers, regularizers,
  constraints.  Weights gamma, beta, moving_mean, moving_variance (the order
  of ``layer.weights``: trainable first).
* ReLU: max_value 6.0, negative_slope 0.0, threshold 0.0 (floats, as
  ``K.cast_to_floatx`` stores them).
* ZeroPadding2D: padding ``[[top, bottom], [left, right]]``, data_format.
* MaxPooling2D: pool_size, padding, strides, data_format.
* GlobalAveragePooling2D: data_format (tf.keras 2.4 has no keepdims).
* Add, Activation, Dense, InputLayer: as tf.keras 2.4.

Files
=====
mini_resnet_functional.h5
    keras.applications ResNet50 structure and names, shrunk ("resnet50"):
    input_1 (36x32x3) -> conv1_pad ZeroPadding2D((3,3),(3,3)) -> conv1_conv
    Conv2D(8, 7x7, stride 2, 'valid', with bias) -> conv1_bn -> conv1_relu
    Activation('relu') -> pool1_pad ZeroPadding2D((1,1),(1,1)) -> pool1_pool
    MaxPooling2D(3x3, stride 2, 'valid')
    -> conv2_block1: projection block, stride 1 (ResNet50's first block):
       shortcut conv2_block1_0_conv 1x1 + _0_bn; main path _1_conv 1x1,
       _1_bn, _1_relu, _2_conv 3x3 'same', _2_bn, _2_relu, _3_conv 1x1,
       _3_bn; conv2_block1_add Add([shortcut, main]); conv2_block1_out relu.
       Widths 4, 4, 16.
    -> conv2_block2: identity block (shortcut is the block input), same names
       without _0_*; its three convolutions have **no bias** (use_bias=False,
       as ResNetV2 blocks; keras.applications ResNet50 itself uses biases).
    -> conv3_block1: projection block with stride 2 on conv3_block1_0_conv
       (1x1 stride 2 shortcut) and conv3_block1_1_conv (1x1 stride 2), as
       ResNet50 v1; widths 8, 8, 32.
    -> avg_pool GlobalAveragePooling2D -> predictions Dense(5, softmax).
    All BatchNormalization layers: epsilon 1.001e-5, momentum 0.99, axis [3].
    Spatial sizes: 36x32 -> conv1 18x16 -> pool 9x8 -> conv2 9x8 -> conv3 5x4
    (odd sizes: 'valid' stride-2 windows floor, 1x1 stride-2 convs keep the
    last row).  H != W catches height/width swaps.
mini_mobilenet_functional.h5
    keras.applications MobileNetV2 structure and names, shrunk
    ("mobilenetv2_1.00_32"):
    input_1 (32x28x3) -> Conv1 Conv2D(16, 3x3, stride 2, 'same', no bias)
    -> bn_Conv1 -> Conv1_relu ReLU(6.)
    -> expanded_conv_: depthwise DepthwiseConv2D(3x3, stride 1, 'same'),
       _depthwise_BN, _depthwise_relu ReLU(6.), _project Conv2D(8, 1x1),
       _project_BN (no Add: 16 -> 8 channels, as MobileNetV2's 32 -> 16)
    -> block_1_: expand Conv2D(16, 1x1), expand_BN, expand_relu, block_1_pad
       ZeroPadding2D(((0,1),(0,1))) (imagenet_utils.correct_pad for even
       sizes, also MobileNet v1's stride-2 padding), depthwise
       DepthwiseConv2D(3x3, stride 2, 'valid'), depthwise_BN, depthwise_relu,
       project Conv2D(16, 1x1), project_BN
    -> block_2_: expand Conv2D(32, 1x1), _BN, _relu, depthwise
       DepthwiseConv2D(3x3, stride 1, 'same', **depth_multiplier 2, with
       bias**: keras.applications uses neither; they cover those import paths),
       _BN (64 channels), _relu, project Conv2D(16, 1x1), project_BN,
       block_2_add Add([block_1_project_BN, block_2_project_BN]) (inverted
       residual)
    -> Conv_1 Conv2D(32, 1x1), Conv_1_bn, out_relu ReLU(6.)
    -> global_average_pooling2d GlobalAveragePooling2D -> predictions
       Dense(6, softmax).
    All convolutions except block_2_depthwise have no bias (as MobileNetV2);
    BatchNormalization: epsilon 1e-3, momentum 0.999, axis [3].
    Spatial sizes: 32x28 -> Conv1 ('same', stride 2: TF pads 0 top/left and 1
    bottom/right) 16x14 -> block_1 pad 17x15 -> 'valid' stride 2 -> 8x7.

Arrays (.npy, float32, C order, NHWC):
mini_resnet_input_rgb_0_255.npy   (2, 36, 32, 3) raw RGB images, integers in
                                  [0, 255] (synthetic, make_keras_fixtures.make_images).
mini_resnet_input.npy             the same after ResNet50's preprocess_input
                                  ('caffe': RGB->BGR minus (103.939, 116.779, 123.68)).
mini_resnet_logits.npy            (2, 5) 'predictions' before its softmax.
mini_resnet_softmax.npy           (2, 5) model output.
mini_resnet_conv3_block1_out.npy  (2, 5, 4, 32) last convolutional feature map
                                  (after its ReLU), the usual Grad-CAM layer.
mini_mobilenet_input_rgb_0_255.npy (2, 32, 28, 3) raw RGB images.
mini_mobilenet_input.npy          after MobileNetV2's preprocess_input ('tf':
                                  x / 127.5 - 1).
mini_mobilenet_logits.npy         (2, 6) 'predictions' before its softmax.
mini_mobilenet_softmax.npy        (2, 6) model output.
mini_mobilenet_out_relu.npy       (2, 8, 7, 32) last convolutional feature map.
mini_mobilenet_block_2_add.npy    (2, 8, 7, 16) output of the residual Add.

How the expected values were produced
=====================================
Not with Keras.  ``forward()`` below interprets the very ``model_config``
written to the file (class names, kernel sizes, strides, paddings, epsilons,
inbound nodes) with an independent numpy implementation of the
Keras/TensorFlow semantics, in float64 from the float32 weights and inputs
stored in the files, then rounds to float32:

* Conv2D / DepthwiseConv2D: cross-correlation, NHWC input, HWIO kernel.
  'valid': no padding, output floor((n - k) / s) + 1.  'same': output
  ceil(n / s), total padding max((out - 1) * s + k - n, 0) split with the
  smaller half on top/left (TensorFlow's rule).
* BatchNormalization (inference): (x - moving_mean) / sqrt(moving_variance +
  epsilon) * gamma + beta.
* ReLU(max_value=6): min(max(x, 0), 6); Activation('relu'): max(x, 0).
* ZeroPadding2D: zeros; MaxPooling2D 'valid': max over each window (the zero
  padding before pool1_pool follows a ReLU, so it never wins over a real
  value, as in Keras).
* Add: sum; GlobalAveragePooling2D: mean over H and W; Dense: x @ W + b;
  softmax = exp(z - max z) / sum.
``_self_test()`` checks the convolutions (strided, both paddings, odd and
even sizes, depth multiplier) against naive loops at start-up.

Weights are data-dependent, as in make_keras_fixtures.py, so that values stay
O(1) and every operation matters: convolution kernels are standard normal
draws rescaled to give unit-variance outputs on the fixture batch, except that
output channels c % 4 == 1 are scaled by QUIET_CHANNEL_SCALE (0.01): their
variance (~1e-4) is comparable to the epsilon, so a converter that drops or
changes epsilon fails (as dead or near-constant channels do in trained
networks); convolution biases are N(0, 0.3^2); each BatchNormalization gets moving statistics near (not equal to) the batch
statistics of its input (mean + 0.3 std noise, variance times U(0.5, 2)),
gamma U(0.5, 1.5) (U(2, 4) before a ReLU(6.), so that some values are clipped
at 6; the script asserts it), beta N(0, 0.3^2); the last Dense layer's logits
have standard deviation 2.5 and biases N(0, 0.5^2).

Sensitivity (max change of the logits, which are up to ~4.6, when the
reference is recomputed with one mistake): ReLU(6.) as plain ReLU 8.7
(MobileNet); epsilon 0 instead of the stored one 0.9 (ResNet) / 7.4
(MobileNet); epsilon 1e-3 instead of 1.001e-5 2.1 (ResNet); 'same' padding
put top/left instead of bottom/right 0.9 (MobileNet); depthwise output
channels ordered j * cin + c instead of c * m + j 1.9 (MobileNet).  The Java
test tolerance is 1e-4 relative.
"""

import json
import os
import sys

import h5py
import numpy as np

import make_keras_fixtures as base

SEED = 20241130
N_IMAGES = 2
RESNET_HWC = (36, 32, 3)
RESNET_CLASSES = 5
MOBILENET_HWC = (32, 28, 3)
MOBILENET_CLASSES = 6
RESNET_BN_EPSILON = 1.001e-5   # keras.applications.resnet
MOBILENET_BN_EPSILON = 1e-3    # keras.applications.mobilenet_v2
MOBILENET_BN_MOMENTUM = 0.999
QUIET_CHANNEL_SCALE = 0.01     # output channels c % 4 == 1 of every convolution


# ----------------------------------------------------------------------------
# tf.keras 2.4 layer configs
# ----------------------------------------------------------------------------

def _ones():
    return {"class_name": "Ones", "config": {}}


def _pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def _conv_common(kernel_size, strides, padding, use_bias, activation):
    return {"kernel_size": _pair(kernel_size), "strides": _pair(strides),
            "padding": padding, "data_format": "channels_last",
            "dilation_rate": [1, 1], "groups": 1, "activation": activation,
            "use_bias": use_bias}


class GraphBuilder:
    """Collects layers of a Keras Functional model in creation order."""

    def __init__(self, model_name, input_hwc, input_name="input_1"):
        self.model_name = model_name
        self.layers = []
        self.input_name = input_name
        self._add("InputLayer", input_name, [], {
            "batch_input_shape": [None] + list(input_hwc), "dtype": "float32",
            "sparse": False, "ragged": False, "name": input_name}, raw_config=True)

    def _add(self, class_name, name, inbound, config, weight_names=(), raw_config=False, **extra):
        if not raw_config:
            cfg = base._base(name)
            cfg.update(config)
            config = cfg
        self.layers.append(dict(class_name=class_name, name=name, inbound=list(inbound),
                                config=config, weight_names=list(weight_names), **extra))
        return name

    def conv(self, name, x, filters, kernel_size, strides=1, padding="valid",
             use_bias=True, activation="linear"):
        cfg = {"filters": filters}
        cfg.update(_conv_common(kernel_size, strides, padding, use_bias, activation))
        cfg.update({"kernel_initializer": base._glorot(), "bias_initializer": base._zeros(),
                    "kernel_regularizer": None, "bias_regularizer": None,
                    "activity_regularizer": None, "kernel_constraint": None,
                    "bias_constraint": None})
        names = ["kernel:0"] + (["bias:0"] if use_bias else [])
        return self._add("Conv2D", name, [x], cfg, names)

    def depthwise(self, name, x, kernel_size, strides=1, padding="valid",
                  depth_multiplier=1, use_bias=False, activation="linear"):
        cfg = _conv_common(kernel_size, strides, padding, use_bias, activation)
        cfg.update({"bias_initializer": base._zeros(), "bias_regularizer": None,
                    "activity_regularizer": None, "bias_constraint": None,
                    "depth_multiplier": depth_multiplier,
                    "depthwise_initializer": base._glorot(),
                    "depthwise_regularizer": None, "depthwise_constraint": None})
        names = ["depthwise_kernel:0"] + (["bias:0"] if use_bias else [])
        return self._add("DepthwiseConv2D", name, [x], cfg, names)

    def batch_norm(self, name, x, epsilon, momentum=0.99, before_relu6=False):
        cfg = {"axis": [3], "momentum": momentum, "epsilon": epsilon, "center": True,
               "scale": True, "beta_initializer": base._zeros(),
               "gamma_initializer": _ones(), "moving_mean_initializer": base._zeros(),
               "moving_variance_initializer": _ones(), "beta_regularizer": None,
               "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}
        return self._add("BatchNormalization", name, [x], cfg,
                         ["gamma:0", "beta:0", "moving_mean:0", "moving_variance:0"],
                         before_relu6=before_relu6)

    def relu6(self, name, x):
        return self._add("ReLU", name, [x], {"max_value": 6.0, "negative_slope": 0.0,
                                             "threshold": 0.0})

    def activation(self, name, x, activation):
        return self._add("Activation", name, [x], {"activation": activation})

    def zero_pad(self, name, x, padding):
        return self._add("ZeroPadding2D", name, [x], {
            "padding": [list(p) for p in padding], "data_format": "channels_last"})

    def max_pool(self, name, x, pool_size, strides, padding="valid"):
        return self._add("MaxPooling2D", name, [x], {
            "pool_size": _pair(pool_size), "padding": padding, "strides": _pair(strides),
            "data_format": "channels_last"})

    def global_avg_pool(self, name, x):
        return self._add("GlobalAveragePooling2D", name, [x], {"data_format": "channels_last"})

    def add(self, name, inputs):
        return self._add("Add", name, inputs, {})

    def dense(self, name, x, units, activation):
        cfg = {"units": units, "activation": activation, "use_bias": True,
               "kernel_initializer": base._glorot(), "bias_initializer": base._zeros(),
               "kernel_regularizer": None, "bias_regularizer": None,
               "activity_regularizer": None, "kernel_constraint": None,
               "bias_constraint": None}
        return self._add("Dense", name, [x], cfg, ["kernel:0", "bias:0"])

    def keras_order(self, output):
        """The layers in the order of tf.keras ``model.layers`` (also the
        order of the config's "layers" and of ``layer_names``): decreasing
        depth (longest path to the output), ties broken by the pre-order in
        which a depth-first search from the output meets them
        (``functional._map_graph_network``).  In a ResNet block the main path
        (``_1_conv`` ...) therefore comes before the shortcut ``_0_conv``."""
        by_name = {layer["name"]: layer for layer in self.layers}
        discovered, post_order = {}, []

        def visit(name):
            if name in post_order:
                return
            discovered.setdefault(name, len(discovered))
            for inbound in by_name[name]["inbound"]:
                visit(inbound)
            post_order.append(name)

        visit(output)
        assert len(post_order) == len(self.layers), "layers not connected to the output"
        depth = {}
        for name in reversed(post_order):  # every consumer before its inputs
            d = depth.setdefault(name, 0)
            for inbound in by_name[name]["inbound"]:
                depth[inbound] = max(depth.get(inbound, 0), d + 1)
        return sorted(self.layers, key=lambda layer: (-depth[layer["name"]], discovered[layer["name"]]))

    def model_config(self, output):
        entries = []
        for layer in self.keras_order(output):
            entries.append({
                "class_name": layer["class_name"], "config": layer["config"],
                "name": layer["name"],
                "inbound_nodes": [[[n, 0, 0, {}] for n in layer["inbound"]]]
                if layer["inbound"] else []})
        return {"class_name": "Functional", "config": {
            "name": self.model_name, "layers": entries,
            "input_layers": [[self.input_name, 0, 0]],
            "output_layers": [[output, 0, 0]]}}


# ----------------------------------------------------------------------------
# Architectures (keras.applications structure and names, shrunk)
# ----------------------------------------------------------------------------

def resnet_block(g, x, filters, stride, conv_shortcut, name, use_bias=True):
    """keras.applications.resnet.block1 (ResNet50 v1 bottleneck block)."""
    eps = RESNET_BN_EPSILON
    if conv_shortcut:
        shortcut = g.conv(name + "_0_conv", x, 4 * filters, 1, strides=stride, use_bias=use_bias)
        shortcut = g.batch_norm(name + "_0_bn", shortcut, eps)
    else:
        shortcut = x
    y = g.conv(name + "_1_conv", x, filters, 1, strides=stride, use_bias=use_bias)
    y = g.batch_norm(name + "_1_bn", y, eps)
    y = g.activation(name + "_1_relu", y, "relu")
    y = g.conv(name + "_2_conv", y, filters, 3, padding="same", use_bias=use_bias)
    y = g.batch_norm(name + "_2_bn", y, eps)
    y = g.activation(name + "_2_relu", y, "relu")
    y = g.conv(name + "_3_conv", y, 4 * filters, 1, use_bias=use_bias)
    y = g.batch_norm(name + "_3_bn", y, eps)
    y = g.add(name + "_add", [shortcut, y])
    return g.activation(name + "_out", y, "relu")


def mini_resnet():
    g = GraphBuilder("resnet50", RESNET_HWC)
    x = g.zero_pad("conv1_pad", g.input_name, ((3, 3), (3, 3)))
    x = g.conv("conv1_conv", x, 8, 7, strides=2, use_bias=True)
    x = g.batch_norm("conv1_bn", x, RESNET_BN_EPSILON)
    x = g.activation("conv1_relu", x, "relu")
    x = g.zero_pad("pool1_pad", x, ((1, 1), (1, 1)))
    x = g.max_pool("pool1_pool", x, 3, 2)
    x = resnet_block(g, x, 4, 1, True, "conv2_block1")
    x = resnet_block(g, x, 4, 1, False, "conv2_block2", use_bias=False)
    x = resnet_block(g, x, 8, 2, True, "conv3_block1")
    x = g.global_avg_pool("avg_pool", x)
    out = g.dense("predictions", x, RESNET_CLASSES, "softmax")
    return g, out


def inverted_res_block(g, x, in_channels, expansion, stride, filters, block_id,
                       depth_multiplier=1, depthwise_bias=False):
    """keras.applications.mobilenet_v2._inverted_res_block (expansion shrunk)."""
    eps, mom = MOBILENET_BN_EPSILON, MOBILENET_BN_MOMENTUM
    inputs = x
    if block_id:
        prefix = "block_%d_" % block_id
        x = g.conv(prefix + "expand", x, expansion * in_channels, 1, padding="same", use_bias=False)
        x = g.batch_norm(prefix + "expand_BN", x, eps, mom, before_relu6=True)
        x = g.relu6(prefix + "expand_relu", x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = g.zero_pad(prefix + "pad", x, ((0, 1), (0, 1)))  # correct_pad for even sizes
    x = g.depthwise(prefix + "depthwise", x, 3, strides=stride,
                    padding="same" if stride == 1 else "valid",
                    depth_multiplier=depth_multiplier, use_bias=depthwise_bias)
    x = g.batch_norm(prefix + "depthwise_BN", x, eps, mom, before_relu6=True)
    x = g.relu6(prefix + "depthwise_relu", x)
    x = g.conv(prefix + "project", x, filters, 1, padding="same", use_bias=False)
    x = g.batch_norm(prefix + "project_BN", x, eps, mom)
    if in_channels == filters and stride == 1:
        return g.add(prefix + "add", [inputs, x])
    return x


def mini_mobilenet():
    eps, mom = MOBILENET_BN_EPSILON, MOBILENET_BN_MOMENTUM
    g = GraphBuilder("mobilenetv2_1.00_32", MOBILENET_HWC)
    x = g.conv("Conv1", g.input_name, 16, 3, strides=2, padding="same", use_bias=False)
    x = g.batch_norm("bn_Conv1", x, eps, mom, before_relu6=True)
    x = g.relu6("Conv1_relu", x)
    x = inverted_res_block(g, x, 16, 1, 1, 8, 0)
    x = inverted_res_block(g, x, 8, 2, 2, 16, 1)
    x = inverted_res_block(g, x, 16, 2, 1, 16, 2, depth_multiplier=2, depthwise_bias=True)
    x = g.conv("Conv_1", x, 32, 1, use_bias=False)
    x = g.batch_norm("Conv_1_bn", x, eps, mom, before_relu6=True)
    x = g.relu6("out_relu", x)
    x = g.global_avg_pool("global_average_pooling2d", x)
    out = g.dense("predictions", x, MOBILENET_CLASSES, "softmax")
    return g, out


# ----------------------------------------------------------------------------
# Independent numpy forward pass (float64), driven by the model_config
# ----------------------------------------------------------------------------

def _pads(n, k, s, padding):
    """(output size, pad before, pad after) along one axis, TensorFlow rules."""
    if padding == "valid":
        return (n - k) // s + 1, 0, 0
    if padding == "same":
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        return out, total // 2, total - total // 2
    raise ValueError(padding)


def _windows(x, kh, kw, strides, padding):
    """Zero-padded input and output size for a (kh, kw) window."""
    sh, sw = strides
    oh, pt, pb = _pads(x.shape[1], kh, sh, padding)
    ow, pl, pr = _pads(x.shape[2], kw, sw, padding)
    return np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0))), oh, ow


def conv2d(x, kernel, bias, strides, padding):
    """NHWC cross-correlation with an HWIO kernel."""
    kh, kw, cin, cout = kernel.shape
    assert x.shape[3] == cin, (x.shape, kernel.shape)
    sh, sw = strides
    xp, oh, ow = _windows(x, kh, kw, strides, padding)
    out = np.zeros((x.shape[0], oh, ow, cout))
    for a in range(kh):
        for b in range(kw):
            patch = xp[:, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw, :]
            out += np.tensordot(patch, kernel[a, b], axes=([3], [0]))
    return out + (0.0 if bias is None else bias)


def depthwise_conv2d(x, kernel, bias, strides, padding):
    """tf.nn.depthwise_conv2d: kernel (kh, kw, cin, m), output channel c*m + j."""
    kh, kw, cin, mult = kernel.shape
    assert x.shape[3] == cin, (x.shape, kernel.shape)
    sh, sw = strides
    xp, oh, ow = _windows(x, kh, kw, strides, padding)
    out = np.zeros((x.shape[0], oh, ow, cin, mult))
    for a in range(kh):
        for b in range(kw):
            patch = xp[:, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw, :]
            out += patch[..., None] * kernel[a, b]
    out = out.reshape(x.shape[0], oh, ow, cin * mult)
    return out + (0.0 if bias is None else bias)


def max_pool(x, pool_size, strides, padding):
    kh, kw = pool_size
    sh, sw = strides
    assert padding == "valid"
    _, oh, ow = _windows(x, kh, kw, strides, padding)
    out = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf)
    for a in range(kh):
        for b in range(kw):
            out = np.maximum(out, x[:, a:a + sh * (oh - 1) + 1:sh, b:b + sw * (ow - 1) + 1:sw, :])
    return out


def _activate(z, name):
    if name == "linear":
        return z
    return base.activate(z, name)


def forward(layers, weights, x, init=None):
    """Evaluates the layers (GraphBuilder entries, i.e. the written
    model_config) on x.  Returns {name: output} and {name + ':pre':
    pre-activation} for layers with an activation.  If init is given, it is
    called as init(layer, x_in) -> list of float32 arrays (in weight_names
    order) for every weighted layer (data-dependent initialisation)."""
    acts = {}
    for layer in layers:
        cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
        ins = [acts[n] for n in layer["inbound"]]
        if cls == "InputLayer":
            acts[name] = np.asarray(x, dtype=np.float64)
            continue
        if layer["weight_names"] and init is not None:
            weights[name] = init(layer, ins[0])
        w = [np.asarray(a, dtype=np.float64) for a in weights.get(name, [])]
        if cls == "Conv2D":
            assert cfg["dilation_rate"] == [1, 1] and cfg["groups"] == 1
            z = conv2d(ins[0], w[0], w[1] if cfg["use_bias"] else None,
                       cfg["strides"], cfg["padding"])
            acts[name + ":pre"] = z
            y = _activate(z, cfg["activation"])
        elif cls == "DepthwiseConv2D":
            assert w[0].shape[3] == cfg["depth_multiplier"]
            z = depthwise_conv2d(ins[0], w[0], w[1] if cfg["use_bias"] else None,
                                 cfg["strides"], cfg["padding"])
            acts[name + ":pre"] = z
            y = _activate(z, cfg["activation"])
        elif cls == "BatchNormalization":
            assert cfg["axis"] == [3]
            gamma, beta, mean, var = w
            y = (ins[0] - mean) / np.sqrt(var + cfg["epsilon"]) * gamma + beta
        elif cls == "ReLU":
            assert cfg["negative_slope"] == 0.0 and cfg["threshold"] == 0.0
            y = np.minimum(np.maximum(ins[0], 0.0), cfg["max_value"])
        elif cls == "Activation":
            y = _activate(ins[0], cfg["activation"])
        elif cls == "ZeroPadding2D":
            (t, b), (l, r) = cfg["padding"]
            y = np.pad(ins[0], ((0, 0), (t, b), (l, r), (0, 0)))
        elif cls == "MaxPooling2D":
            y = max_pool(ins[0], cfg["pool_size"], cfg["strides"], cfg["padding"])
        elif cls == "GlobalAveragePooling2D":
            y = ins[0].mean(axis=(1, 2))
        elif cls == "Add":
            y = ins[0] + ins[1]
        elif cls == "Dense":
            z = ins[0] @ w[0] + w[1]
            acts[name + ":pre"] = z
            y = _activate(z, cfg["activation"])
        else:
            raise ValueError(cls)
        acts[name] = y
    return acts


def _naive_conv(x, kernel, bias, strides, padding, depthwise):
    kh, kw, cin, cout = kernel.shape
    sh, sw = strides
    oh, pt, _ = _pads(x.shape[1], kh, sh, padding)
    ow, pl, _ = _pads(x.shape[2], kw, sw, padding)
    nout = cin * cout if depthwise else cout
    out = np.zeros((x.shape[0], oh, ow, nout))
    for n in range(x.shape[0]):
        for i in range(oh):
            for j in range(ow):
                for o in range(nout):
                    acc = bias[o]
                    for a in range(kh):
                        for b in range(kw):
                            ii, jj = i * sh + a - pt, j * sw + b - pl
                            if 0 <= ii < x.shape[1] and 0 <= jj < x.shape[2]:
                                if depthwise:
                                    c, m = divmod(o, cout)
                                    acc += x[n, ii, jj, c] * kernel[a, b, c, m]
                                else:
                                    acc += np.dot(x[n, ii, jj, :], kernel[a, b, :, o])
                    out[n, i, j, o] = acc
    return out


def _self_test():
    rng = np.random.default_rng(1)
    for shape in [(2, 7, 6, 3), (1, 8, 9, 2)]:
        x = rng.standard_normal(shape)
        for k, s in [(3, 1), (3, 2), (1, 2), (7, 2)]:
            for padding in ("same", "valid"):
                if padding == "valid" and k > min(shape[1:3]):
                    continue
                kern = rng.standard_normal((k, k, shape[3], 2))
                bias = rng.standard_normal(2)
                fast = conv2d(x, kern, bias, (s, s), padding)
                slow = _naive_conv(x, kern, bias, (s, s), padding, False)
                assert fast.shape == slow.shape and np.allclose(fast, slow, atol=1e-12), \
                    ("conv2d self-test", shape, k, s, padding)
                dbias = rng.standard_normal(2 * shape[3])
                fast = depthwise_conv2d(x, kern, dbias, (s, s), padding)
                slow = _naive_conv(x, kern, dbias, (s, s), padding, True)
                assert fast.shape == slow.shape and np.allclose(fast, slow, atol=1e-12), \
                    ("depthwise self-test", shape, k, s, padding)
    # TF 'same', stride 2, even size: pad 0 before and 1 after.
    assert _pads(32, 3, 2, "same") == (16, 0, 1) and _pads(9, 3, 2, "same") == (5, 1, 1)
    p = max_pool(np.arange(25, dtype=float).reshape(1, 5, 5, 1), (3, 3), (2, 2), "valid")
    assert p.shape == (1, 2, 2, 1) and p[0, :, :, 0].tolist() == [[12, 14], [22, 24]]


# ----------------------------------------------------------------------------
# Data-dependent weights
# ----------------------------------------------------------------------------

def make_init(rng, last_dense):
    def init(layer, x_in):
        cls, cfg = layer["class_name"], layer["config"]
        if cls in ("Conv2D", "DepthwiseConv2D", "Dense"):
            if cls == "Conv2D":
                kh, kw = cfg["kernel_size"]
                kern = rng.standard_normal((kh, kw, x_in.shape[3], cfg["filters"]))
                z = conv2d(x_in, kern, None, cfg["strides"], cfg["padding"])
            elif cls == "DepthwiseConv2D":
                kh, kw = cfg["kernel_size"]
                kern = rng.standard_normal((kh, kw, x_in.shape[3], cfg["depth_multiplier"]))
                z = depthwise_conv2d(x_in, kern, None, cfg["strides"], cfg["padding"])
            else:
                kern = rng.standard_normal((x_in.shape[1], cfg["units"]))
                z = x_in @ kern
            out_std, bias_std = (2.5, 0.5) if layer["name"] == last_dense else (1.0, 0.3)
            kern *= out_std / z.std()
            if cls != "Dense":
                # Quiet output channels (variance ~1e-4), where the BatchNormalization
                # epsilon matters.  Depthwise output channel c * m + j is kern[..., c, j].
                n_out = kern.shape[2] * kern.shape[3] if cls == "DepthwiseConv2D" else kern.shape[3]
                scale = np.where(np.arange(n_out) % 4 == 1, QUIET_CHANNEL_SCALE, 1.0)
                kern *= scale.reshape(kern.shape[2:]) if cls == "DepthwiseConv2D" else scale
            values = [kern]
            if cfg["use_bias"]:
                values.append(rng.normal(0.0, bias_std, size=z.shape[-1]))
        elif cls == "BatchNormalization":
            c = x_in.shape[3]
            mean = x_in.mean(axis=(0, 1, 2))
            std = x_in.std(axis=(0, 1, 2))
            moving_mean = mean + 0.3 * std * rng.standard_normal(c)
            moving_var = std ** 2 * rng.uniform(0.5, 2.0, size=c)
            lo, hi = (2.0, 4.0) if layer["before_relu6"] else (0.5, 1.5)
            gamma = rng.uniform(lo, hi, size=c)
            beta = rng.normal(0.0, 0.3, size=c)
            values = [gamma, beta, moving_mean, moving_var]
        else:
            raise ValueError(cls)
        return [np.asarray(v, dtype=np.float32) for v in values]
    return init


# ----------------------------------------------------------------------------
# HDF5 writer (hdf5_format.save_model_to_hdf5 / save_weights_to_hdf5_group)
# ----------------------------------------------------------------------------

def save_model(path, g, output, weights):
    with h5py.File(path, mode="w") as f:
        f.attrs["keras_version"] = base.KERAS_VERSION
        f.attrs["backend"] = base.BACKEND
        f.attrs["model_config"] = json.dumps(g.model_config(output)).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = [layer["name"].encode("utf8") for layer in g.keras_order(output)]
        mw.attrs["backend"] = base.BACKEND.encode("utf8")
        mw.attrs["keras_version"] = base.KERAS_VERSION.encode("utf8")
        for layer in sorted(g.layers, key=lambda entry: entry["name"]):
            grp = mw.create_group(layer["name"])
            names = [layer["name"] + "/" + n for n in layer["weight_names"]]
            grp.attrs["weight_names"] = [n.encode("utf8") for n in names] if names else np.asarray([])
            for n, value in zip(names, weights.get(layer["name"], [])):
                d = grp.create_dataset(n, value.shape, dtype=value.dtype)
                d[:] = value
        f.flush()


# ----------------------------------------------------------------------------

def build(out_dir, prefix, g, output, x, rng, feature_maps):
    weights = {}
    forward(g.layers, weights, x, init=make_init(rng, output))
    save_model(os.path.join(out_dir, prefix + "_functional.h5"), g, output, weights)
    # The reference comes from the stored float32 weights, not the float64 draws.
    acts = forward(g.layers, weights, x)
    np.save(os.path.join(out_dir, prefix + "_logits.npy"), acts[output + ":pre"].astype(np.float32))
    np.save(os.path.join(out_dir, prefix + "_softmax.npy"), acts[output].astype(np.float32))
    for name in feature_maps:
        np.save(os.path.join(out_dir, "%s_%s.npy" % (prefix, name)), acts[name].astype(np.float32))
    for layer in g.layers:
        if layer["class_name"] == "ReLU":
            z = acts[layer["inbound"][0]]
            assert (z > 6).mean() > 0.002, ("ReLU(6.) never clips", layer["name"], (z > 6).mean())
    return acts


def main(out_dir):
    base._self_test()
    _self_test()
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    p = lambda name: os.path.join(out_dir, name)

    raw = base.make_images(rng, RESNET_HWC, N_IMAGES)
    x = base.preprocess_bgr_mean(raw, base.IMAGENET_CAFFE_MEAN_BGR)
    np.save(p("mini_resnet_input_rgb_0_255.npy"), raw)
    np.save(p("mini_resnet_input.npy"), x)
    g, out = mini_resnet()
    racts = build(out_dir, "mini_resnet", g, out, x, rng, ["conv3_block1_out"])

    raw = base.make_images(rng, MOBILENET_HWC, N_IMAGES)
    x = (raw / np.float32(127.5) - np.float32(1.0)).astype(np.float32)  # preprocess_input 'tf'
    np.save(p("mini_mobilenet_input_rgb_0_255.npy"), raw)
    np.save(p("mini_mobilenet_input.npy"), x)
    g, out = mini_mobilenet()
    macts = build(out_dir, "mini_mobilenet", g, out, x, rng, ["out_relu", "block_2_add"])

    base.print_sizes(out_dir, "mini_resnet", "mini_mobilenet")
    print("resnet softmax:\n", racts["predictions"].round(4))
    print("mobilenet softmax:\n", macts["predictions"].round(4))


if __name__ == "__main__":
    main(base.output_dir(sys.argv))
