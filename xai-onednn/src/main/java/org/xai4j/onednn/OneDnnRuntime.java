package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.dnnl.global.dnnl.*;

/** The process's oneDNN CPU engine and the C-API calls the kernels share, each checked. */
final class OneDnnRuntime {

    /** {@code DNNL_MEMORY_ALLOCATE}: the handle {@code (void *) -1} asks oneDNN to allocate a buffer it owns. */
    static final Pointer ALLOCATE = new Address(-1L);

    private static volatile dnnl_engine engine;

    private OneDnnRuntime() { }

    static dnnl_engine engine() {
        dnnl_engine e = engine;
        if (e == null) {
            synchronized (OneDnnRuntime.class) {
                e = engine;
                if (e == null) {
                    e = new dnnl_engine();
                    check(dnnl_engine_create(e, dnnl_cpu, 0), "creating the CPU engine");
                    engine = e;
                }
            }
        }
        return e;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN failed " + what + " (status " + status + ")");
        }
    }

    /** {@link #check(int, String)} for {@code step + " " + primitive}, concatenated only on failure. */
    static void check(int status, String step, String primitive) {
        if (status != dnnl_success) {
            check(status, step + " " + primitive);
        }
    }

    /** A descriptor of a float32 array with logical dims (for example NCHW) in the physical order {@code tag}. */
    static dnnl_memory_desc descriptor(int tag, long... dims) {
        dnnl_memory_desc descriptor = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(descriptor, dims.length, dims, dnnl_f32, tag), "creating a descriptor");
        return descriptor;
    }

    /** A memory object over {@code handle} ({@link #ALLOCATE} for one oneDNN owns). */
    static dnnl_memory memory(dnnl_memory_desc descriptor, Pointer handle) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl_memory_create(memory, descriptor, engine(), handle), "creating a memory object");
        return memory;
    }

    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<?> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "querying an implementation name");
        return new BytePointer(name.get(0)).getString();
    }

    /** A raw address as a JavaCPP pointer, to hand ND4J's buffers to oneDNN without copying. */
    static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }

        Address at(long newAddress) {
            this.address = newAddress;
            return this;
        }
    }
}
