package org.xai4j.engine;

/**
 * A model evaluation needs more memory than the machine has available. It is thrown before the work starts when the
 * estimate already exceeds the available physical memory, or when an allocation fails midway; either way the model
 * stays usable, and a smaller batch (for Integrated Gradients, a smaller internal batch size) or smaller images will
 * fit.
 */
public final class InsufficientMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The estimated bytes the evaluation needs (0 when unknown). */
    private final long requiredBytes;
    /** The bytes that were available (0 when unknown). */
    private final long availableBytes;

    /**
     * Creates the exception.
     *
     * @param message        what was being computed and what to change
     * @param requiredBytes  the estimated bytes the evaluation needs (0 when unknown)
     * @param availableBytes the bytes that were available (0 when unknown)
     * @param cause          the allocation failure, or null when the estimate alone refused the work
     */
    public InsufficientMemoryException(String message, long requiredBytes, long availableBytes, Throwable cause) {
        super(message, cause);
        this.requiredBytes = requiredBytes;
        this.availableBytes = availableBytes;
    }

    /**
     * The estimated bytes the refused evaluation needs.
     *
     * @return the estimate in bytes, 0 when unknown
     */
    public long requiredBytes() {
        return requiredBytes;
    }

    /**
     * The physical memory that was available when the evaluation was refused.
     *
     * @return bytes, 0 when unknown
     */
    public long availableBytes() {
        return availableBytes;
    }
}
