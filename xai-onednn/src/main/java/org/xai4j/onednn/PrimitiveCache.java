package org.xai4j.onednn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A kernel's primitives by batch size, the most recently used last. oneDNN primitives are made for one shape, so each
 * batch size gets its own on first use; a service that sees many batch sizes (the last batch of every Spark partition)
 * keeps only {@link #BATCH_SIZES_KEPT} of them, and the evicted ones free their native memory at once. Not thread-safe:
 * the kernels that own one serialize their calls.
 */
final class PrimitiveCache<P extends PrimitiveCache.Primitives> {

    /** How many batch sizes keep their primitives; making them again costs a few milliseconds per layer. */
    static final int BATCH_SIZES_KEPT = 4;

    /** One batch size's primitives, memory objects and descriptors. */
    interface Primitives {
        /** Frees everything native this batch size holds. */
        void destroy();
    }

    private final LongFunction<P> factory;
    private final LinkedHashMap<Long, P> byBatch = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Long, P> eldest) {
            if (size() > BATCH_SIZES_KEPT) {
                eldest.getValue().destroy();
                return true;
            }
            return false;
        }
    };

    PrimitiveCache(LongFunction<P> factory) {
        this.factory = factory;
    }

    /** The primitives for batch size {@code n}, made on first use. */
    P get(long n) {
        P p = byBatch.get(n);
        if (p == null) {
            p = factory.apply(n);
            byBatch.put(n, p);
        }
        return p;
    }

    /** The most recently used primitives, or null when there are none. */
    P latest() {
        P last = null;
        for (P p : byBatch.values()) {
            last = p;
        }
        return last;
    }

    int size() {
        return byBatch.size();
    }

    /** Frees every batch size's primitives. */
    void clear() {
        byBatch.values().forEach(Primitives::destroy);
        byBatch.clear();
    }
}
