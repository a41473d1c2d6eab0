package org.xai4j.onnx;

/**
 * Limits and choices for {@link OnnxModels#read}. Every limit protects against a hostile or broken file: a file larger
 * than {@link #maxFileBytes()} is not read, a graph with more than {@link #maxNodes()} nodes or a longer path than
 * {@link #maxDepth()} is refused before conversion.
 *
 * @param maxFileBytes   the largest model file (and the largest external-data file) read, in bytes
 * @param maxNodes       the most nodes a graph may have
 * @param maxDepth       the longest chain of nodes from the input to any node
 * @param inputHeight    the input height to use where the graph leaves it symbolic, or 0 to require a fixed one
 * @param inputWidth     the input width to use where the graph leaves it symbolic, or 0 to require a fixed one
 */
public record OnnxImportOptions(long maxFileBytes, int maxNodes, int maxDepth, int inputHeight, int inputWidth) {

    /** The defaults: 2 GiB files (protobuf's own limit), 100,000 nodes, depth 10,000, fixed spatial input size. */
    public static final OnnxImportOptions DEFAULTS = builder().build();

    /** Checks the limits. */
    public OnnxImportOptions {
        if (maxFileBytes <= 0 || maxNodes <= 0 || maxDepth <= 0 || inputHeight < 0 || inputWidth < 0) {
            throw new IllegalArgumentException("ONNX import limits must be positive and input sizes >= 0, got maxFileBytes="
                    + maxFileBytes + ", maxNodes=" + maxNodes + ", maxDepth=" + maxDepth + ", inputHeight="
                    + inputHeight + ", inputWidth=" + inputWidth);
        }
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link OnnxImportOptions}; every setting is optional. */
    public static final class Builder {
        private long maxFileBytes = Integer.MAX_VALUE;
        private int maxNodes = 100_000;
        private int maxDepth = 10_000;
        private int inputHeight;
        private int inputWidth;

        private Builder() { }

        /**
         * The largest file read.
         *
         * @param bytes a positive size
         * @return this builder
         */
        public Builder optMaxFileBytes(long bytes) {
            this.maxFileBytes = bytes;
            return this;
        }

        /**
         * The most nodes a graph may have.
         *
         * @param nodes a positive count
         * @return this builder
         */
        public Builder optMaxNodes(int nodes) {
            this.maxNodes = nodes;
            return this;
        }

        /**
         * The longest chain of nodes.
         *
         * @param depth a positive length
         * @return this builder
         */
        public Builder optMaxDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        /**
         * The spatial input size for graphs exported with symbolic height and width.
         *
         * @param height pixels, positive
         * @param width  pixels, positive
         * @return this builder
         */
        public Builder optInputSize(int height, int width) {
            this.inputHeight = height;
            this.inputWidth = width;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         */
        public OnnxImportOptions build() {
            return new OnnxImportOptions(maxFileBytes, maxNodes, maxDepth, inputHeight, inputWidth);
        }
    }
}
