package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Optional;

/**
 * A scalar per example, computed from one layer's activation, whose input gradient an explainer needs.
 *
 * <p>Every objective knows which activation it reads ({@link #layer()}; empty means the model's logits), how to
 * compute its value from that activation, and the gradient of that value with respect to the activation (the
 * "seed" that the model back-propagates to its input). Targets are given per example; a single target applies to
 * the whole batch.
 */
public interface Objective {

    /** The layer this objective reads, or empty for the model's logits. */
    Optional<String> layer();

    /** The objective value of each example, shape {@code [n]}, from the activation {@code [n, ...]}. */
    INDArray values(INDArray activation);

    /** d value_i / d activation_i for every example, same shape as {@code activation}. */
    INDArray seedGradient(INDArray activation);

    /**
     * Checks the objective against a model and batch size before any work is done.
     *
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    void validate(ImageModel model, long batchSize);

    /**
     * The same objective for a new batch whose row r is (a copy or variant of) example {@code exampleOfRow[r]} of the
     * original batch: each row keeps its example's target. Used to stream interpolation points or noisy samples.
     */
    Objective forRows(int[] exampleOfRow);

    /**
     * When the objective is the spatial mean of one channel of its {@link #layer()} per example, those channels; an
     * engine may then compute only that channel of the layer (feature visualization's case). Empty for any other
     * objective, which is always computed from the whole layer.
     *
     * @return the channel of each example (one for all), or empty
     */
    default Optional<int[]> meanOfOneChannel() {
        return Optional.empty();
    }

    /** The same objective for a batch holding example {@code index} alone. */
    default Objective forExample(int index) {
        return forRows(new int[] {index});
    }

    /** Evaluates the objective on a batch: one forward pass to the layer it reads. */
    default INDArray evaluate(ImageModel model, INDArray input) {
        return values(layer().map(l -> model.activations(input, l)).orElseGet(() -> model.logits(input)));
    }

    /** The logit (pre-softmax score) of class {@code targets[i]} for example i; one target applies to all. */
    static Objective classLogit(int... targets) {
        return new ClassLogit(targets);
    }

    /** The softmax probability of class {@code targets[i]} for example i; one target applies to all. */
    static Objective classProbability(int... targets) {
        return new ClassProbability(targets);
    }

    /**
     * The mean over the spatial positions of channel {@code channels[i]} of a layer for example i (the objective
     * of activation maximization); one channel applies to all examples. For a dense layer, the unit's value.
     */
    static Objective channelMean(String layer, int... channels) {
        return new ChannelMean(layer, channels);
    }

    /** The value of one neuron of a layer, indexed within one example's activation (e.g. channel, row, column). */
    static Objective neuron(String layer, long... index) {
        return new Neuron(layer, index);
    }

    /**
     * See {@link #classLogit(int...)}.
     *
     * @param targets the class of each example, or a single class for the whole batch
     */
    record ClassLogit(int[] targets) implements Objective {
        /**
         * Copies {@code targets}.
         *
         * @throws IllegalArgumentException if {@code targets} is null or empty
         */
        public ClassLogit {
            targets = checkTargets(targets, "targets").clone();
        }

        @Override public Optional<String> layer() { return Optional.empty(); }

        @Override public INDArray values(INDArray logits) {
            long n = logits.size(0);
            INDArray values = Nd4j.create(logits.dataType(), n);
            for (int i = 0; i < n; i++) {
                values.putScalar(i, logits.getDouble(i, target(targets, i)));
            }
            return values;
        }

        @Override public INDArray seedGradient(INDArray logits) {
            INDArray seed = Nd4j.zeros(logits.dataType(), logits.shape());
            for (int i = 0; i < logits.size(0); i++) {
                seed.putScalar(new long[] {i, target(targets, i)}, 1.0);
            }
            return seed;
        }

        @Override public void validate(ImageModel model, long batchSize) {
            checkClassTargets(targets, model.numClasses(), batchSize);
        }

        @Override public Objective forRows(int[] exampleOfRow) {
            return new ClassLogit(select(targets, exampleOfRow));
        }

        /**
         * The targets.
         *
         * @return the class of each example (a copy)
         */
        @Override public int[] targets() {
            return targets.clone();
        }

        @Override public String toString() { return "ClassLogit" + Arrays.toString(targets); }

        @Override public boolean equals(Object o) {
            return o instanceof ClassLogit other && Arrays.equals(targets, other.targets);
        }

        @Override public int hashCode() { return Arrays.hashCode(targets); }
    }

    /**
     * See {@link #classProbability(int...)}.
     *
     * @param targets the class of each example, or a single class for the whole batch
     */
    record ClassProbability(int[] targets) implements Objective {
        /**
         * Copies {@code targets}.
         *
         * @throws IllegalArgumentException if {@code targets} is null or empty
         */
        public ClassProbability {
            targets = checkTargets(targets, "targets").clone();
        }

        @Override public Optional<String> layer() { return Optional.empty(); }

        @Override public INDArray values(INDArray logits) {
            INDArray probabilities = softmaxRows(logits);
            INDArray values = Nd4j.create(logits.dataType(), logits.size(0));
            for (int i = 0; i < logits.size(0); i++) {
                values.putScalar(i, probabilities.getDouble(i, target(targets, i)));
            }
            return values;
        }

        @Override public INDArray seedGradient(INDArray logits) {
            // d p_t / d z = p_t (e_t - p)
            INDArray probabilities = softmaxRows(logits);
            INDArray seed = probabilities.neg();
            for (int i = 0; i < logits.size(0); i++) {
                int t = target(targets, i);
                double pt = probabilities.getDouble(i, t);
                seed.getRow(i).muli(pt);
                seed.putScalar(new long[] {i, t}, seed.getDouble(i, t) + pt);
            }
            return seed;
        }

        @Override public void validate(ImageModel model, long batchSize) {
            checkClassTargets(targets, model.numClasses(), batchSize);
        }

        @Override public Objective forRows(int[] exampleOfRow) {
            return new ClassProbability(select(targets, exampleOfRow));
        }

        /**
         * The targets.
         *
         * @return the class of each example (a copy)
         */
        @Override public int[] targets() {
            return targets.clone();
        }

        @Override public String toString() { return "ClassProbability" + Arrays.toString(targets); }

        @Override public boolean equals(Object o) {
            return o instanceof ClassProbability other && Arrays.equals(targets, other.targets);
        }

        @Override public int hashCode() { return Arrays.hashCode(targets); }
    }

    /**
     * See {@link #channelMean(String, int...)}.
     *
     * @param layerName the layer whose channel is averaged
     * @param channels  the channel of each example, or a single channel for the whole batch
     */
    record ChannelMean(String layerName, int[] channels) implements Objective {
        /**
         * Copies {@code channels}. Whether the layer exists and the channels are in range is checked by
         * {@link #validate(ImageModel, long)}, once a model is known.
         *
         * @throws IllegalArgumentException if {@code layerName} is null or {@code channels} is null or empty
         */
        public ChannelMean {
            if (layerName == null) {
                throw new NullPointerException("layer name must not be null");
            }
            channels = checkTargets(channels, "channels").clone();
        }

        @Override public Optional<String> layer() { return Optional.of(layerName); }

        @Override public Optional<int[]> meanOfOneChannel() { return Optional.of(channels.clone()); }

        @Override public INDArray values(INDArray activation) {
            INDArray values = Nd4j.create(activation.dataType(), activation.size(0));
            for (int i = 0; i < activation.size(0); i++) {
                values.putScalar(i, channelOf(activation, i, target(channels, i)).meanNumber().doubleValue());
            }
            return values;
        }

        @Override public INDArray seedGradient(INDArray activation) {
            INDArray seed = Nd4j.zeros(activation.dataType(), activation.shape());
            long positions = activation.length() / (activation.size(0) * activation.size(1));
            for (int i = 0; i < activation.size(0); i++) {
                channelOf(seed, i, target(channels, i)).assign(1.0 / positions);
            }
            return seed;
        }

        @Override public void validate(ImageModel model, long batchSize) {
            long[] shape = model.layerShape(layerName);
            checkTargetCount(channels.length, batchSize, "channels");
            for (int c : channels) {
                if (c < 0 || c >= shape[0]) {
                    throw new IllegalArgumentException("channel " + c + " is out of range for layer '" + layerName
                            + "', which has " + shape[0] + " channels (expected 0.." + (shape[0] - 1) + ")");
                }
            }
        }

        @Override public Objective forRows(int[] exampleOfRow) {
            return new ChannelMean(layerName, select(channels, exampleOfRow));
        }

        /**
         * The channels.
         *
         * @return the channel of each example (a copy)
         */
        @Override public int[] channels() {
            return channels.clone();
        }

        @Override public String toString() { return "ChannelMean[" + layerName + ", " + Arrays.toString(channels) + "]"; }

        @Override public boolean equals(Object o) {
            return o instanceof ChannelMean other && layerName.equals(other.layerName)
                    && Arrays.equals(channels, other.channels);
        }

        @Override public int hashCode() { return 31 * layerName.hashCode() + Arrays.hashCode(channels); }

        private static INDArray channelOf(INDArray activation, int example, int channel) {
            if (activation.rank() == 2) {
                return activation.get(NDArrayIndex.point(example), NDArrayIndex.interval(channel, channel + 1));
            }
            return activation.get(NDArrayIndex.point(example), NDArrayIndex.point(channel));
        }
    }

    /**
     * See {@link #neuron(String, long...)}.
     *
     * @param layerName the layer holding the neuron
     * @param index     the neuron's index within one example's activation (without the batch dimension); the same
     *                  neuron is read for every example
     */
    record Neuron(String layerName, long[] index) implements Objective {
        /**
         * Copies {@code index}. Whether it fits the layer's shape is checked by {@link #validate(ImageModel, long)}.
         *
         * @throws IllegalArgumentException if {@code layerName} is null or {@code index} is null or empty
         */
        public Neuron {
            if (layerName == null) {
                throw new NullPointerException("layer name must not be null");
            }
            if (index == null || index.length == 0) {
                throw new IllegalArgumentException("neuron index must not be empty");
            }
            index = index.clone();
        }

        @Override public Optional<String> layer() { return Optional.of(layerName); }

        @Override public INDArray values(INDArray activation) {
            INDArray values = Nd4j.create(activation.dataType(), activation.size(0));
            for (int i = 0; i < activation.size(0); i++) {
                values.putScalar(i, activation.getDouble(withExample(i)));
            }
            return values;
        }

        @Override public INDArray seedGradient(INDArray activation) {
            INDArray seed = Nd4j.zeros(activation.dataType(), activation.shape());
            for (int i = 0; i < activation.size(0); i++) {
                seed.putScalar(withExample(i), 1.0);
            }
            return seed;
        }

        @Override public void validate(ImageModel model, long batchSize) {
            long[] shape = model.layerShape(layerName);
            if (shape.length != index.length) {
                throw new IllegalArgumentException("neuron index " + Arrays.toString(index) + " has " + index.length
                        + " dimensions but layer '" + layerName + "' has per-example shape " + Arrays.toString(shape));
            }
            for (int d = 0; d < shape.length; d++) {
                if (index[d] < 0 || index[d] >= shape[d]) {
                    throw new IllegalArgumentException("neuron index " + Arrays.toString(index)
                            + " is outside layer '" + layerName + "' of per-example shape " + Arrays.toString(shape));
                }
            }
        }

        @Override public Objective forRows(int[] exampleOfRow) { return this; }

        /**
         * The index.
         *
         * @return the neuron's index within the layer (a copy)
         */
        @Override public long[] index() {
            return index.clone();
        }

        @Override public String toString() { return "Neuron[" + layerName + ", " + Arrays.toString(index) + "]"; }

        @Override public boolean equals(Object o) {
            return o instanceof Neuron other && layerName.equals(other.layerName) && Arrays.equals(index, other.index);
        }

        @Override public int hashCode() { return 31 * layerName.hashCode() + Arrays.hashCode(index); }

        private long[] withExample(int example) {
            long[] full = new long[index.length + 1];
            full[0] = example;
            System.arraycopy(index, 0, full, 1, index.length);
            return full;
        }
    }

    private static int[] checkTargets(int[] targets, String what) {
        if (targets == null || targets.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty: give one per example, or one for all");
        }
        return targets;
    }

    private static int target(int[] targets, int example) {
        return targets.length == 1 ? targets[0] : targets[example];
    }

    private static int[] select(int[] targets, int[] exampleOfRow) {
        if (targets.length == 1) {
            return targets;
        }
        int[] selected = new int[exampleOfRow.length];
        for (int r = 0; r < exampleOfRow.length; r++) {
            selected[r] = targets[exampleOfRow[r]];
        }
        return selected;
    }

    private static void checkTargetCount(int count, long batchSize, String what) {
        if (count != 1 && count != batchSize) {
            throw new IllegalArgumentException("got " + count + " " + what + " for a batch of " + batchSize
                    + " examples (expected 1 or " + batchSize + ")");
        }
    }

    private static void checkClassTargets(int[] targets, int numClasses, long batchSize) {
        checkTargetCount(targets.length, batchSize, "targets");
        for (int t : targets) {
            if (t < 0 || t >= numClasses) {
                throw new IllegalArgumentException("target class " + t + " is out of range: the model has "
                        + numClasses + " classes (expected 0.." + (numClasses - 1) + ")");
            }
        }
    }

    private static INDArray softmaxRows(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(logits.size(0), 1));
        INDArray exp = org.nd4j.linalg.ops.transforms.Transforms.exp(shifted, false);
        return exp.diviColumnVector(exp.sum(1).reshape(logits.size(0), 1));
    }
}
