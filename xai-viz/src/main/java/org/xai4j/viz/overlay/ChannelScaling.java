package org.xai4j.viz.overlay;

/**
 * How the channels of an activation map are scaled to colors when each is drawn as its own tile.
 */
public enum ChannelScaling {

    /** Each channel spans the full colormap: its own minimum to its own maximum. Shows every channel's pattern. */
    PER_CHANNEL,

    /** One range for all channels (the global minimum to maximum), so tile brightness compares across neurons. */
    SHARED
}
