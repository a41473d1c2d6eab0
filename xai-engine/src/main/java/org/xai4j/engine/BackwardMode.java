package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A modified backward pass of {@link Nd4jImageModel}: the same reverse-topological pass over the same nodes as the
 * input gradient, where some nodes propagate something other than their gradient. What guided backpropagation,
 * deconvolution, DeepLift and layer-wise relevance propagation need, without a copy of the engine
 * ({@link Nd4jImageModel#gradient(INDArray, Objective, BackwardMode)}). The rules follow Captum 0.8.0's
 * module overrides:
 * <ul>
 *   <li>{@link #guided()}: at every ReLU, {@code relu(relu'(x) * g)} (Captum's {@code GuidedBackprop}); every other
 *       node, other activations included (Captum overrides {@code nn.ReLU} modules only), propagates its gradient;</li>
 *   <li>{@link #deconvolution()}: at every ReLU, {@code relu(g)}, ignoring the forward mask (Captum's
 *       {@code Deconvolution});</li>
 *   <li>{@link #rescale(double)}: DeepLift's Rescale rule on a batch of inputs followed by as many references: at
 *       every element-wise nonlinearity the multiplier {@code g * (y - y0) / (x - x0)}, the gradient where
 *       {@code |x - x0| < eps}; at max pooling (windowed or global) the output change routed to the maxima of the
 *       input and of the reference ({@code g * (max(y, y0) - y0)} by the input's maxima plus {@code g * (y - max(y, y0))}
 *       by the reference's), divided by {@code x - x0}; linear nodes propagate their gradient;</li>
 *   <li>{@link #epsilonLrp(double)}: relevance instead of gradients: convolutions, dense layers, pooling (windowed and
 *       global, max and average), batch normalization (a per-channel affine map after the leading preprocessing) and
 *       element-wise sums and averages take the epsilon rule {@code R_in = x * J^T (R / (z + eps * sign(z)))}
 *       ({@code sign(0) = 1}); activations, the leading preprocessing (per-value maps reading the model input) pass
 *       relevance through unchanged; every other node applies its gradient to the relevance, as a functional
 *       operation does under Captum: layers that only move values (flatten, concatenation, padding, cropping,
 *       upsampling) route it unchanged, element-wise products and maxima and L2 normalization scale it.</li>
 * </ul>
 * A mode is immutable and can be shared by models and threads.
 */
public abstract class BackwardMode {

    private final String name;

    private BackwardMode(String name) {
        this.name = name;
    }

    /**
     * Guided backpropagation's ReLU rule: only positive gradients pass a ReLU, and only where its input was positive.
     *
     * @return the mode
     */
    public static BackwardMode guided() {
        return Guided.GUIDED;
    }

    /**
     * Deconvolution's ReLU rule: only positive gradients pass a ReLU, wherever its input was.
     *
     * @return the mode
     */
    public static BackwardMode deconvolution() {
        return Guided.DECONVOLUTION;
    }

    /**
     * DeepLift's Rescale rule. The batch given to the model holds the inputs followed by their references (row
     * {@code i + n} is the reference of row {@code i}); the gradient of row {@code i} is then the multiplier of
     * {@code x_i - x0_i}.
     *
     * @param epsilon input changes below this use the gradient instead of the finite-difference ratio (Captum: 1e-10)
     * @return the mode
     * @throws IllegalArgumentException if epsilon is negative or not finite
     */
    public static BackwardMode rescale(double epsilon) {
        return new Rescale(checkEpsilon(epsilon));
    }

    /**
     * Layer-wise relevance propagation with the epsilon rule on every layer with weights, pooling and sums. The
     * result at the input is the relevance for an initial relevance equal to the seed (1 at a class logit): multiply
     * it by the objective's value to get Captum's {@code LRP} attributions.
     *
     * @param epsilon the stabilizer added to every denominator, signed as it (Captum's default: 1e-9)
     * @return the mode
     * @throws IllegalArgumentException if epsilon is negative or not finite
     */
    public static BackwardMode epsilonLrp(double epsilon) {
        return new EpsilonLrp(checkEpsilon(epsilon));
    }

    /**
     * The engine model behind a method that needs a modified backward pass: modes exist only for
     * {@link Nd4jImageModel}, whose backward pass runs node by node.
     *
     * @param model  the model given to the method
     * @param method the method's name, for the message
     * @return the model as an {@link Nd4jImageModel}
     * @throws NullPointerException     if the model is null
     * @throws IllegalArgumentException if it is another {@link ImageModel}
     */
    public static Nd4jImageModel engineModel(ImageModel model, String method) {
        if (model == null) {
            throw new NullPointerException("model is required: call setModel");
        }
        if (!(model instanceof Nd4jImageModel engine)) {
            throw new IllegalArgumentException(method + " modifies the backward pass node by node and needs an "
                    + "org.xai4j.engine.Nd4jImageModel (what ImageClassifierLoader and Nd4jImageModel.of build), got "
                    + model.getClass().getName());
        }
        return engine;
    }

    private static double checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        return epsilon;
    }

    /** Whether the batch must hold the inputs followed by as many references. */
    boolean pairsReferences() {
        return false;
    }

    /** Whether the backward pass reads the input and output of every node (so the plan keeps every value). */
    boolean readsAllValues() {
        return false;
    }

    /** The rule for one model's graph (a mode may depend on it). */
    abstract Rule ruleFor(CompiledGraph graph);

    /** How one model's nodes propagate backwards under a mode. */
    interface Rule {
        /**
         * What node propagates to its inputs, in the order of {@link Node#inputs}; the contract of
         * {@link Node#backward(INDArray, Map)}.
         */
        List<INDArray> backward(Node node, INDArray gradOutput, Map<String, INDArray> forward);
    }

    @Override public String toString() {
        return name;
    }

    /** Rows {@code [from, to)} of a batch, as a view. */
    static INDArray rows(INDArray batch, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[batch.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return batch.get(index);
    }

    /** Guided backpropagation and deconvolution: ReLU overrides. */
    private static final class Guided extends BackwardMode implements Rule {
        static final Guided GUIDED = new Guided("guided", true);
        static final Guided DECONVOLUTION = new Guided("deconvolution", false);
        private final boolean forwardMask;

        private Guided(String name, boolean forwardMask) {
            super(name);
            this.forwardMask = forwardMask;
        }

        @Override Rule ruleFor(CompiledGraph graph) {
            return this;
        }

        @Override public List<INDArray> backward(Node node, INDArray gradOutput, Map<String, INDArray> forward) {
            if (node instanceof PointwiseNodes.Activation activation && activation.function() == ActivationFunction.RELU) {
                // Guided: relu of the ReLU's own input gradient; deconvolution: relu of the output gradient.
                INDArray grad = forwardMask ? node.backward(gradOutput, forward).get(0) : gradOutput;
                return List.of(Transforms.relu(grad, false));
            }
            return node.backward(gradOutput, forward);
        }
    }

    /** DeepLift's Rescale rule on a batch of inputs followed by their references. */
    private static final class Rescale extends BackwardMode implements Rule {
        private final double epsilon;

        private Rescale(double epsilon) {
            super(String.format(Locale.ROOT, "rescale(eps=%s)", epsilon));
            this.epsilon = epsilon;
        }

        @Override boolean pairsReferences() {
            return true;
        }

        @Override boolean readsAllValues() {
            return true;
        }

        @Override Rule ruleFor(CompiledGraph graph) {
            return this;
        }

        @Override public List<INDArray> backward(Node node, INDArray gradOutput, Map<String, INDArray> forward) {
            if (node instanceof PointwiseNodes.Activation activation
                    && activation.function() != ActivationFunction.IDENTITY) {
                return List.of(elementWise(node, gradOutput, forward));
            }
            if (node instanceof PoolingNodes.Pooling pooling && pooling.isMax()
                    || node instanceof PoolingNodes.GlobalPooling global && global.isMax()) {
                return List.of(maximum(node, gradOutput, forward));
            }
            return node.backward(gradOutput, forward);
        }

        /** {@code g * (y - y0) / (x - x0)} for both halves, the node's gradient where {@code |x - x0| < eps}. */
        private INDArray elementWise(Node node, INDArray gradOutput, Map<String, INDArray> forward) {
            INDArray x = forward.get(node.inputs.get(0));
            INDArray y = forward.get(node.output);
            long n = x.size(0) / 2;
            INDArray plain = node.backward(gradOutput.dup(), forward).get(0);
            INDArray dx = rows(x, 0, n).sub(rows(x, n, 2 * n));
            INDArray dy = rows(y, 0, n).sub(rows(y, n, 2 * n));
            return combine(gradOutput, dy, dx, plain, true);
        }

        /**
         * Max pooling: the change of each output, split into the part above the reference's maximum (routed to the
         * input's maxima) and the part below it (routed to the reference's maxima), summed per input position and
         * divided by the input change there (Captum's {@code maxpool} rule, with the output gradient it is meant to
         * read: Captum 0.8.0 reads a stale one, issue #1104, fixed upstream in PR #1843).
         */
        private INDArray maximum(Node node, INDArray gradOutput, Map<String, INDArray> forward) {
            INDArray x = forward.get(node.inputs.get(0));
            INDArray y = forward.get(node.output);
            long n = x.size(0) / 2;
            INDArray yInput = rows(y, 0, n);
            INDArray yReference = rows(y, n, 2 * n);
            INDArray upper = yInput.dup();
            Nd4j.exec(new Max(upper, yReference, upper));
            INDArray scaled = gradOutput.dup();
            rows(scaled, 0, n).muli(upper.sub(yReference));
            rows(scaled, n, 2 * n).muli(yInput.sub(upper));
            // Each half routed by its own maxima: the input's rows by the input's, the reference's by the reference's.
            INDArray routed = node.backward(scaled, forward).get(0);
            INDArray change = rows(routed, 0, n).add(rows(routed, n, 2 * n));
            INDArray plain = node.backward(gradOutput.dup(), forward).get(0);
            INDArray dx = rows(x, 0, n).sub(rows(x, n, 2 * n));
            return combine(null, change, dx, plain, false);
        }

        /**
         * Where {@code |dx| >= eps}: {@code numerator / dx} (times the output gradient when {@code timesGradient}),
         * for both halves alike; elsewhere the plain gradient of each half.
         */
        private INDArray combine(INDArray gradOutput, INDArray numerator, INDArray dx, INDArray plain,
                                 boolean timesGradient) {
            INDArray used = Transforms.abs(dx, true).gte(epsilon).castTo(dx.dataType());
            INDArray unused = used.rsub(1.0);
            // Dividing by dx + 1 where the ratio is unused keeps the quotient finite before it is masked.
            INDArray ratio = numerator.div(dx.add(unused)).muli(used);
            INDArray ratios = Nd4j.concat(0, ratio, ratio);
            INDArray fallback = plain.muli(Nd4j.concat(0, unused, unused));
            INDArray result = timesGradient ? gradOutput.muli(ratios) : ratios;
            return result.addi(fallback);
        }
    }

    /** Layer-wise relevance propagation with the epsilon rule. */
    private static final class EpsilonLrp extends BackwardMode {
        private final double epsilon;

        private EpsilonLrp(double epsilon) {
            super(String.format(Locale.ROOT, "lrp(eps=%s)", epsilon));
            this.epsilon = epsilon;
        }

        @Override boolean readsAllValues() {
            return true;
        }

        @Override Rule ruleFor(CompiledGraph graph) {
            Set<String> preprocessing = leadingPerValueMaps(graph);
            return (node, relevance, forward) -> {
                if (node instanceof PointwiseNodes.Activation || preprocessing.contains(node.output)
                        || node instanceof ShapeNodes.Identity) {
                    return List.of(relevance);
                }
                if (takesEpsilonRule(node)) {
                    return epsilonRule(node, relevance, forward);
                }
                return node.backward(relevance, forward);
            };
        }

        private static boolean takesEpsilonRule(Node node) {
            return node instanceof WindowedNode || node instanceof DenseNode
                    || node instanceof PoolingNodes.Pooling || node instanceof PoolingNodes.GlobalPooling
                    || node instanceof PointwiseNodes.ChannelAffine
                    || node instanceof MergeNodes.ElementWise elementWise && elementWise.isSumOrAverage();
        }

        /** {@code R_k = x_k * J_k^T (R / (z + eps * sign(z)))}, with {@code sign(0) = 1}. */
        private List<INDArray> epsilonRule(Node node, INDArray relevance, Map<String, INDArray> forward) {
            INDArray z = forward.get(node.output);
            INDArray sign = z.gte(0.0).castTo(z.dataType()).muli(2.0).subi(1.0);
            INDArray scaled = relevance.divi(sign.muli(epsilon).addi(z));
            List<INDArray> gradients = node.backward(scaled, forward);
            List<INDArray> result = new ArrayList<>(gradients.size());
            for (int k = 0; k < gradients.size(); k++) {
                result.add(gradients.get(k).mul(forward.get(node.inputs.get(k))));
            }
            return result;
        }

        /**
         * The embedded preprocessing: the chain of per-value maps (channel order, per-channel and scalar affine maps)
         * from the model input up to the first other node. Captum explains the model on preprocessed inputs, so the
         * relevance of a pixel is that of its preprocessed value.
         */
        private static Set<String> leadingPerValueMaps(CompiledGraph graph) {
            Set<String> chain = new HashSet<>();
            String variable = LayerInfo.MODEL_INPUT;
            while (true) {
                List<Integer> readers = graph.readersOf(variable);
                if (readers.size() != 1) {
                    return chain;
                }
                Node node = graph.node(readers.get(0));
                if (!(node instanceof PointwiseNodes.ChannelAffine || node instanceof PointwiseNodes.ScalarAffine
                        || node instanceof ShapeNodes.ChannelOrder)) {
                    return chain;
                }
                chain.add(node.output);
                variable = node.output;
            }
        }
    }
}
