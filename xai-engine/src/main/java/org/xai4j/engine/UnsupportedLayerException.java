package org.xai4j.engine;

/** A network contains a layer (or vertex, or setting) that the engine cannot represent. */
public class UnsupportedLayerException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The name of the offending layer or vertex. */
    private final String layerName;
    /** The simple class name of its configuration. */
    private final String layerType;

    /**
     * Creates the exception; the message names the layer, its type and the reason.
     *
     * @param layerName the layer or vertex name
     * @param layerType the simple class name of its configuration
     * @param reason    why it cannot be represented, and what is supported instead
     */
    public UnsupportedLayerException(String layerName, String layerType, String reason) {
        super("layer '" + layerName + "' of type " + layerType + " is not supported: " + reason);
        this.layerName = layerName;
        this.layerType = layerType;
    }

    /** The name of the offending layer or vertex. */
    public String layerName() {
        return layerName;
    }

    /** The simple class name of its configuration. */
    public String layerType() {
        return layerType;
    }
}
