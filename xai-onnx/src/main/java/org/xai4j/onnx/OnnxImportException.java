package org.xai4j.onnx;

/**
 * An ONNX file could not be imported: it is missing, truncated or corrupt, it uses an operator or an attribute the
 * engine does not run, it refers to external data outside its folder, or its graph is cyclic, too deep, or not an image
 * classifier. The message names the file, the offending node (operator type, node name, opset) or tensor, and what
 * was expected; nothing was computed.
 */
public class OnnxImportException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * A failure without an underlying exception.
     *
     * @param message what was wrong and what was expected
     */
    public OnnxImportException(String message) {
        super(message);
    }

    /**
     * A failure caused by a lower-level exception (kept as the cause).
     *
     * @param message what was wrong and what was expected
     * @param cause   the lower-level exception
     */
    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
