package org.xai4j;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerKind;

/**
 * Chooses layers of a model by what they compute ({@link LayerInfo#kind()}), their shapes and the graph
 * ({@link LayerInfo#inputs()}), never by their names, so that the same call works on a VGG, a ResNet or a MobileNet
 * whatever its framework called the layers.
 *
 * <ul>
 *   <li>{@link #lastSpatialLayerBeforeGlobalPooling}: the default layer of class activation maps (Grad-CAM and
 *       family): {@code block5_conv3} of a VGG16, the last block's output of a ResNet ({@code layer4[-1]} in
 *       pytorch-grad-cam, {@code conv5_block3_out} in Keras).</li>
 *   <li>{@link #lastConvolution}: the last convolution of the network.</li>
 *   <li>{@link #lastConvolutionOfEachBlock}: the last convolution at each spatial resolution ({@code block1_conv2,
 *       block2_conv2, block3_conv3, block4_conv3, block5_conv3} of a VGG16), the layers whose learned features the
 *       VGG study shows.</li>
 *   <li>{@link #spatialLayers} and {@link #ofKind}: the building blocks.</li>
 * </ul>
 */
public final class LayerSelectors {

    private static final Set<LayerKind> CONVOLUTIONS = EnumSet.of(LayerKind.CONVOLUTION, LayerKind.DEPTHWISE_CONVOLUTION);

    private LayerSelectors() { }

    /**
     * The layers with a spatial activation {@code [channels, height, width]}, in topological order.
     *
     * @param model the model
     * @return their names
     * @throws NullPointerException if {@code model} is null
     */
    public static List<String> spatialLayers(ImageModel model) {
        Objects.requireNonNull(model, "model must not be null");
        return model.layerNames().stream().filter(l -> model.layerInfo(l).isSpatial()).toList();
    }

    /**
     * The layers of the given kinds, in topological order.
     *
     * @param model the model
     * @param kinds one or more kinds
     * @return their names (empty if there are none)
     * @throws NullPointerException if an argument is null
     */
    public static List<String> ofKind(ImageModel model, LayerKind... kinds) {
        Objects.requireNonNull(model, "model must not be null");
        Set<LayerKind> wanted = EnumSet.noneOf(LayerKind.class);
        wanted.addAll(Arrays.asList(Objects.requireNonNull(kinds, "kinds must not be null")));
        return model.layerNames().stream().filter(l -> wanted.contains(kind(model, l))).toList();
    }

    /**
     * The last convolution (plain or depthwise) with a spatial output, in topological order.
     *
     * @param model the model
     * @return its name
     * @throws NullPointerException     if {@code model} is null
     * @throws IllegalArgumentException if the model has no convolution (the message lists its layers and kinds)
     */
    public static String lastConvolution(ImageModel model) {
        List<String> convolutions = spatialConvolutions(model);
        return convolutions.get(convolutions.size() - 1);
    }

    /**
     * The last spatial layer on the way to the output: walking back from the output through the layers that are not
     * spatial (dense layers, global pooling, flatten, and layers of spatial size 1x1), the first spatial layer reached, moved back over any local
     * pooling that directly precedes the head (so a VGG gives its last convolution, not the pooling after it, and the
     * class activation map keeps the finer resolution). Where a non-spatial layer reads several layers, the walk
     * follows the first. Squeeze-and-excitation branches, whose global pooling sits inside the network, do not
     * matter: the walk starts from the output.
     *
     * @param model the model
     * @return the name of the layer whose activations a class activation map should use by default
     * @throws NullPointerException     if {@code model} is null
     * @throws IllegalArgumentException if no spatial layer leads to the output
     */
    public static String lastSpatialLayerBeforeGlobalPooling(ImageModel model) {
        Objects.requireNonNull(model, "model must not be null");
        List<String> names = model.layerNames();
        String current = names.get(names.size() - 1);
        // A 1x1 "spatial" layer (a head applied after global pooling, such as ConvNeXt's LayerNorm on [c, 1, 1]) has no
        // map to show: walk past it like a non-spatial one, unless no larger map lies before it.
        String firstPointLike = null;
        while (!model.layerInfo(current).isSpatial() || isPointLike(model.layerInfo(current).shape())) {
            if (firstPointLike == null && model.layerInfo(current).isSpatial()) {
                firstPointLike = current;
            }
            List<String> inputs = model.layerInfo(current).inputs();
            if (inputs.get(0).equals(LayerInfo.MODEL_INPUT)) {
                if (firstPointLike != null) {
                    current = firstPointLike;
                    break;
                }
                throw new IllegalArgumentException("model has no spatial layer before its output (layers "
                        + names + "); a class activation map needs a layer with [channels, height, width] activations");
            }
            current = inputs.get(0);
        }
        while (kind(model, current) == LayerKind.POOLING) {
            String input = model.layerInfo(current).inputs().get(0);
            if (input.equals(LayerInfo.MODEL_INPUT) || !model.layerInfo(input).isSpatial()) {
                break;
            }
            current = input;
        }
        return current;
    }

    /**
     * The last convolution at each spatial resolution, in topological order: the convolutions are grouped by the height
     * and width of their output and the last of each group is kept. In a VGG a group is a block; in a ResNet, a stage.
     *
     * @param model the model
     * @return one convolution per resolution, from the finest to the coarsest
     * @throws NullPointerException     if {@code model} is null
     * @throws IllegalArgumentException if the model has no convolution
     */
    public static List<String> lastConvolutionOfEachBlock(ImageModel model) {
        Map<String, String> lastAtResolution = new LinkedHashMap<>();
        for (String layer : spatialConvolutions(model)) {
            long[] shape = model.layerInfo(layer).shape();
            String resolution = shape[1] + "x" + shape[2];
            lastAtResolution.remove(resolution); // keep the insertion order of the last one
            lastAtResolution.put(resolution, layer);
        }
        List<String> last = new ArrayList<>(lastAtResolution.values());
        List<String> order = model.layerNames();
        last.sort((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
        return List.copyOf(last);
    }

    private static boolean isPointLike(long[] shape) {
        return shape.length == 3 && shape[1] == 1 && shape[2] == 1;
    }

    private static List<String> spatialConvolutions(ImageModel model) {
        Objects.requireNonNull(model, "model must not be null");
        List<String> convolutions = model.layerNames().stream()
                .filter(l -> CONVOLUTIONS.contains(kind(model, l)) && model.layerInfo(l).isSpatial()).toList();
        if (convolutions.isEmpty()) {
            List<String> described = model.layerNames().stream().map(l -> l + " (" + kind(model, l) + ")").toList();
            throw new IllegalArgumentException("model has no convolution layer; its layers are " + described);
        }
        return convolutions;
    }

    private static LayerKind kind(ImageModel model, String layer) {
        return model.layerInfo(layer).kind();
    }
}
