package org.xai4j.models.transfer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.Predictions;
import org.xai4j.ProgressListener;
import org.xai4j.models.dl4j.ThreadRandom;
import org.xai4j.models.Preprocessing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fine-tunes an {@link EmotionNetwork} on a labelled image folder ({@link ImageFolder}: one sub-folder per class).
 *
 * <p>The images are split per class into training and validation sets (seeded shuffle; {@code validationFraction} of
 * each class, at least one image per class when the class has two or more). Each epoch trains on shuffled minibatches
 * of the training set, then measures validation accuracy and cross-entropy. The parameters of the best epoch (by the
 * monitored metric; ties in accuracy go to the lower loss) are kept; training stops after {@code maxEpochs} or after
 * {@code patience} epochs without improvement. Images go through the network's {@link Preprocessing} (VGGFace by
 * default) and into its data format (NHWC for Keras imports). The network is trained in place.
 */
public final class FineTuner {

    /** What early stopping watches. */
    public enum Monitor {
        /** Higher validation accuracy is better (ties: lower validation loss). */
        VALIDATION_ACCURACY,
        /** Lower validation cross-entropy is better. */
        VALIDATION_LOSS
    }

    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    private final EmotionNetwork network;
    private final Path folder;
    private final Preprocessing preprocessing;
    private final long seed;
    private final double validationFraction;
    private final int batchSize;
    private final int maxEpochs;
    private final int patience;
    private final Monitor monitor;
    private final ProgressListener listener;

    private FineTuner(Builder b) {
        this.network = b.network;
        this.folder = b.folder;
        this.preprocessing = b.preprocessing;
        this.seed = b.seed;
        this.validationFraction = b.validationFraction;
        this.batchSize = b.batchSize;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.monitor = b.monitor;
        this.listener = b.listener;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the folder and trains. DL4J draws dropout masks from the calling thread's ND4J generator: it is seeded
     * with the seed for the training, so runs are reproducible, and restored to its earlier state afterwards.
     *
     * @throws IOException if the image folder is missing or malformed (see {@link ImageFolder#read})
     */
    public FineTuneResult train() throws IOException {
        return ThreadRandom.seeded(seed, this::readAndTrain);
    }

    private FineTuneResult readAndTrain() throws IOException {
        int height = network.architecture().height();
        int width = network.architecture().width();
        LabelledImages images = ImageFolder.read(folder, network.classes(), height, width);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        split(images, train, validation);
        if (validation.isEmpty()) {
            throw new IOException("image folder " + folder.toAbsolutePath() + " has too few images for a validation "
                    + "split (" + images.size() + " images, fraction " + validationFraction + ")");
        }
        INDArray features = toNetworkInput(images.pixels());
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, images.size(), network.classes().size());
        int[] labels = images.labels();
        for (int i = 0; i < labels.length; i++) {
            oneHot.putScalar(i, labels[i], 1.0);
        }
        INDArray valX = rows(features, validation);
        int[] valLabels = validation.stream().mapToInt(i -> labels[i]).toArray();

        ComputationGraph graph = network.graph();
        Random random = new Random(seed);
        List<FineTuneResult.EpochStats> history = new ArrayList<>();
        INDArray bestParams = graph.params().dup();
        int bestEpoch = 0;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        int epoch = 0;
        listener.onProgress("FineTuning", 0, maxEpochs);
        while (epoch < maxEpochs) {
            epoch++;
            List<Integer> order = new ArrayList<>(train);
            Collections.shuffle(order, random);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.size(); start += batchSize) {
                List<Integer> batch = order.subList(start, Math.min(order.size(), start + batchSize));
                graph.fit(new DataSet(rows(features, batch), rows(oneHot, batch)));
                lossSum += graph.score();
                batches++;
            }
            INDArray probabilities = graph.outputSingle(false, valX);
            double[] metrics = evaluate(probabilities, valLabels);
            history.add(new FineTuneResult.EpochStats(epoch, lossSum / batches, metrics[1], metrics[0]));
            LOG.debug("epoch {}: train loss {}, validation loss {}, accuracy {}", epoch, lossSum / batches, metrics[1],
                    metrics[0]);
            boolean better = monitor == Monitor.VALIDATION_ACCURACY
                    ? metrics[0] > bestAccuracy || metrics[0] == bestAccuracy && metrics[1] < bestLoss
                    : metrics[1] < bestLoss;
            if (better) {
                bestAccuracy = metrics[0];
                bestLoss = metrics[1];
                bestEpoch = epoch;
                bestParams = graph.params().dup();
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            listener.onProgress("FineTuning", epoch, maxEpochs);
            if (sinceBest >= patience) {
                stoppedEarly = epoch < maxEpochs;
                break;
            }
        }
        graph.setParams(bestParams);
        return new FineTuneResult(graph, epoch, bestEpoch, bestAccuracy, bestLoss, stoppedEarly, history,
                train.size(), validation.size());
    }

    /** Pixels (NCHW, [0, 1]) to what the DL4J network takes: preprocessed, in its data format. */
    INDArray toNetworkInput(INDArray pixels) {
        INDArray x = preprocessing.apply(pixels);
        return network.inputFormat() == CNN2DFormat.NHWC ? x.permute(0, 2, 3, 1).dup('c') : x.dup('c');
    }

    private void split(LabelledImages images, List<Integer> train, List<Integer> validation) {
        Random random = new Random(seed);
        int[] labels = images.labels();
        for (int c = 0; c < images.classes().size(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            int n = members.size();
            int held = n < 2 ? 0 : Math.max(1, Math.min(n - 1, (int) Math.round(n * validationFraction)));
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, n));
        }
    }

    private static INDArray rows(INDArray data, List<Integer> indices) {
        long[] shape = data.shape().clone();
        shape[0] = indices.size();
        INDArray out = Nd4j.create(data.dataType(), shape);
        for (int k = 0; k < indices.size(); k++) {
            out.putSlice(k, data.slice(indices.get(k)));
        }
        return out;
    }

    /** {accuracy, mean cross-entropy}. */
    private static double[] evaluate(INDArray probabilities, int[] labels) {
        int correct = 0;
        double loss = 0;
        int[] predicted = Predictions.argMax(probabilities);
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
            loss -= Math.log(Math.max(probabilities.getDouble(i, labels[i]), 1e-12));
        }
        return new double[] {correct / (double) labels.length, loss / labels.length};
    }

    /** Builder: {@link #setNetwork} and {@link #setImageFolder} are required. */
    public static final class Builder {
        private EmotionNetwork network;
        private Path folder;
        private Preprocessing preprocessing = Preprocessing.VGGFACE;
        private long seed = 42;
        private double validationFraction = 0.2;
        private int batchSize = 16;
        private int maxEpochs = 20;
        private int patience = 3;
        private Monitor monitor = Monitor.VALIDATION_ACCURACY;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() { }

        /** The network to train (required; trained in place). */
        public Builder setNetwork(EmotionNetwork emotionNetwork) {
            this.network = emotionNetwork;
            return this;
        }

        /** The labelled image folder (required): one sub-folder per class, named as the class. */
        public Builder setImageFolder(Path imageFolder) {
            this.folder = imageFolder;
            return this;
        }

        /** The preprocessing the base network expects (default {@link Preprocessing#VGGFACE}). */
        public Builder optPreprocessing(Preprocessing networkPreprocessing) {
            this.preprocessing = networkPreprocessing;
            return this;
        }

        /** Seed of the split, the shuffles and dropout (default 42). */
        public Builder optSeed(long randomSeed) {
            this.seed = randomSeed;
            return this;
        }

        /** Fraction of each class held out for validation (default 0.2). */
        public Builder optValidationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /** Minibatch size (default 16). */
        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /** Maximum number of epochs (default 20). */
        public Builder optMaxEpochs(int epochs) {
            this.maxEpochs = epochs;
            return this;
        }

        /** Epochs without improvement before stopping (default 3). */
        public Builder optPatience(int epochs) {
            this.patience = epochs;
            return this;
        }

        /** The metric early stopping watches (default validation accuracy). */
        public Builder optMonitor(Monitor metric) {
            this.monitor = metric;
            return this;
        }

        /** Receives {@code ("FineTuning", epochsDone, maxEpochs)} after every epoch. */
        public Builder optProgressListener(ProgressListener progressListener) {
            this.listener = progressListener;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @throws NullPointerException     if the network or the folder is missing
         * @throws IllegalArgumentException if a setting is out of range
         */
        public FineTuner build() {
            if (network == null || folder == null) {
                throw new NullPointerException("network and image folder are required: call setNetwork and setImageFolder");
            }
            if (preprocessing == null || monitor == null || listener == null) {
                throw new NullPointerException("preprocessing, monitor and progress listener must not be null");
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
            }
            if (batchSize <= 0 || maxEpochs <= 0 || patience <= 0) {
                throw new IllegalArgumentException("batch size, max epochs and patience must be positive, got "
                        + batchSize + ", " + maxEpochs + ", " + patience);
            }
            return new FineTuner(this);
        }
    }
}
