package org.xai4j.engine;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Where and with what memory the passes of one {@link Nd4jImageModel} run: its {@link ModelThread}, the lock every
 * pass holds, the ND4J workspace every pass allocates in, the memory estimates that refuse a batch too large before
 * any work, and the mapping of an out-of-memory error to an {@link InsufficientMemoryException}. It also owns the
 * model's open/closed state, because closing frees the workspace and the graph's weights on the model thread.
 */
final class ModelRuntime {

    private static final AtomicLong MODEL_COUNT = new AtomicLong();

    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE).build();

    private final CompiledGraph graph;
    private final Object lock = new Object();
    private final String workspaceId = "xai4j-model-" + MODEL_COUNT.incrementAndGet();
    /** Runs every pass (and creates and frees the workspace), so the model's native memory stays with one thread. */
    private final ModelThread modelThread = new ModelThread(workspaceId);
    /** Created by the first call, used by every later call on the model thread, under {@link #lock}. */
    private MemoryWorkspace workspace;
    private volatile boolean closed;

    ModelRuntime(CompiledGraph graph) {
        this.graph = graph;
    }

    /**
     * Runs one pass on the model's thread, under its lock, in its workspace: what every call shares. An out-of-memory
     * error becomes the {@link InsufficientMemoryException} that names the batch and the plan's estimate.
     */
    <T> T inWorkspace(long batch, ExecutionPlan plan, boolean backward, Supplier<T> work) {
        return modelThread.call(() -> {
            synchronized (lock) {
                checkOpen();
                try (MemoryWorkspace ignored = openWorkspace()) {
                    return work.get();
                } catch (OutOfMemoryError e) {
                    throw outOfMemory(batch, plan, backward, e);
                }
            }
        });
    }

    /**
     * Opens the model's workspace on the calling thread (the caller holds {@link #lock}). Every forward activation and
     * backward temporary of the call is allocated in it, and the next call reuses the same memory: fresh 100 MB
     * buffers per layer and call would cost page faults and garbage-collector pressure on every gradient.
     */
    private MemoryWorkspace openWorkspace() {
        if (workspace == null) {
            workspace = Nd4j.getWorkspaceManager().createNewWorkspace(WORKSPACE, workspaceId);
        }
        return workspace.notifyScopeEntered();
    }

    /** See {@link Nd4jImageModel#releaseWorkingMemory()}. */
    void releaseWorkingMemory() {
        if (closed) {
            return;
        }
        modelThread.call(() -> {
            destroyWorkspace();
            return null;
        });
    }

    private void destroyWorkspace() {
        synchronized (lock) {
            if (workspace != null) {
                workspace.destroyWorkspace(true);
                workspace = null;
            }
        }
    }

    /** See {@link Nd4jImageModel#workingMemoryBytes()}. */
    long workingMemoryBytes() {
        synchronized (lock) {
            return workspace == null ? 0 : workspace.getCurrentSize();
        }
    }

    /** Frees the workspace and the graph's weights on the model thread, then stops the thread; later calls fail. */
    void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            modelThread.call(() -> {
                synchronized (lock) {
                    destroyWorkspace();
                    graph.release();
                }
                return null;
            });
        } finally {
            modelThread.shutdown();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model '" + graph.spec().name() + "' is closed");
        }
    }

    /** See {@link Nd4jImageModel#bytesPerExample(boolean)}. */
    long bytesPerExample(boolean backward) {
        long elements = Node.product(graph.spec().inputShape());
        for (Node node : graph.nodes()) {
            elements += Node.product(node.outputShape);
        }
        return elements * graph.dataType().width() * (backward ? 2 : 1);
    }

    /** Refuses, before any allocation, a batch whose estimated memory exceeds the machine's available memory. */
    void requireMemory(long batch, ExecutionPlan plan, boolean backward) {
        long available = Pointer.availablePhysicalBytes();
        if (available <= 0) {
            return;
        }
        // The workspace a previous call left behind is reused, so its size counts as available.
        available += workingMemoryBytes();
        long required = plan.bytesPerExample(graph.dataType(), backward) * batch;
        if (required > available) {
            throw new InsufficientMemoryException(memoryMessage(batch, plan, backward)
                    + " but only " + Pointer.formatBytes(available) + " are available", required, available, null);
        }
    }

    private InsufficientMemoryException outOfMemory(long batch, ExecutionPlan plan, boolean backward,
                                                    OutOfMemoryError e) {
        return new InsufficientMemoryException(memoryMessage(batch, plan, backward) + " and ran out of memory ("
                + e.getMessage() + ")", plan.bytesPerExample(graph.dataType(), backward) * batch, 0, e);
    }

    private String memoryMessage(long batch, ExecutionPlan plan, boolean backward) {
        NetworkSpec spec = graph.spec();
        long perExample = plan.bytesPerExample(graph.dataType(), backward);
        return (backward ? "the gradient" : "the forward pass") + " of a batch of " + batch + " inputs of shape "
                + Arrays.toString(spec.inputShape()) + " through '" + spec.name() + "' needs about "
                + Pointer.formatBytes(perExample * batch) + " (" + Pointer.formatBytes(perExample)
                + " per input); use a smaller batch (for Integrated Gradients and the other path methods a smaller "
                + "optInternalBatchSize) or smaller images. It";
    }
}
