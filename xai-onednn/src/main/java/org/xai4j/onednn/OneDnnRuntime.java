package org.xai4j.onednn;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.spi.KernelArrays;

import java.util.List;

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

    /** Attributes asking for a scratchpad per primitive, not oneDNN's process-wide one; the caller destroys them. */
    static dnnl_primitive_attr userScratchpad() {
        dnnl_primitive_attr attributes = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attributes), "creating attributes");
        check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad mode");
        return attributes;
    }

    /**
     * Adds a scratchpad argument when the primitive needs one, in a buffer oneDNN owns, so that models on different
     * threads never share one; returns it (for destruction) or null.
     */
    private static dnnl_memory addScratchpad(dnnl_primitive_desc descriptor, List<Integer> keys,
                                             List<dnnl_memory> values) {
        dnnl_memory_desc scratchpad = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0);
        if (scratchpad == null || scratchpad.isNull() || dnnl_memory_desc_get_size(scratchpad) == 0) {
            return null;
        }
        dnnl_memory memory = memory(scratchpad, ALLOCATE);
        keys.add(DNNL_ARG_SCRATCHPAD);
        values.add(memory);
        return memory;
    }

    /** {@link #addScratchpad(dnnl_primitive_desc, List, List)} that also records the buffer in {@code owned}. */
    static void addScratchpad(dnnl_primitive_desc descriptor, List<Integer> keys, List<dnnl_memory> values,
                              List<dnnl_memory> owned) {
        dnnl_memory memory = addScratchpad(descriptor, keys, values);
        if (memory != null) {
            owned.add(memory);
        }
    }

    /**
     * Refuses an array a primitive would have to write through its address but cannot: {@code what} names it, for
     * example {@code "pooling output"}.
     */
    static void requireDense(INDArray array, String what) {
        if (!dense(array)) {
            throw new IllegalArgumentException(what + ": expected a dense C-ordered array that the kernel can write in "
                    + "place, got a view with strides " + java.util.Arrays.toString(array.stride()));
        }
    }

    static dnnl_exec_arg_t arguments(List<Integer> keys, List<dnnl_memory> values) {
        dnnl_exec_arg_t arguments = new dnnl_exec_arg_t(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            arguments.position(i).arg(keys.get(i)).memory(values.get(i));
        }
        return arguments.position(0);
    }

    static dnnl_primitive primitive(dnnl_primitive_desc descriptor, String what) {
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl_primitive_create(primitive, descriptor), "creating the", what);
        return primitive;
    }

    /**
     * Points a primitive's memory object at an ND4J array's first element, through a reusable address object (no
     * allocation per call); {@code what} names the primitive in error messages.
     */
    static void bind(dnnl_memory slot, Address address, INDArray array, String what) {
        check(dnnl_memory_set_data_handle(slot, address.at(address(array))), "binding an argument of the", what);
    }

    /** Runs a primitive with its bound arguments and waits for it; {@code what} names it in error messages. */
    static void run(dnnl_primitive primitive, dnnl_stream stream, dnnl_exec_arg_t arguments, int count, String what) {
        // The messages are built only on failure: this runs for every layer of every pass.
        check(dnnl_primitive_execute(primitive, stream, count, arguments), "running the", what);
        check(dnnl_stream_wait(stream), "waiting for the", what);
    }

    /** Whether a primitive can read or write the array in place ({@link KernelArrays#isDense}). */
    static boolean dense(INDArray array) {
        return KernelArrays.isDense(array);
    }

    /** The array itself when a primitive can read it in place, else a dense copy. */
    static INDArray contiguous(INDArray array) {
        return dense(array) ? array : array.dup('c');
    }

    /** The address of an array's first element. */
    static long address(INDArray array) {
        return array.data().address() + array.offset() * array.data().getElementSize();
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
