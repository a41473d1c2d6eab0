package org.xai4j.cli;

/**
 * A problem with what the user asked for (a bad option value, an unreadable input file, a refused output folder):
 * exit status 2 and one line naming the bad value, no stack trace.
 */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A usage error.
     *
     * @param message one line naming the bad value and what was expected
     */
    public UsageException(String message) {
        super(message);
    }

    /**
     * A usage error with its cause.
     *
     * @param message one line naming the bad value and what was expected
     * @param cause   the library's exception
     */
    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
