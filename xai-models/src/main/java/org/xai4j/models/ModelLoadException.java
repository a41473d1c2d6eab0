package org.xai4j.models;

/**
 * A model, its weights or its labels could not be loaded: the file is missing, unreadable, not in the expected
 * format, or holds a network other than the one asked for. The message names the file (or source) and what was
 * expected.
 */
public class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure without an underlying exception. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** A failure caused by a lower-level exception (kept as the cause). */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
