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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Times ReLU and 2x2 max pooling, forward and input gradient, on VGG16's five activation shapes (channels last, one
 * ReLU and one pooling per block), with ND4J M2.1's ops as the engine called them before xai-onednn (in-place
 * {@code relu}, {@code CompareAndSet}, {@code maxpool2d}, zeroed {@code maxpool2d_bp}) and with oneDNN 3.6's eltwise
 * and pooling primitives (the pooling input gradient as xai-onednn runs it: a training forward pass for the workspace,
 * then the backward primitive). Every array is allocated once and reused, so no page faults are timed. It also checks
 * that both pooling gradients agree exactly.
 *
 * <p>Usage: {@code run.sh [BATCH] [REPEATS]}; cap the instruction set with {@code ONEDNN_MAX_CPU_ISA=AVX2
 * DNNL_MAX_CPU_ISA=AVX2} in front (ND4J's oneDNN reads the second).
 */
public class NonConvolutionKernels {
    static final dnnl_engine ENGINE = new dnnl_engine();
    static final dnnl_stream STREAM = new dnnl_stream();

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException(what + " failed with oneDNN status " + status);
        }
    }

    static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    static long address(INDArray a) {
        return a.data().address() + a.offset() * a.data().getElementSize();
    }

    static dnnl_memory_desc descriptor(long... dims) {
        dnnl_memory_desc d = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(d, dims.length, dims, dnnl_f32, dnnl_nhwc), "descriptor");
        return d;
    }

    static dnnl_memory memory(dnnl_memory_desc d, INDArray over) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, d, ENGINE, new Address(over == null ? -1 : address(over))), "memory");
        return m;
    }

    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<?> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "implementation query");
        return new BytePointer(name.get(0)).getString();
    }

    static Runnable primitive(dnnl_primitive_desc pd, int[] keys, dnnl_memory[] values) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive");
        dnnl_exec_arg_t arguments = new dnnl_exec_arg_t(keys.length);
        for (int i = 0; i < keys.length; i++) {
            arguments.position(i).arg(keys[i]).memory(values[i]);
        }
        arguments.position(0);
        return () -> {
            check(dnnl_primitive_execute(p, STREAM, keys.length, arguments), "execute");
            check(dnnl_stream_wait(STREAM), "wait");
        };
    }

    /** Milliseconds per run, after one warm-up run. */
    static double time(Runnable r, int repeats) {
        r.run();
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            r.run();
        }
        return (System.nanoTime() - start) / 1e6 / repeats;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(STREAM, ENGINE, dnnl_stream_default_flags), "stream");
        long[][] shapes = {{224, 64}, {112, 128}, {56, 256}, {28, 512}, {14, 512}};
        double[] nd4j = new double[4];
        double[] onednn = new double[4];
        String[] implementations = new String[2];
        for (long[] shape : shapes) {
            long h = shape[0];
            long c = shape[1];
            INDArray x = Nd4j.rand(DataType.FLOAT, n, h, h, c).subi(0.5);
            INDArray y = x.dup();
            INDArray grad = Nd4j.rand(DataType.FLOAT, n, h, h, c);
            INDArray gradCopy = grad.dup();
            // ReLU forward in place: the copy that restores the input is timed alone and subtracted.
            double restore = time(() -> y.assign(x), repeats);
            nd4j[0] += time(() -> {
                y.assign(x);
                Transforms.relu(y, false);
            }, repeats) - restore;
            nd4j[1] += time(() -> Nd4j.getExecutioner().exec(new CompareAndSet(gradCopy, y, gradCopy,
                    Conditions.lessThanOrEqual(0.0))), repeats);
            dnnl_memory_desc md = descriptor(n, c, h, h);
            dnnl_primitive_desc reluForward = new dnnl_primitive_desc();
            check(dnnl_eltwise_forward_primitive_desc_create(reluForward, ENGINE, dnnl_forward_training,
                    dnnl_eltwise_relu_use_dst_for_bwd, md, md, 0f, 0f, null), "eltwise forward");
            INDArray y2 = x.dup();
            Runnable relu = primitive(reluForward, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST},
                    new dnnl_memory[] {memory(md, y2), memory(md, y2)});
            onednn[0] += time(() -> {
                y2.assign(x);
                relu.run();
            }, repeats) - restore;
            dnnl_primitive_desc reluBackward = new dnnl_primitive_desc();
            check(dnnl_eltwise_backward_primitive_desc_create(reluBackward, ENGINE, dnnl_eltwise_relu_use_dst_for_bwd,
                    md, md, md, 0f, 0f, reluForward, null), "eltwise backward");
            INDArray grad2 = grad.dup();
            onednn[1] += time(primitive(reluBackward, new int[] {DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC},
                    new dnnl_memory[] {memory(md, y2), memory(md, grad2), memory(md, grad2)}), repeats);
            implementations[0] = implementation(reluForward) + " / " + implementation(reluBackward);

            INDArray pooled = Nd4j.createUninitialized(DataType.FLOAT, n, h / 2, h / 2, c);
            INDArray pooledGrad = Nd4j.rand(DataType.FLOAT, n, h / 2, h / 2, c);
            int[] arguments = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};
            nd4j[2] += time(() -> Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(y).addOutputs(pooled)
                    .addIntegerArguments(arguments).build()), repeats);
            INDArray nd4jGrad = Nd4j.create(DataType.FLOAT, n, h, h, c);
            nd4j[3] += time(() -> {
                nd4jGrad.assign(0);
                Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(y, pooledGrad).addOutputs(nd4jGrad)
                        .addIntegerArguments(arguments).build());
            }, repeats);
            dnnl_memory_desc pmd = descriptor(n, c, h / 2, h / 2);
            long[] two = {2, 2};
            long[] zero = {0, 0};
            dnnl_primitive_desc poolInference = new dnnl_primitive_desc();
            check(dnnl_pooling_forward_primitive_desc_create(poolInference, ENGINE, dnnl_forward_inference,
                    dnnl_pooling_max, md, pmd, two, two, zero, zero, zero, null), "pooling inference");
            dnnl_primitive_desc poolTraining = new dnnl_primitive_desc();
            check(dnnl_pooling_forward_primitive_desc_create(poolTraining, ENGINE, dnnl_forward_training,
                    dnnl_pooling_max, md, pmd, two, two, zero, zero, zero, null), "pooling training");
            dnnl_primitive_desc poolBackward = new dnnl_primitive_desc();
            check(dnnl_pooling_backward_primitive_desc_create(poolBackward, ENGINE, dnnl_pooling_max, md, pmd, two,
                    two, zero, zero, zero, poolTraining, null), "pooling backward");
            dnnl_memory workspace = new dnnl_memory();
            check(dnnl_memory_create(workspace, dnnl_primitive_desc_query_md(poolTraining, dnnl_query_workspace_md, 0),
                    ENGINE, new Address(-1)), "workspace");
            INDArray pooled2 = Nd4j.createUninitialized(DataType.FLOAT, n, h / 2, h / 2, c);
            onednn[2] += time(primitive(poolInference, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST},
                    new dnnl_memory[] {memory(md, y), memory(pmd, pooled2)}), repeats);
            Runnable training = primitive(poolTraining, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE},
                    new dnnl_memory[] {memory(md, y), memory(pmd, pooled2), workspace});
            INDArray onednnGrad = Nd4j.create(DataType.FLOAT, n, h, h, c);
            Runnable backward = primitive(poolBackward, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC,
                    DNNL_ARG_WORKSPACE}, new dnnl_memory[] {memory(pmd, pooledGrad), memory(md, onednnGrad), workspace});
            onednn[3] += time(() -> {
                training.run();
                backward.run();
            }, repeats);
            implementations[1] = implementation(poolTraining) + " / " + implementation(poolBackward);
            if (!pooled.equals(pooled2) || !nd4jGrad.equals(onednnGrad)) {
                throw new IllegalStateException("ND4J and oneDNN disagree on max pooling at " + h + "x" + h + "x" + c);
            }
        }
        System.out.printf("batch %d, ms per image summed over VGG16's five shapes (oneDNN: ReLU %s; pooling %s)%n%n",
                n, implementations[0], implementations[1]);
        System.out.println("| operation | ND4J M2.1 | oneDNN 3.6 |");
        System.out.println("|---|---:|---:|");
        String[] names = {"ReLU forward", "ReLU input gradient", "max pooling forward",
                "max pooling input gradient (oneDNN: training forward + backward)"};
        for (int i = 0; i < 4; i++) {
            System.out.printf("| %s | %.2f | %.2f |%n", names[i], nd4j[i] / n, onednn[i] / n);
        }
    }
}
