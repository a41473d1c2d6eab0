package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Optional;

import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.xai4j.onednn.OneDnnRuntime.check;

/**
 * What every oneDNN kernel of this module shares: its stream, its primitives by batch size ({@link PrimitiveCache}),
 * reusable addresses for binding ND4J buffers, and closing. Subclasses make one batch size's primitives
 * ({@link #newPrimitives}) and free what else they own ({@link #releaseOwned}); their public methods are
 * {@code synchronized}, as {@link #close} is.
 */
abstract class OneDnnKernel<P extends PrimitiveCache.Primitives> implements AutoCloseable {

    /** What the kernel computes, for messages: {@code convolution}, {@code pooling}, {@code RELU activation}. */
    private final String kind;
    final dnnl_stream stream = new dnnl_stream();
    private final PrimitiveCache<P> byBatch = new PrimitiveCache<>(this::newPrimitives);
    private final OneDnnRuntime.Address[] addresses = {new OneDnnRuntime.Address(0), new OneDnnRuntime.Address(0),
            new OneDnnRuntime.Address(0)};
    private boolean closed;

    OneDnnKernel(String kind) {
        this.kind = kind;
        check(dnnl_stream_create(stream, OneDnnRuntime.engine(), dnnl_stream_default_flags), "creating a stream");
    }

    /** One batch size's primitives; called on first use of that size, after the subclass's constructor. */
    abstract P newPrimitives(long n);

    /** The implementation names oneDNN chose for these primitives, forward and backward. */
    abstract List<String> implementationNames(P primitives);

    /**
     * The kernel, or empty (after closing it) when oneDNN would run a reference (unoptimized) implementation for any of
     * its primitives, as for some single-output-channel convolutions; ND4J's ops are then the better choice.
     */
    static <K extends OneDnnKernel<?>> Optional<K> unlessReference(K kernel) {
        if (kernel.probeUsesReference()) {
            kernel.close();
            return Optional.empty();
        }
        return Optional.of(kernel);
    }

    final boolean probeUsesReference() {
        return implementationNames(primitives(1)).stream().anyMatch(name -> name.startsWith("ref"));
    }

    /** Frees what the subclass owns besides its primitives (weights, descriptors); called once, from close. */
    void releaseOwned() { }

    /** The primitives for batch size {@code n}; refuses a closed kernel. */
    final P primitives(long n) {
        if (closed) {
            throw new IllegalStateException("this " + kind + " kernel was closed with its model");
        }
        return byBatch.get(n);
    }

    /** The most recently used primitives (compile leaves batch size 1, so there are always some while open). */
    final P latestPrimitives() {
        return byBatch.latest();
    }

    final boolean isClosed() {
        return closed;
    }

    /** Points argument slot {@code slot} at {@code array}, through reusable address {@code index} (0 to 2). */
    final void bind(dnnl_memory slot, INDArray array, int index, String what) {
        OneDnnRuntime.bind(slot, addresses[index], array, what);
    }

    /** How many batch sizes hold primitives now (for tests of the cache bound). */
    final synchronized int batchSizesKept() {
        return byBatch.size();
    }

    @Override public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        byBatch.clear();
        releaseOwned();
        dnnl_stream_destroy(stream);
    }
}
