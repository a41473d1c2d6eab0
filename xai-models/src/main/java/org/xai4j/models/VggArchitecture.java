package org.xai4j.models;

import java.util.Arrays;

/**
 * The shape a VGG network must have: input size, convolutions per block and their widths, the head. Loaders check
 * every network against it (layer types, kernel sizes, channel counts, dense sizes) before anything else, and the
 * layer names of the resulting model follow from it.
 *
 * <p>The layout is five blocks of 3x3 ReLU convolutions, each closed by a 2x2/2 max pooling
 * ({@code block<b>_conv<i>}, {@code block<b>_pool}), then the head: optionally {@code batch_normalization} and
 * {@code dropout} (the VGGEmotion head), {@code flatten}, hidden ReLU dense layers {@code fc1, fc2, ...}, and the
 * classifier {@code predictions} (softmax, or linear).
 *
 * @param height              input height in pixels
 * @param width               input width in pixels
 * @param convolutionsPerBlock convolutions in each of the five blocks ({@code 2, 2, 3, 3, 3} for VGG16)
 * @param blockWidths         output channels of the convolutions of each block ({@code 64, 128, 256, 512, 512})
 * @param hiddenUnits         widths of the hidden dense layers ({@code 4096, 4096}; empty for none)
 * @param normalizedHead      whether batch normalization and dropout follow the last pooling (VGGEmotion)
 * @param numClasses          number of classes of {@code predictions}
 */
public record VggArchitecture(int height, int width, int[] convolutionsPerBlock, int[] blockWidths, int[] hiddenUnits,
                              boolean normalizedHead, int numClasses) {

    /** Number of convolution blocks of every VGG. */
    public static final int BLOCKS = 5;

    /** Validates and copies the arrays. */
    public VggArchitecture {
        if (height < 32 || width < 32) {
            throw new IllegalArgumentException("input size must be at least 32x32 (five 2x2 poolings), got "
                    + height + "x" + width);
        }
        convolutionsPerBlock = checkBlocks(convolutionsPerBlock, "convolutionsPerBlock");
        blockWidths = checkBlocks(blockWidths, "blockWidths");
        if (hiddenUnits == null || Arrays.stream(hiddenUnits).anyMatch(u -> u <= 0)) {
            throw new IllegalArgumentException("hidden units must be positive, got " + Arrays.toString(hiddenUnits));
        }
        hiddenUnits = hiddenUnits.clone();
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
        }
    }

    /** VGG16 (keras.applications): 224x224, blocks 2-2-3-3-3 of widths 64-128-256-512-512, fc 4096-4096. */
    public static VggArchitecture vgg16(int numClasses) {
        return new VggArchitecture(224, 224, new int[] {2, 2, 3, 3, 3}, new int[] {64, 128, 256, 512, 512},
                new int[] {4096, 4096}, false, numClasses);
    }

    /**
     * Starts an architecture from {@link #vgg16 VGG16's} layout with 1000 classes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return vgg16(1000).toBuilder();
    }

    /**
     * Starts an architecture from this one, e.g. {@code ToyModels.ARCHITECTURE.toBuilder().optNumClasses(8).build()}.
     *
     * @return a new builder holding this architecture's settings
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Spatial size after the five poolings, {@code [height, width]} (each pooling floors). */
    public int[] finalFeatureSize() {
        return new int[] {height >> BLOCKS, width >> BLOCKS};
    }

    /** Number of inputs of the first dense layer: last block width times the final spatial size. */
    public long flattenedSize() {
        int[] s = finalFeatureSize();
        return (long) blockWidths[BLOCKS - 1] * s[0] * s[1];
    }

    /** The input shape of one example, {@code [3, height, width]}. */
    public long[] inputShape() {
        return new long[] {3, height, width};
    }

    /** The convolutions in each of the five blocks, as a copy. */
    @Override public int[] convolutionsPerBlock() { return convolutionsPerBlock.clone(); }

    /** The convolution widths of each of the five blocks, as a copy. */
    @Override public int[] blockWidths() { return blockWidths.clone(); }

    /** The widths of the hidden dense layers, as a copy. */
    @Override public int[] hiddenUnits() { return hiddenUnits.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof VggArchitecture a && height == a.height && width == a.width
                && Arrays.equals(convolutionsPerBlock, a.convolutionsPerBlock) && Arrays.equals(blockWidths, a.blockWidths)
                && Arrays.equals(hiddenUnits, a.hiddenUnits) && normalizedHead == a.normalizedHead
                && numClasses == a.numClasses;
    }

    @Override public int hashCode() {
        return Arrays.hashCode(new int[] {height, width, Arrays.hashCode(convolutionsPerBlock),
                Arrays.hashCode(blockWidths), Arrays.hashCode(hiddenUnits), normalizedHead ? 1 : 0, numClasses});
    }

    @Override public String toString() {
        return "VggArchitecture[" + height + "x" + width + "x3, blocks=" + Arrays.toString(convolutionsPerBlock)
                + ", widths=" + Arrays.toString(blockWidths) + ", hidden=" + Arrays.toString(hiddenUnits)
                + (normalizedHead ? ", batch norm + dropout" : "") + ", classes=" + numClasses + "]";
    }

    private static int[] checkBlocks(int[] values, String what) {
        if (values == null || values.length != BLOCKS || Arrays.stream(values).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException(what + " must be " + BLOCKS + " positive numbers, got "
                    + Arrays.toString(values));
        }
        return values.clone();
    }

    /** Builder: every setting is optional and starts at the architecture it was made from. */
    public static final class Builder {
        private int height;
        private int width;
        private int[] convolutionsPerBlock;
        private int[] blockWidths;
        private int[] hiddenUnits;
        private boolean normalizedHead;
        private int numClasses;

        private Builder(VggArchitecture from) {
            this.height = from.height;
            this.width = from.width;
            this.convolutionsPerBlock = from.convolutionsPerBlock;
            this.blockWidths = from.blockWidths;
            this.hiddenUnits = from.hiddenUnits;
            this.normalizedHead = from.normalizedHead;
            this.numClasses = from.numClasses;
        }

        /**
         * Sets the input size.
         *
         * @param inputHeight the height in pixels, at least 32
         * @param inputWidth the width in pixels, at least 32
         * @return this builder
         */
        public Builder optInputSize(int inputHeight, int inputWidth) {
            this.height = inputHeight;
            this.width = inputWidth;
            return this;
        }

        /**
         * Sets the convolutions of each of the five blocks.
         *
         * @param counts five positive counts
         * @return this builder
         */
        public Builder optConvolutionsPerBlock(int... counts) {
            this.convolutionsPerBlock = counts;
            return this;
        }

        /**
         * Sets the convolution widths, one per block.
         *
         * @param widths five positive widths
         * @return this builder
         */
        public Builder optBlockWidths(int... widths) {
            this.blockWidths = widths;
            return this;
        }

        /**
         * Sets the widths of the hidden dense layers.
         *
         * @param units positive widths; none for no hidden layer
         * @return this builder
         */
        public Builder optHiddenUnits(int... units) {
            this.hiddenUnits = units;
            return this;
        }

        /**
         * Uses the VGGEmotion head ({@code block5_pool -> batch_normalization -> dropout -> flatten -> predictions},
         * no hidden dense layers) or a plain one.
         *
         * @param normalized true for the VGGEmotion head
         * @return this builder
         */
        public Builder optNormalizedHead(boolean normalized) {
            this.normalizedHead = normalized;
            if (normalized) {
                this.hiddenUnits = new int[0];
            }
            return this;
        }

        /**
         * Sets the number of classes.
         *
         * @param classes a positive count
         * @return this builder
         */
        public Builder optNumClasses(int classes) {
            this.numClasses = classes;
            return this;
        }

        /**
         * Builds the architecture.
         *
         * @return the architecture
         * @throws IllegalArgumentException if a setting is out of range (see the record's constructor)
         */
        public VggArchitecture build() {
            return new VggArchitecture(height, width, convolutionsPerBlock, blockWidths, hiddenUnits, normalizedHead,
                    numClasses);
        }
    }
}
