package org.xai4j.viz.io;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown when a file or stream cannot be decoded as an image: it is empty, truncated, corrupt or in an
 * unsupported format. The message names the source and what was expected.
 */
public class UnreadableImageException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file path or stream name that could not be read. */
    private final String source;

    /**
     * Creates the exception.
     *
     * @param source the file path or stream name
     * @param problem what is wrong and what was expected, e.g. "file is empty (0 bytes); expected ..."
     * @param cause the decoder's exception, or null
     */
    public UnreadableImageException(String source, String problem, Throwable cause) {
        super("cannot read image " + source + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns the file path or stream name that could not be read.
     *
     * @return the source
     */
    public String source() {
        return source;
    }
}
