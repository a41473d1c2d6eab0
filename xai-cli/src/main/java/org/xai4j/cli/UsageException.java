package org.xai4j.cli;

/**
 * A problem with what the user asked for (a bad option value, an unreadable input file, a refused output folder):
 * exit status 2 and one line naming the bad value, no stack trace.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
