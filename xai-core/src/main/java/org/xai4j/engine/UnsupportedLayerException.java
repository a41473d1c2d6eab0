package org.xai4j.engine;

/** A network contains a layer (or vertex, or setting) that the engine cannot represent. */
public class UnsupportedLayerException extends IllegalArgumentException {

    private final String layerName;
    private final String layerType;

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
