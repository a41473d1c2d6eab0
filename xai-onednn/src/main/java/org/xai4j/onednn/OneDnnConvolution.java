package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.spi.ConvolutionGeometry;
import org.xai4j.engine.spi.ConvolutionKernel;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.bytedeco.dnnl.global.dnnl.*;
import static org.xai4j.onednn.OneDnnRuntime.ALLOCATE;
import static org.xai4j.onednn.OneDnnRuntime.addScratchpad;
import static org.xai4j.onednn.OneDnnRuntime.address;
import static org.xai4j.onednn.OneDnnRuntime.arguments;
import static org.xai4j.onednn.OneDnnRuntime.check;
import static org.xai4j.onednn.OneDnnRuntime.contiguous;
import static org.xai4j.onednn.OneDnnRuntime.descriptor;
import static org.xai4j.onednn.OneDnnRuntime.memory;
import static org.xai4j.onednn.OneDnnRuntime.run;

/**
 * One convolution layer as oneDNN primitives on channels-last ({@code nhwc}) float32 arrays: a forward primitive with
 * bias, and a backward-data primitive for the input gradient (no weight gradient is ever computed). The activations
 * stay in ND4J's buffers, which the primitives read and write in place; only the weights are converted, once per
 * format a primitive asks for. Primitives are made per batch size on first use. Calls are serialized; the engine makes
 * them from the model's thread.
 */
final class OneDnnConvolution extends OneDnnKernel<OneDnnConvolution.Primitives> implements ConvolutionKernel {

    private final ConvolutionGeometry geometry;
    private final long[] strides;
    private final long[] dilations;
    private final long[] paddingBefore;
    private final long[] paddingAfter;
    /** The weights as given, {@code [kH, kW, in, out]} ({@code hwio}), in a buffer oneDNN owns. */
    private final dnnl_memory_desc userWeightsDescriptor;
    private final dnnl_memory userWeights;
    private final dnnl_memory_desc biasDescriptor;
    private final dnnl_memory bias;
    private final dnnl_memory_desc anyWeights;
    /** Weights converted to the formats the primitives chose, shared across batch sizes. */
    private final List<dnnl_memory> convertedWeights = new ArrayList<>();
    private final List<dnnl_memory_desc> ownedDescriptors = new ArrayList<>();

    private OneDnnConvolution(ConvolutionGeometry geometry, INDArray weights, INDArray biasValues) {
        super("convolution");
        this.geometry = geometry;
        this.strides = new long[] {geometry.strideY(), geometry.strideX()};
        // oneDNN counts dilation from 0 (no gaps); the engine from 1.
        this.dilations = new long[] {geometry.dilationY() - 1, geometry.dilationX() - 1};
        this.paddingBefore = new long[] {geometry.padTop(), geometry.padLeft()};
        this.paddingAfter = new long[] {geometry.padBottom(), geometry.padRight()};
        long out = geometry.outputChannels();
        long in = geometry.inputChannels();
        userWeightsDescriptor = own(descriptor(dnnl_hwio, out, in, geometry.kernelHeight(), geometry.kernelWidth()));
        userWeights = copyOf(weights, userWeightsDescriptor);
        anyWeights = own(descriptor(dnnl_format_tag_any, out, in, geometry.kernelHeight(), geometry.kernelWidth()));
        if (biasValues == null) {
            biasDescriptor = null;
            bias = null;
        } else {
            biasDescriptor = own(descriptor(dnnl_x, out));
            bias = copyOf(biasValues, biasDescriptor);
        }
    }

    /**
     * The kernel for a layer, or empty when oneDNN would run a reference (unoptimized) implementation for it, as for
     * some single-output-channel layers; ND4J's ops are then the better choice.
     */
    static Optional<ConvolutionKernel> compile(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        requireParameters(geometry, weights, bias);
        OneDnnConvolution kernel = new OneDnnConvolution(geometry, weights, bias);
        return OneDnnKernel.unlessReference(kernel).map(ConvolutionKernel.class::cast);
    }

    /** Refuses weights or a bias that do not fit the geometry, naming what was expected. */
    static void requireParameters(ConvolutionGeometry geometry, INDArray weights, INDArray bias) {
        long[] expected = {geometry.kernelHeight(), geometry.kernelWidth(), geometry.inputChannels(),
                geometry.outputChannels()};
        if (weights.dataType() != DataType.FLOAT || !Arrays.equals(weights.shape(), expected)) {
            throw new IllegalArgumentException("convolution weights " + weights.dataType() + " "
                    + Arrays.toString(weights.shape()) + ": expected FLOAT " + Arrays.toString(expected)
                    + " ([kernelHeight, kernelWidth, in, out]) for " + geometry);
        }
        if (bias != null && (bias.dataType() != DataType.FLOAT || bias.length() != geometry.outputChannels())) {
            throw new IllegalArgumentException("convolution bias " + bias.dataType() + " "
                    + Arrays.toString(bias.shape()) + ": expected FLOAT with " + geometry.outputChannels()
                    + " values for " + geometry);
        }
    }

    @Override List<String> implementationNames(Primitives p) {
        return List.of(p.forwardImplementation, p.backwardImplementation);
    }

    @Override public synchronized void forward(INDArray input, INDArray output) {
        Primitives p = primitives(batchOfCall(geometry, input, output, true));
        execute(p.forward, p.forwardArguments, p.forwardArgumentCount, p.source, input, p.destination, output,
                p.forwardImplementation);
    }

    @Override public synchronized void inputGradient(INDArray gradOutput, INDArray gradInput) {
        Primitives p = primitives(batchOfCall(geometry, gradOutput, gradInput, false));
        execute(p.backward, p.backwardArguments, p.backwardArgumentCount, p.outputGradient, gradOutput,
                p.inputGradient, gradInput, p.backwardImplementation);
    }

    /**
     * Points the primitive's two activation arguments at ND4J's buffers (copying a strided view) and runs it;
     * {@code what} names the primitive's implementation in error messages.
     */
    private void execute(dnnl_primitive primitive, dnnl_exec_arg_t arguments, int argumentCount, dnnl_memory readSlot,
                         INDArray read, dnnl_memory writeSlot, INDArray written, String what) {
        INDArray source = contiguous(read);
        // The messages are built only on failure: this runs for every layer of every pass.
        bind(readSlot, source, 0, what);
        bind(writeSlot, written, 1, what);
        run(primitive, stream, arguments, argumentCount, what);
        // oneDNN holds only the raw address: a temporary copy must outlive the primitive.
        Reference.reachabilityFence(source);
    }

    @Override public synchronized String implementation() {
        if (isClosed()) {
            throw new IllegalStateException("this convolution kernel was closed with its model");
        }
        Primitives any = latestPrimitives();
        return "oneDNN " + OneDnnKernels.version() + " " + any.forwardImplementation + " / "
                + any.backwardImplementation;
    }

    @Override void releaseOwned() {
        convertedWeights.forEach(m -> dnnl_memory_destroy(m));
        convertedWeights.clear();
        dnnl_memory_destroy(userWeights);
        if (bias != null) {
            dnnl_memory_destroy(bias);
        }
        ownedDescriptors.forEach(d -> dnnl_memory_desc_destroy(d));
        ownedDescriptors.clear();
    }

    @Override public String toString() {
        return "OneDnnConvolution[" + geometry + "]";
    }

    @Override Primitives newPrimitives(long n) {
        return new Primitives(n);
    }

    private dnnl_memory_desc own(dnnl_memory_desc descriptor) {
        ownedDescriptors.add(descriptor);
        return descriptor;
    }

    /** A oneDNN-owned copy of a float array, so the kernel never depends on the caller's buffer or workspace. */
    private static dnnl_memory copyOf(INDArray values, dnnl_memory_desc descriptor) {
        INDArray source = contiguous(values);
        dnnl_memory memory = memory(descriptor, ALLOCATE);
        Pointer target = new Pointer();
        check(dnnl_memory_get_data_handle(memory, target), "reading a buffer address");
        Pointer.memcpy(target, new OneDnnRuntime.Address(address(source)), source.length() * Float.BYTES);
        return memory;
    }

    /** The weights in {@code format}, converted on first request. */
    private dnnl_memory weightsIn(dnnl_memory_desc format) {
        if (dnnl_memory_desc_equal(format, userWeightsDescriptor) != 0) {
            return userWeights;
        }
        for (dnnl_memory converted : convertedWeights) {
            dnnl_memory_desc have = new dnnl_memory_desc();
            check(dnnl_memory_get_memory_desc(converted, have), "reading a weights format");
            if (dnnl_memory_desc_equal(format, have) != 0) {
                return converted;
            }
        }
        dnnl_memory converted = memory(format, ALLOCATE);
        dnnl_primitive_desc reorderDescriptor = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(reorderDescriptor, userWeightsDescriptor, OneDnnRuntime.engine(),
                format, OneDnnRuntime.engine(), null), "describing the weights conversion");
        dnnl_primitive reorder = new dnnl_primitive();
        check(dnnl_primitive_create(reorder, reorderDescriptor), "creating the weights conversion");
        dnnl_exec_arg_t arguments = arguments(List.of(DNNL_ARG_FROM, DNNL_ARG_TO), List.of(userWeights, converted));
        check(dnnl_primitive_execute(reorder, stream, 2, arguments), "converting the weights");
        check(dnnl_stream_wait(stream), "waiting for the weights conversion");
        dnnl_primitive_destroy(reorder);
        dnnl_primitive_desc_destroy(reorderDescriptor);
        arguments.close();
        convertedWeights.add(converted);
        return converted;
    }

    /**
     * Refuses the arrays of a forward call ({@code read} the input, {@code written} the output) or an input-gradient
     * call ({@code read} the output gradient, {@code written} the input gradient) that do not fit the geometry;
     * returns the batch size.
     */
    static long batchOfCall(ConvolutionGeometry g, INDArray read, INDArray written, boolean forward) {
        if (forward) {
            long n = batchOf(read, "input", g.inputHeight(), g.inputWidth(), g.inputChannels());
            requireShape(written, "output", n, g.outputHeight(), g.outputWidth(), g.outputChannels());
            return n;
        }
        long n = batchOf(read, "output gradient", g.outputHeight(), g.outputWidth(), g.outputChannels());
        requireShape(written, "input gradient", n, g.inputHeight(), g.inputWidth(), g.inputChannels());
        return n;
    }

    private static long batchOf(INDArray array, String what, long height, long width, long channels) {
        long[] shape = array.shape();
        if (array.dataType() != DataType.FLOAT || shape.length != 4 || shape[1] != height || shape[2] != width
                || shape[3] != channels) {
            throw new IllegalArgumentException("convolution " + what + " " + array.dataType() + " "
                    + Arrays.toString(shape) + ": expected FLOAT [n, " + height + ", " + width + ", " + channels + "]");
        }
        return shape[0];
    }

    private static void requireShape(INDArray array, String what, long n, long height, long width, long channels) {
        long[] expected = {n, height, width, channels};
        if (array.dataType() != DataType.FLOAT || !Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException("convolution " + what + " " + array.dataType() + " "
                    + Arrays.toString(array.shape()) + ": expected FLOAT " + Arrays.toString(expected));
        }
        OneDnnRuntime.requireDense(array, "convolution " + what);
    }

    /** The forward and backward-data primitives for one batch size, with their arguments bound. */
    final class Primitives implements PrimitiveCache.Primitives {
        /** This batch size's channels-last input and output descriptors. */
        final dnnl_memory_desc activations;
        final dnnl_memory_desc results;
        final dnnl_primitive_desc forwardDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive_desc backwardDescriptor = new dnnl_primitive_desc();
        final dnnl_primitive forward = new dnnl_primitive();
        final dnnl_primitive backward = new dnnl_primitive();
        final String forwardImplementation;
        final String backwardImplementation;
        final dnnl_memory source;
        final dnnl_memory destination;
        final dnnl_memory outputGradient;
        final dnnl_memory inputGradient;
        final List<dnnl_memory> scratchpads = new ArrayList<>();
        final dnnl_exec_arg_t forwardArguments;
        final int forwardArgumentCount;
        final dnnl_exec_arg_t backwardArguments;
        final int backwardArgumentCount;

        Primitives(long n) {
            activations = descriptor(dnnl_nhwc, n, geometry.inputChannels(),
                    geometry.inputHeight(), geometry.inputWidth());
            results = descriptor(dnnl_nhwc, n, geometry.outputChannels(),
                    geometry.outputHeight(), geometry.outputWidth());
            dnnl_primitive_attr attributes = OneDnnRuntime.userScratchpad();
            try {
                check(dnnl_convolution_forward_primitive_desc_create(forwardDescriptor, OneDnnRuntime.engine(),
                        dnnl_forward_training, dnnl_convolution_direct, activations, anyWeights, biasDescriptor,
                        results, strides, dilations, paddingBefore, paddingAfter, attributes),
                        "describing the forward convolution " + geometry);
                check(dnnl_convolution_backward_data_primitive_desc_create(backwardDescriptor, OneDnnRuntime.engine(),
                        dnnl_convolution_direct, activations, anyWeights, results, strides, dilations, paddingBefore,
                        paddingAfter, forwardDescriptor, attributes),
                        "describing the backward-data convolution " + geometry);
            } finally {
                dnnl_primitive_attr_destroy(attributes);
            }
            forwardImplementation = OneDnnRuntime.implementation(forwardDescriptor);
            backwardImplementation = OneDnnRuntime.implementation(backwardDescriptor);
            check(dnnl_primitive_create(forward, forwardDescriptor), "creating the forward convolution");
            check(dnnl_primitive_create(backward, backwardDescriptor), "creating the backward-data convolution");
            source = memory(activations, null);
            destination = memory(results, null);
            outputGradient = memory(results, null);
            inputGradient = memory(activations, null);

            List<Integer> keys = new ArrayList<>(List.of(DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST));
            List<dnnl_memory> values = new ArrayList<>(List.of(source,
                    weightsIn(dnnl_primitive_desc_query_md(forwardDescriptor, dnnl_query_weights_md, 0)),
                    destination));
            if (bias != null) {
                keys.add(DNNL_ARG_BIAS);
                values.add(bias);
            }
            addScratchpad(forwardDescriptor, keys, values, scratchpads);
            forwardArgumentCount = keys.size();
            forwardArguments = arguments(keys, values);

            keys = new ArrayList<>(List.of(DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC));
            values = new ArrayList<>(List.of(outputGradient,
                    weightsIn(dnnl_primitive_desc_query_md(backwardDescriptor, dnnl_query_weights_md, 0)),
                    inputGradient));
            addScratchpad(backwardDescriptor, keys, values, scratchpads);
            backwardArgumentCount = keys.size();
            backwardArguments = arguments(keys, values);
        }


        @Override public void destroy() {
            dnnl_primitive_destroy(forward);
            dnnl_primitive_destroy(backward);
            for (dnnl_memory m : List.of(source, destination, outputGradient, inputGradient)) {
                dnnl_memory_destroy(m);
            }
            scratchpads.forEach(m -> dnnl_memory_destroy(m));
            dnnl_primitive_desc_destroy(forwardDescriptor);
            dnnl_primitive_desc_destroy(backwardDescriptor);
            dnnl_memory_desc_destroy(activations);
            dnnl_memory_desc_destroy(results);
            forwardArguments.close();
            backwardArguments.close();
        }
    }
}
