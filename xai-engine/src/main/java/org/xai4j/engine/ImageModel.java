package org.xai4j.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A differentiable image classifier, as every explainer in xai4j sees it.
 *
 * <p>Inputs are batches in NCHW layout, {@code [batch, channels, height, width]}, in the model's own input
 * space (adapters that embed preprocessing document which space that is). Every layer has a stable name; an
 * activation is returned per example, with the batch as its first dimension.
 *
 * <p>Implementations only ever compute gradients with respect to the input: explainers never need the
 * gradients of the weights, and paying for them would double the cost of a backward pass.
 *
 * <p>A model holds native memory (weights and reusable working buffers): {@link #close()} releases it. Arrays and
 * results returned by a model belong to the caller and stay valid after the model is closed.
 */
public interface ImageModel extends AutoCloseable {

    /** The expected shape of one example, {@code [channels, height, width]}. */
    long[] inputShape();

    /**
     * The names of the layers whose activations can be read, in topological order: every layer comes after the
     * layers it reads.
     */
    List<String> layerNames();

    /**
     * What a layer computes, its shape and the layers it reads.
     *
     * @param layer a layer name
     * @return the layer's description
     * @throws IllegalArgumentException if the layer is unknown (the message lists the valid names)
     */
    LayerInfo layerInfo(String layer);

    /**
     * The shape of one example's activation of a layer, without the batch dimension:
     * {@code [channels, height, width]} for spatial layers, {@code [units]} for dense ones.
     *
     * @throws IllegalArgumentException if the layer is unknown (the message lists the valid names)
     */
    long[] layerShape(String layer);

    /** The number of classes of the output (the length of one example's logits). */
    int numClasses();

    /** The floating-point type the model computes in; inputs of another type are converted. */
    DataType dataType();

    /** The pre-softmax class scores, {@code [batch, numClasses]}. */
    INDArray logits(INDArray input);

    /** The class probabilities (softmax of the logits), {@code [batch, numClasses]}. */
    INDArray probabilities(INDArray input);

    /** The activation of one named layer, {@code [batch, ...layerShape]}. */
    INDArray activations(INDArray input, String layer);

    /** The activations of several named layers from a single forward pass. */
    Map<String, INDArray> activations(INDArray input, List<String> layers);

    /**
     * Evaluates a per-example scalar objective and its gradient with respect to the input batch. The returned
     * arrays belong to the caller, who may {@link INDArray#close() close} them to free their memory at once.
     *
     * @param input     a batch {@code [n, channels, height, width]}
     * @param objective the objective; its targets must cover the batch
     * @return the per-example objective values and the input gradient, same shape as {@code input}
     */
    ObjectiveGradient gradient(INDArray input, Objective objective);

    /**
     * Evaluates a per-example objective and its gradient with respect to the activation of an intermediate layer
     * ({@code dY/dA}, what gradient-weighted class activation maps need), in one forward and a partial backward pass.
     *
     * @param input     a batch {@code [n, channels, height, width]}
     * @param objective the objective; it must read {@code layer} or a layer after it (or the logits)
     * @param layer     the layer whose activation the gradient is taken with respect to
     * @return the layer's activation, the objective values and the gradient, same shape as the activation
     */
    LayerGradient layerGradient(INDArray input, Objective objective, String layer);

    /**
     * An objective's gradient with respect to a layer's activation.
     *
     * @param activation the layer's activation {@code [n, ...]}
     * @param values     objective value per example {@code [n]}
     * @param gradient   {@code dY/dA}, same shape as {@code activation}
     */
    record LayerGradient(INDArray activation, INDArray values, INDArray gradient) { }

    /**
     * Releases the native memory the model holds: its weights and the working buffers it made, on every thread that
     * called it. Results already returned stay valid. Closing twice does nothing; any other call after closing throws
     * {@link IllegalStateException}.
     */
    @Override void close();
}
