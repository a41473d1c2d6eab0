package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.spi.PoolingGeometry;
import org.xai4j.engine.spi.PoolingKernel;

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
 * One windowed pooling layer as oneDNN pooling primitives on channels-last ({@code nhwc}) float32 arrays, read and
 * written in place in ND4J's buffers. Max pooling's backward pass needs the workspace where the forward pass records
 * each window's maximum; the input gradient recomputes it with a training forward pass on the kept input (about a
 * third of the backward pass's time), so the kernel holds no state between calls and a gradient is never taken from
 * another call's maxima. The workspace and that forward output live in ND4J arrays, in the caller's memory workspace
 * when one is open. Calls are serialized; the engine makes them from the model's thread.
 */
final class OneDnnPooling extends OneDnnKernel<OneDnnPooling.Primitives> implements PoolingKernel {

    private final PoolingGeometry geometry;
    private final int algorithm;
    private final long[] strides;
    private final long[] kernel;
    private final long[] dilations = {0, 0};
    private final long[] paddingBefore;
    private final long[] paddingAfter;

    private OneDnnPooling(PoolingGeometry geometry) {
        super("pooling");
        this.geometry = geometry;
        this.algorithm = switch (geometry.mode()) {
            case MAX -> dnnl_pooling_max;
            case AVERAGE_EXCLUDING_PADDING -> dnnl_pooling_avg_exclude_padding;
            case AVERAGE_INCLUDING_PADDING -> dnnl_pooling_avg_include_padding;
        };
        this.strides = new long[] {geometry.strideY(), geometry.strideX()};
        this.kernel = new long[] {geometry.kernelHeight(), geometry.kernelWidth()};
        this.paddingBefore = new long[] {geometry.padTop(), geometry.padLeft()};
        this.paddingAfter = new long[] {geometry.padBottom(), geometry.padRight()};
    }

    /** The kernel for a layer, or empty when oneDNN would run a reference (unoptimized) implementation for it. */
    static Optional<PoolingKernel> compile(PoolingGeometry geometry) {
        OneDnnPooling pooling = new OneDnnPooling(geometry);
        return OneDnnKernel.unlessReference(pooling).map(PoolingKernel.class::cast);
    }

    @Override List<String> implementationNames(Primitives p) {
        return List.of(p.inferenceImplementation, p.trainingImplementation, p.backwardImplementation);
    }

    @Override public synchronized void forward(INDArray input, INDArray output) {
        long n = batchOf(input, "input", geometry.inputHeight(), geometry.inputWidth());
        requireWritable(output, "output", n, geometry.outputHeight(), geometry.outputWidth());
        Primitives p = primitives(n);
        INDArray source = contiguous(input);
        bind(p.source, source, 0, p.inferenceImplementation);
        bind(p.destination, output, 1, p.inferenceImplementation);
        run(p.inference, stream, p.inferenceArguments, p.inferenceArgumentCount, p.inferenceImplementation);
        Reference.reachabilityFence(source);
    }

    @Override public synchronized void inputGradient(INDArray input, INDArray gradOutput, INDArray gradInput) {
        long n = batchOf(input, "input", geometry.inputHeight(), geometry.inputWidth());
        long gradN = batchOf(gradOutput, "output gradient", geometry.outputHeight(), geometry.outputWidth());
        if (gradN != n) {
            throw new IllegalArgumentException("pooling output gradient for " + gradN + " examples: expected " + n
                    + ", the input's batch size");
        }
        requireWritable(gradInput, "input gradient", n, geometry.inputHeight(), geometry.inputWidth());
        Primitives p = primitives(n);
        INDArray source = contiguous(input);
        INDArray pooled = null;
        INDArray workspace = null;
        if (p.training != null) {
            // Where each window's maximum is: a training forward pass into scratch arrays.
            pooled = Nd4j.createUninitialized(DataType.FLOAT, n, geometry.outputHeight(), geometry.outputWidth(),
                    geometry.channels());
            workspace = Nd4j.createUninitialized(DataType.INT8, p.workspaceBytes);
            bind(p.source, source, 0, p.trainingImplementation);
            bind(p.destination, pooled, 1, p.trainingImplementation);
            bind(p.workspace, workspace, 2, p.trainingImplementation);
            run(p.training, stream, p.trainingArguments, p.trainingArgumentCount, p.trainingImplementation);
        }
        INDArray gradient = contiguous(gradOutput);
        bind(p.outputGradient, gradient, 0, p.backwardImplementation);
        bind(p.inputGradient, gradInput, 1, p.backwardImplementation);
        run(p.backward, stream, p.backwardArguments, p.backwardArgumentCount, p.backwardImplementation);
        // oneDNN holds only raw addresses: the arrays (some of them temporary copies) must outlive the primitives.
        Reference.reachabilityFence(source);
        Reference.reachabilityFence(pooled);
        Reference.reachabilityFence(workspace);
        Reference.reachabilityFence(gradient);
    }

    @Override public synchronized String implementation() {
        if (isClosed()) {
            return "oneDNN " + geometry.mode() + " pooling (closed)";
        }
        Primitives any = latestPrimitives();
        return "oneDNN " + OneDnnKernels.version() + " " + any.inferenceImplementation + " / "
                + any.backwardImplementation;
    }

    @Override public String toString() {
        return "OneDnnPooling[" + geometry + "]";
    }

    @Override Primitives newPrimitives(long n) {
        return new Primitives(n);
    }

    private long batchOf(INDArray array, String what, long height, long width) {
        long[] shape = array.shape();
        if (array.dataType() != DataType.FLOAT || shape.length != 4 || shape[1] != height || shape[2] != width
                || shape[3] != geometry.channels()) {
            throw new IllegalArgumentException("pooling " + what + " " + array.dataType() + " "
                    + Arrays.toString(shape) + ": expected FLOAT [n, " + height + ", " + width + ", "
                    + geometry.channels() + "] for " + geometry);
        }
        return shape[0];
    }

    private void requireWritable(INDArray array, String what, long n, long height, long width) {
        long[] expected = {n, height, width, geometry.channels()};
        if (array.dataType() != DataType.FLOAT || !Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException("pooling " + what + " " + array.dataType() + " "
                    + Arrays.toString(array.shape()) + ": expected FLOAT " + Arrays.toString(expected));
        }
        OneDnnRuntime.requireDense(array, "pooling " + what);
    }

    /**
     * One batch size's primitives: inference forward (no workspace), and for max pooling the training forward that
     * records the maxima; the backward primitive.
     */
    final class Primitives implements PrimitiveCache.Primitives {
        final dnnl_memory_desc activations;
        final dnnl_memory_desc results;
        final dnnl_primitive_desc inferenceDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive_desc trainingDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive_desc backwardDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive inference;
        final dnnl_primitive training;
        final dnnl_primitive backward;
        final String inferenceImplementation;
        final String trainingImplementation;
        final String backwardImplementation;
        final long workspaceBytes;
        final dnnl_memory source;
        final dnnl_memory destination;
        final dnnl_memory workspace;
        final dnnl_memory outputGradient;
        final dnnl_memory inputGradient;
        final List<dnnl_memory> scratchpads = new ArrayList<>();
        final dnnl_exec_arg_t inferenceArguments;
        final int inferenceArgumentCount;
        final dnnl_exec_arg_t trainingArguments;
        final int trainingArgumentCount;
        final dnnl_exec_arg_t backwardArguments;
        final int backwardArgumentCount;

        Primitives(long n) {
            activations = descriptor(dnnl_nhwc, n, geometry.channels(), geometry.inputHeight(), geometry.inputWidth());
            results = descriptor(dnnl_nhwc, n, geometry.channels(), geometry.outputHeight(), geometry.outputWidth());
            boolean max = geometry.mode() == PoolingGeometry.Mode.MAX;
            dnnl_primitive_attr attributes = OneDnnRuntime.userScratchpad();
            try {
                check(dnnl_pooling_forward_primitive_desc_create(inferenceDescriptor, OneDnnRuntime.engine(),
                        dnnl_forward_inference, algorithm, activations, results, strides, kernel, dilations,
                        paddingBefore, paddingAfter, attributes), "describing the pooling " + geometry);
                // The backward primitive's hint: the training forward pass, whose workspace it reads for max pooling.
                check(dnnl_pooling_forward_primitive_desc_create(trainingDescriptor, OneDnnRuntime.engine(),
                        dnnl_forward_training, algorithm, activations, results, strides, kernel, dilations,
                        paddingBefore, paddingAfter, attributes), "describing the training pooling " + geometry);
                check(dnnl_pooling_backward_primitive_desc_create(backwardDescriptor, OneDnnRuntime.engine(),
                        algorithm, activations, results, strides, kernel, dilations, paddingBefore, paddingAfter,
                        trainingDescriptor, attributes), "describing the backward pooling " + geometry);
            } finally {
                dnnl_primitive_attr_destroy(attributes);
            }
            inferenceImplementation = OneDnnRuntime.implementation(inferenceDescriptor);
            trainingImplementation = OneDnnRuntime.implementation(trainingDescriptor);
            backwardImplementation = OneDnnRuntime.implementation(backwardDescriptor);
            dnnl_memory_desc workspaceDescriptor = dnnl_primitive_desc_query_md(trainingDescriptor,
                    dnnl_query_workspace_md, 0);
            workspaceBytes = max ? dnnl_memory_desc_get_size(workspaceDescriptor) : 0;
            inference = primitive(inferenceDescriptor, "forward pooling");
            training = max ? primitive(trainingDescriptor, "training pooling") : null;
            backward = primitive(backwardDescriptor, "backward pooling");
            source = memory(activations, null);
            destination = memory(results, null);
            workspace = max ? memory(workspaceDescriptor, null) : null;
            outputGradient = memory(results, null);
            inputGradient = memory(activations, null);

            List<Integer> keys = new ArrayList<>(List.of(DNNL_ARG_SRC, DNNL_ARG_DST));
            List<dnnl_memory> values = new ArrayList<>(List.of(source, destination));
            addScratchpad(inferenceDescriptor, keys, values, scratchpads);
            inferenceArgumentCount = keys.size();
            inferenceArguments = arguments(keys, values);

            keys = new ArrayList<>(List.of(DNNL_ARG_SRC, DNNL_ARG_DST));
            values = new ArrayList<>(List.of(source, destination));
            if (max) {
                keys.add(DNNL_ARG_WORKSPACE);
                values.add(workspace);
                addScratchpad(trainingDescriptor, keys, values, scratchpads);
            }
            trainingArgumentCount = keys.size();
            trainingArguments = max ? arguments(keys, values) : null;

            keys = new ArrayList<>(List.of(DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC));
            values = new ArrayList<>(List.of(outputGradient, inputGradient));
            if (max) {
                keys.add(DNNL_ARG_WORKSPACE);
                values.add(workspace);
            }
            addScratchpad(backwardDescriptor, keys, values, scratchpads);
            backwardArgumentCount = keys.size();
            backwardArguments = arguments(keys, values);
        }


        @Override public void destroy() {
            dnnl_primitive_destroy(inference);
            if (training != null) {
                dnnl_primitive_destroy(training);
                dnnl_memory_destroy(workspace);
                trainingArguments.close();
            }
            dnnl_primitive_destroy(backward);
            for (dnnl_memory m : List.of(source, destination, outputGradient, inputGradient)) {
                dnnl_memory_destroy(m);
            }
            scratchpads.forEach(m -> dnnl_memory_destroy(m));
            dnnl_primitive_desc_destroy(inferenceDescriptor);
            dnnl_primitive_desc_destroy(trainingDescriptor);
            dnnl_primitive_desc_destroy(backwardDescriptor);
            dnnl_memory_desc_destroy(activations);
            dnnl_memory_desc_destroy(results);
            inferenceArguments.close();
            backwardArguments.close();
        }
    }
}
