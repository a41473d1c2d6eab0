package org.xai4j.examples;

/** A problem with what the user asked for (bad option, unreadable file, refused output folder): one line, no trace. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
