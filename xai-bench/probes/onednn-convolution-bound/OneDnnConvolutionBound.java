import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * How fast can the convolutions of a network's forward pass plus input gradient possibly run on this CPU? This probe
 * times oneDNN 3.6's convolution primitives (forward and backward-data, the two halves of an input gradient) for
 * every convolution of VGG16 or ResNet-50, with no other operation and no layout conversion counted, in two layouts:
 * channels last ({@code nhwc}, the layout xai4j's engine keeps) and the layout oneDNN prefers ({@code any}, 8- or
 * 16-channel blocks). The sum of the per-layer minimum is a lower bound on the convolution time of any
 * implementation built on oneDNN's direct convolutions, which is what both ND4J and PyTorch use on CPUs.
 *
 * <p>It is not part of the build: it needs {@code org.bytedeco:dnnl}, which the library does not depend on. Run it
 * with {@code run.sh}; {@code ONEDNN_MAX_CPU_ISA=AVX2} caps the instruction set as the side-by-side harness does.
 */
public final class OneDnnConvolutionBound {

    /** {@code DNNL_MEMORY_ALLOCATE}: a (void *) -1 handle asks oneDNN to allocate the buffer. */
    private static final Pointer ALLOCATE = new Pointer() {
        {
            address = -1L;
        }
    };

    /** One convolution: input size and channels, output channels, square kernel, stride and padding. */
    record Convolution(int size, int in, int out, int kernel, int stride, int padding) {
        int outSize() {
            return (size + 2 * padding - kernel) / stride + 1;
        }

        double macsPerImage() {
            return (double) outSize() * outSize() * out * in * kernel * kernel;
        }
    }

    static List<Convolution> vgg16() {
        List<Convolution> layers = new ArrayList<>();
        int[][] blocks = {{224, 64, 2}, {112, 128, 2}, {56, 256, 3}, {28, 512, 3}, {14, 512, 3}};
        int channels = 3;
        for (int[] block : blocks) {
            for (int i = 0; i < block[2]; i++) {
                layers.add(new Convolution(block[0], channels, block[1], 3, 1, 1));
                channels = block[1];
            }
        }
        return layers;
    }

    /** torchvision's ResNet-50 (v1.5: the stride sits on the bottleneck's 3x3 convolution). */
    static List<Convolution> resnet50() {
        List<Convolution> layers = new ArrayList<>();
        layers.add(new Convolution(224, 3, 64, 7, 2, 3));
        int size = 56;
        int channels = 64;
        int[][] stages = {{64, 3, 1}, {128, 4, 2}, {256, 6, 2}, {512, 3, 2}};
        for (int[] stage : stages) {
            int width = stage[0];
            for (int block = 0; block < stage[1]; block++) {
                int stride = block == 0 ? stage[2] : 1;
                layers.add(new Convolution(size, channels, width, 1, 1, 0));
                layers.add(new Convolution(size, width, width, 3, stride, 1));
                int outSize = (size + 2 - 3) / stride + 1;
                layers.add(new Convolution(outSize, width, 4 * width, 1, 1, 0));
                if (block == 0) {
                    layers.add(new Convolution(size, channels, 4 * width, 1, stride, 0));
                }
                size = outSize;
                channels = 4 * width;
            }
        }
        return layers;
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException(what + " failed with oneDNN status " + status);
        }
    }

    private static dnnl_memory_desc descriptor(int tag, long... dims) {
        dnnl_memory_desc descriptor = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(descriptor, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return descriptor;
    }

    private static dnnl_memory memory(dnnl_primitive_desc pd, int query, dnnl_engine engine) {
        return memory(pd, query, 0, engine);
    }

    /** A buffer for argument {@code query} number {@code index} (the bias is weights number 1). */
    private static dnnl_memory memory(dnnl_primitive_desc pd, int query, int index, dnnl_engine engine) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl_memory_create(memory, dnnl_primitive_desc_query_md(pd, query, index), engine, ALLOCATE), "memory");
        return memory;
    }

    private static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<?> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "implementation query");
        return new BytePointer(name.get(0)).getString();
    }

    /** A primitive and its arguments, run {@code reps} times; returns milliseconds per run. */
    private static double time(dnnl_primitive_desc pd, dnnl_stream stream, int reps, int[] keys, dnnl_memory[] values) {
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl_primitive_create(primitive, pd), "primitive");
        dnnl_exec_arg_t arguments = new dnnl_exec_arg_t(keys.length);
        for (int i = 0; i < keys.length; i++) {
            arguments.position(i).arg(keys[i]).memory(values[i]);
        }
        arguments.position(0);
        check(dnnl_primitive_execute(primitive, stream, keys.length, arguments), "warm-up");
        check(dnnl_stream_wait(stream), "wait");
        long start = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            check(dnnl_primitive_execute(primitive, stream, keys.length, arguments), "execute");
        }
        check(dnnl_stream_wait(stream), "wait");
        double millis = (System.nanoTime() - start) / 1e6 / reps;
        dnnl_primitive_destroy(primitive);
        return millis;
    }

    /** {forward ms, backward-data ms, forward implementation, backward implementation} for one layer and layout. */
    static Object[] measure(Convolution c, int batch, int layoutTag, int algorithm, dnnl_engine engine,
                            dnnl_stream stream, int reps) {
        dnnl_memory_desc src = descriptor(layoutTag, batch, c.in(), c.size(), c.size());
        dnnl_memory_desc dst = descriptor(layoutTag, batch, c.out(), c.outSize(), c.outSize());
        dnnl_memory_desc weights = descriptor(dnnl_format_tag_any, c.out(), c.in(), c.kernel(), c.kernel());
        dnnl_memory_desc bias = descriptor(dnnl_x, c.out());
        long[] strides = {c.stride(), c.stride()};
        long[] dilation = {0, 0};
        long[] padding = {c.padding(), c.padding()};
        long[] paddingEnd = {(long) (c.outSize() - 1) * c.stride() + c.kernel() - c.size() - c.padding(),
                (long) (c.outSize() - 1) * c.stride() + c.kernel() - c.size() - c.padding()};
        dnnl_primitive_desc forward = new dnnl_primitive_desc();
        int status = dnnl_convolution_forward_primitive_desc_create(forward, engine, dnnl_forward_training, algorithm,
                src, weights, bias, dst, strides, dilation, padding, paddingEnd, null);
        if (status != dnnl_success) {
            return null;
        }
        dnnl_primitive_desc backward = new dnnl_primitive_desc();
        check(dnnl_convolution_backward_data_primitive_desc_create(backward, engine, algorithm, src, weights, dst,
                strides, dilation, padding, paddingEnd, forward, null), "backward-data descriptor");
        double forwardMillis = time(forward, stream, reps,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                new dnnl_memory[] {memory(forward, dnnl_query_src_md, engine),
                        memory(forward, dnnl_query_weights_md, engine), memory(forward, dnnl_query_weights_md, 1, engine),
                        memory(forward, dnnl_query_dst_md, engine)});
        double backwardMillis = time(backward, stream, reps,
                new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                new dnnl_memory[] {memory(backward, dnnl_query_diff_dst_md, engine),
                        memory(backward, dnnl_query_weights_md, engine),
                        memory(backward, dnnl_query_diff_src_md, engine)});
        return new Object[] {forwardMillis, backwardMillis, implementation(forward), implementation(backward)};
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: OneDnnConvolutionBound vgg16|resnet50 BATCH REPEATS");
        }
        List<Convolution> layers = switch (args[0]) {
            case "vgg16" -> vgg16();
            case "resnet50" -> resnet50();
            default -> throw new IllegalArgumentException("network '" + args[0] + "': expected vgg16 or resnet50");
        };
        int batch = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        dnnl_engine engine = new dnnl_engine();
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");

        Object[] winograd = measure(layers.get(1), 1, dnnl_format_tag_any, dnnl_convolution_winograd, engine, stream, 1);
        System.out.println("oneDNN " + dnnl_version().major() + "." + dnnl_version().minor() + "."
                + dnnl_version().patch() + ", ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA")
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", Winograd convolution: "
                + (winograd == null ? "not available" : "available (" + winograd[2] + ")"));
        System.out.printf(Locale.ROOT, "%s, batch %d, %d timed runs per primitive; milliseconds per image%n",
                args[0], batch, reps);
        System.out.println("| layer | channels last fwd | bwd-data | oneDNN's layout fwd | bwd-data | best fwd + bwd | implementations (channels last; oneDNN's layout) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        double[] totals = new double[5];
        double macs = 0;
        for (Convolution c : layers) {
            Object[] last = measure(c, batch, dnnl_nhwc, dnnl_convolution_direct, engine, stream, reps);
            Object[] any = measure(c, batch, dnnl_format_tag_any, dnnl_convolution_direct, engine, stream, reps);
            double[] ms = {(double) last[0] / batch, (double) last[1] / batch, (double) any[0] / batch,
                    (double) any[1] / batch};
            double best = Math.min(ms[0], ms[2]) + Math.min(ms[1], ms[3]);
            for (int i = 0; i < 4; i++) {
                totals[i] += ms[i];
            }
            totals[4] += best;
            macs += 2 * c.macsPerImage();
            System.out.printf(Locale.ROOT, "| %dx%d s%d, %d->%d at %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s, %s; %s, %s |%n",
                    c.kernel(), c.kernel(), c.stride(), c.in(), c.out(), c.size(), ms[0], ms[1], ms[2], ms[3], best,
                    last[2], last[3], any[2], any[3]);
        }
        System.out.printf(Locale.ROOT, "| **total** | %.1f | %.1f | %.1f | %.1f | **%.1f** | |%n",
                totals[0], totals[1], totals[2], totals[3], totals[4]);
        System.out.printf(Locale.ROOT, "%.2f GMAC per image (forward + backward-data); channels last %.1f ms/img "
                        + "(%.0f GFLOP/s), oneDNN's layout %.1f ms/img (%.0f GFLOP/s), best per layer %.1f ms/img "
                        + "(%.0f GFLOP/s)%n", macs / 1e9, totals[0] + totals[1], 2 * macs / (totals[0] + totals[1]) / 1e6,
                totals[2] + totals[3], 2 * macs / (totals[2] + totals[3]) / 1e6, totals[4], 2 * macs / totals[4] / 1e6);
    }
}
