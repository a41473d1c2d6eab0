package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.spi.ActivationKernel;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.bytedeco.dnnl.global.dnnl.*;
import static org.xai4j.onednn.OneDnnRuntime.addScratchpad;
import static org.xai4j.onednn.OneDnnRuntime.address;
import static org.xai4j.onednn.OneDnnRuntime.arguments;
import static org.xai4j.onednn.OneDnnRuntime.check;
import static org.xai4j.onednn.OneDnnRuntime.contiguous;
import static org.xai4j.onednn.OneDnnRuntime.descriptor;
import static org.xai4j.onednn.OneDnnRuntime.memory;
import static org.xai4j.onednn.OneDnnRuntime.primitive;
import static org.xai4j.onednn.OneDnnRuntime.run;

/**
 * One element-wise activation as oneDNN eltwise primitives, forward and backward, over a batch viewed as
 * {@code [n, values per example]} (element-wise maps do not care about the layout). The backward primitive uses the
 * {@code use_dst_for_bwd} algorithms: the derivative comes from the forward output, which the engine keeps for these
 * functions. Both run in place when given the same array twice. Calls are serialized; the engine makes them from the
 * model's thread.
 */
final class OneDnnActivation extends OneDnnKernel<OneDnnActivation.Primitives> implements ActivationKernel {

    private final ActivationFunction function;
    private final long[] exampleShape;
    private final long valuesPerExample;
    private final int algorithm;
    private final float alpha;
    private final float beta;

    private OneDnnActivation(ActivationFunction function, long[] exampleShape, int algorithm, float alpha,
                             float beta) {
        super(function + " activation");
        this.function = function;
        this.exampleShape = exampleShape.clone();
        long values = 1;
        for (long d : exampleShape) {
            values *= d;
        }
        this.valuesPerExample = values;
        this.algorithm = algorithm;
        this.alpha = alpha;
        this.beta = beta;
    }

    /**
     * The kernel for {@code function}, or empty for the functions whose derivative the output does not determine
     * alone, or that oneDNN would run with a reference implementation.
     */
    static Optional<ActivationKernel> compile(ActivationFunction function, double alpha, long[] exampleShape) {
        if (exampleShape.length == 0 || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("activation example shape " + Arrays.toString(exampleShape)
                    + ": expected at least one axis, every size at least 1");
        }
        // oneDNN's alpha and beta per algorithm: relu's negative slope, clip's bounds; unused by tanh and logistic.
        OneDnnActivation kernel = switch (function) {
            case RELU -> new OneDnnActivation(function, exampleShape, dnnl_eltwise_relu_use_dst_for_bwd, 0f, 0f);
            case RELU6 -> new OneDnnActivation(function, exampleShape, dnnl_eltwise_clip_v2_use_dst_for_bwd, 0f, 6f);
            case TANH -> new OneDnnActivation(function, exampleShape, dnnl_eltwise_tanh_use_dst_for_bwd, 0f, 0f);
            case SIGMOID -> new OneDnnActivation(function, exampleShape, dnnl_eltwise_logistic_use_dst_for_bwd, 0f, 0f);
            default -> null;
        };
        if (kernel == null) {
            return Optional.empty();
        }
        return OneDnnKernel.unlessReference(kernel).map(ActivationKernel.class::cast);
    }

    @Override List<String> implementationNames(Primitives p) {
        return List.of(p.forwardImplementation, p.backwardImplementation);
    }

    @Override public synchronized void forward(INDArray input, INDArray output) {
        long n = batchOf(input, "input");
        requireWritable(output, "output", n);
        Primitives p = primitives(n);
        INDArray source = contiguous(input);
        bind(p.source, source, 0, p.forwardImplementation);
        bind(p.destination, output, 1, p.forwardImplementation);
        run(p.forward, stream, p.forwardArguments, p.forwardArgumentCount, p.forwardImplementation);
        Reference.reachabilityFence(source);
    }

    @Override public synchronized void inputGradient(INDArray output, INDArray gradOutput, INDArray gradInput) {
        long n = batchOf(output, "forward output");
        if (batchOf(gradOutput, "output gradient") != n) {
            throw new IllegalArgumentException("activation output gradient for " + gradOutput.size(0)
                    + " examples: expected " + n + ", the forward output's batch size");
        }
        requireWritable(gradInput, "input gradient", n);
        Primitives p = primitives(n);
        INDArray value = contiguous(output);
        INDArray gradient = contiguous(gradOutput);
        bind(p.value, value, 0, p.backwardImplementation);
        bind(p.outputGradient, gradient, 1, p.backwardImplementation);
        bind(p.inputGradient, gradInput, 2, p.backwardImplementation);
        run(p.backward, stream, p.backwardArguments, p.backwardArgumentCount, p.backwardImplementation);
        Reference.reachabilityFence(value);
        Reference.reachabilityFence(gradient);
    }

    @Override public synchronized String implementation() {
        if (isClosed()) {
            return "oneDNN " + function + " (closed)";
        }
        Primitives any = latestPrimitives();
        return "oneDNN " + OneDnnKernels.version() + " " + any.forwardImplementation + " / "
                + any.backwardImplementation;
    }

    @Override public String toString() {
        return "OneDnnActivation[" + function + " on " + Arrays.toString(exampleShape) + "]";
    }

    @Override Primitives newPrimitives(long n) {
        return new Primitives(n);
    }

    private long batchOf(INDArray array, String what) {
        long[] shape = array.shape();
        if (array.dataType() != DataType.FLOAT || shape.length != exampleShape.length + 1
                || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), exampleShape)) {
            throw new IllegalArgumentException(function + " " + what + " " + array.dataType() + " "
                    + Arrays.toString(shape) + ": expected FLOAT [n, " + Arrays.toString(exampleShape)
                    .replaceAll("[\\[\\]]", "") + "]");
        }
        return shape[0];
    }

    private void requireWritable(INDArray array, String what, long n) {
        batchOf(array, what);
        if (array.size(0) != n) {
            throw new IllegalArgumentException(function + " " + what + " for " + array.size(0) + " examples: expected "
                    + n);
        }
        OneDnnRuntime.requireDense(array, function + " " + what);
    }

    /** One batch size's forward and backward primitives. */
    final class Primitives implements PrimitiveCache.Primitives {
        final dnnl_memory_desc values;
        final dnnl_primitive_desc forwardDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive_desc backwardDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive forward;
        final dnnl_primitive backward;
        final String forwardImplementation;
        final String backwardImplementation;
        final dnnl_memory source;
        final dnnl_memory destination;
        final dnnl_memory value;
        final dnnl_memory outputGradient;
        final dnnl_memory inputGradient;
        final List<dnnl_memory> scratchpads = new ArrayList<>();
        final dnnl_exec_arg_t forwardArguments;
        final int forwardArgumentCount;
        final dnnl_exec_arg_t backwardArguments;
        final int backwardArgumentCount;

        Primitives(long n) {
            values = descriptor(dnnl_ab, n, valuesPerExample);
            dnnl_primitive_attr attributes = OneDnnRuntime.userScratchpad();
            try {
                check(dnnl_eltwise_forward_primitive_desc_create(forwardDescriptor, OneDnnRuntime.engine(),
                        dnnl_forward_training, algorithm, values, values, alpha, beta, attributes),
                        "describing the " + function + " activation");
                check(dnnl_eltwise_backward_primitive_desc_create(backwardDescriptor, OneDnnRuntime.engine(),
                        algorithm, values, values, values, alpha, beta, forwardDescriptor, attributes),
                        "describing the " + function + " activation's backward pass");
            } finally {
                dnnl_primitive_attr_destroy(attributes);
            }
            forwardImplementation = OneDnnRuntime.implementation(forwardDescriptor);
            backwardImplementation = OneDnnRuntime.implementation(backwardDescriptor);
            forward = primitive(forwardDescriptor, "forward activation");
            backward = primitive(backwardDescriptor, "backward activation");
            source = memory(values, null);
            destination = memory(values, null);
            value = memory(values, null);
            outputGradient = memory(values, null);
            inputGradient = memory(values, null);

            List<Integer> keys = new ArrayList<>(List.of(DNNL_ARG_SRC, DNNL_ARG_DST));
            List<dnnl_memory> memories = new ArrayList<>(List.of(source, destination));
            addScratchpad(forwardDescriptor, keys, memories, scratchpads);
            forwardArgumentCount = keys.size();
            forwardArguments = arguments(keys, memories);

            keys = new ArrayList<>(List.of(DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC));
            memories = new ArrayList<>(List.of(value, outputGradient, inputGradient));
            addScratchpad(backwardDescriptor, keys, memories, scratchpads);
            backwardArgumentCount = keys.size();
            backwardArguments = arguments(keys, memories);
        }


        @Override public void destroy() {
            dnnl_primitive_destroy(forward);
            dnnl_primitive_destroy(backward);
            for (dnnl_memory m : List.of(source, destination, value, outputGradient, inputGradient)) {
                dnnl_memory_destroy(m);
            }
            scratchpads.forEach(m -> dnnl_memory_destroy(m));
            dnnl_primitive_desc_destroy(forwardDescriptor);
            dnnl_primitive_desc_destroy(backwardDescriptor);
            dnnl_memory_desc_destroy(values);
            forwardArguments.close();
            backwardArguments.close();
        }
    }
}
