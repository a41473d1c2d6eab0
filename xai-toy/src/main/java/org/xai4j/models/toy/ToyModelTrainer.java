package org.xai4j.models.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.Predictions;
import org.xai4j.ProgressListener;
import org.xai4j.models.dl4j.ThreadRandom;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.transfer.EmotionNetwork;
import org.xai4j.models.transfer.EmotionTransfer;

/**
 * Trains the three toy mini-VGGs of {@link ToyModels} from scratch, reproducibly, with DL4J.
 *
 * <ol>
 *   <li><b>ObjectVGG</b>: {@link #buildNetwork the shared architecture} trained on {@link ToyModels#objectWorld()}
 *       (six object classes).</li>
 *   <li><b>FaceVGG</b>: the same architecture trained on {@link ToyModels#faceWorld(FaceTask)} with
 *       {@link FaceTask#IDENTITY} (eight identities).</li>
 *   <li><b>EmotionVGG</b>: built from the trained FaceVGG with {@link EmotionTransfer}, the study's recipe (every
 *       layer up to {@code block5_conv2} frozen, {@code block5_conv3} re-initialized and retrained, the dense head
 *       replaced by {@code batch_normalization -> dropout -> flatten -> predictions}), then fine-tuned on
 *       {@link FaceTask#EMOTION} (seven emotions) on the same images.</li>
 * </ol>
 *
 * <p>Every model is trained on the samples of {@link ToyModels#TRAIN_START}{@code + [0, trainSamples)}
 * ({@code emotionTrainSamples} for EmotionVGG) rendered once and kept in memory, with seeded shuffled minibatches and
 * Adam. After each epoch the validation accuracy on
 * {@link ToyModels#VALIDATION_START}{@code + [0, validationSamples)} is measured; the parameters of the best epoch are
 * kept (on ties the earlier epoch stays) and training stops after {@code patience} epochs without improvement, at 100%
 * validation accuracy, or after the model's maximum epochs. Finally the held-out accuracy is measured on
 * {@link ToyModels#TEST_START}{@code + [0, testSamples)}. With the same {@link Settings} a run is reproducible up to
 * the floating-point non-determinism of multi-threaded CPU kernels.
 *
 * <pre>{@code
 * ToyModelTrainer.Results r = new ToyModelTrainer(ToyModelTrainer.Settings.defaults())
 *         .trainAll((task, done, total) -> System.out.println(task + " " + done + "/" + total));
 * ModelSerializer.writeModel(r.objectVgg().network(), "object_vgg.zip", false);
 * }</pre>
 */
public final class ToyModelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ToyModelTrainer.class);
    private static final int EVAL_BATCH = 128;

    private final Settings settings;

    /**
     * Creates a trainer.
     *
     * @param settings the training settings
     * @throws NullPointerException if {@code settings} is null
     */
    public ToyModelTrainer(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public Settings settings() {
        return settings;
    }

    /**
     * The training settings of one run.
     *
     * @param seed              seed of the weight initialization, the shuffles and dropout (the worlds have their own
     *                          fixed seed, {@link ToyModels#WORLD_SEED})
     * @param trainSamples      training samples per model (indices {@code [TRAIN_START, TRAIN_START + trainSamples)})
     * @param validationSamples validation samples for early stopping
     * @param testSamples       held-out samples for the reported accuracy
     * @param batchSize         minibatch size
     * @param objectMaxEpochs   maximum epochs of ObjectVGG (the hardest task: it learns slowest)
     * @param faceMaxEpochs     maximum epochs of FaceVGG
     * @param emotionMaxEpochs  maximum epochs of EmotionVGG's fine-tuning
     * @param patience          epochs without validation improvement before stopping
     * @param learningRate      Adam learning rate of ObjectVGG and FaceVGG
     * @param emotionLearningRate Adam learning rate of EmotionVGG's fine-tuning
     * @param denseDropout      dropout probability on the inputs of {@code fc1}, {@code fc2} and {@code predictions}
     *                          (0 for none)
     * @param emotionDropout    dropout probability of EmotionVGG's {@code dropout} layer
     * @param emotionTrainSamples training samples of EmotionVGG's fine-tuning (its frozen layers' outputs are
     *                          computed once per sample, so more samples cost little)
     */
    public record Settings(long seed, int trainSamples, int validationSamples, int testSamples, int batchSize,
                           int objectMaxEpochs, int faceMaxEpochs, int emotionMaxEpochs, int patience, double learningRate,
                           double emotionLearningRate, double denseDropout, double emotionDropout,
                           int emotionTrainSamples) {

        /** Validates the settings. */
        public Settings {
            if (trainSamples < 1 || emotionTrainSamples < 1 || validationSamples < 1 || testSamples < 1 || batchSize < 1 || objectMaxEpochs < 1
                    || faceMaxEpochs < 1 || emotionMaxEpochs < 1 || patience < 1) {
                throw new IllegalArgumentException("sample counts, batch size, epochs and patience must be positive");
            }
            if (Math.max(trainSamples, emotionTrainSamples) > ToyModels.VALIDATION_START - ToyModels.TRAIN_START
                    || validationSamples > ToyModels.TEST_START - ToyModels.VALIDATION_START) {
                throw new IllegalArgumentException("the training and validation ranges must stay disjoint (at most "
                        + (ToyModels.VALIDATION_START - ToyModels.TRAIN_START) + " samples each)");
            }
            if (!(learningRate > 0) || !(emotionLearningRate > 0)) {
                throw new IllegalArgumentException("learning rates must be positive");
            }
            if (!(denseDropout >= 0 && denseDropout < 1) || !(emotionDropout >= 0 && emotionDropout < 1)) {
                throw new IllegalArgumentException("dropout probabilities must be in [0, 1)");
            }
        }

        /**
         * Starts from the settings the shipped models were trained with (see {@code toy-models.json} next to them).
         *
         * @return a new builder
         */
        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builder of {@link Settings}: every setting is optional and starts at the shipped models' value. */
    public static final class Builder {
        private int trainSamples = 1680;
        private int validationSamples = 168;
        private int testSamples = 840;
        private int objectMaxEpochs = 6;
        private int faceMaxEpochs = 2;
        private int emotionMaxEpochs = 40;

        private Builder() { }

        /**
         * Sets the sample counts.
         *
         * @param train      training samples
         * @param validation validation samples
         * @param test       held-out test samples
         * @return this builder
         */
        public Builder optSamples(int train, int validation, int test) {
            this.trainSamples = train;
            this.validationSamples = validation;
            this.testSamples = test;
            return this;
        }

        /**
         * Sets the epoch limits.
         *
         * @param objectEpochs  maximum epochs of ObjectVGG
         * @param faceEpochs    maximum epochs of FaceVGG
         * @param emotionEpochs maximum epochs of EmotionVGG
         * @return this builder
         */
        public Builder optEpochs(int objectEpochs, int faceEpochs, int emotionEpochs) {
            this.objectMaxEpochs = objectEpochs;
            this.faceMaxEpochs = faceEpochs;
            this.emotionMaxEpochs = emotionEpochs;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Settings build() {
            return new Settings(42, trainSamples, validationSamples, testSamples, 16, objectMaxEpochs, faceMaxEpochs,
                    emotionMaxEpochs, 8, 1e-3, 3e-3, 0.0, 0.5, 5000);
        }
    }

    /**
     * The outcome of training one model.
     *
     * @param name               the model name ({@code ObjectVGG}, {@code FaceVGG}, {@code EmotionVGG})
     * @param network            the trained network, holding the parameters of the best epoch
     * @param architecture       its architecture
     * @param labels             its class labels
     * @param epochs             epochs run
     * @param bestEpoch          the epoch (1-based) whose parameters were kept
     * @param validationAccuracy validation accuracy of the kept parameters
     * @param testAccuracy       held-out accuracy of the kept parameters
     * @param testSamples        number of held-out samples
     * @param trainingSeconds    wall time of the training (data rendering included)
     * @param history            validation accuracy after each epoch
     */
    public record Result(String name, ComputationGraph network, VggArchitecture architecture, List<String> labels,
                         int epochs, int bestEpoch, double validationAccuracy, double testAccuracy, int testSamples,
                         double trainingSeconds, List<Double> history) {

        /** Copies the lists. */
        public Result {
            labels = List.copyOf(labels);
            history = List.copyOf(history);
        }
    }

    /**
     * The three trained models.
     *
     * @param objectVgg  ObjectVGG
     * @param faceVgg    FaceVGG
     * @param emotionVgg EmotionVGG (transfer from {@code faceVgg})
     */
    public record Results(Result objectVgg, Result faceVgg, Result emotionVgg) {
    }

    /**
     * Trains ObjectVGG, FaceVGG and then EmotionVGG from FaceVGG.
     *
     * @param listener receives {@code ("<model> epoch", done, max)} after every epoch, the validation accuracy as
     *                 {@code ("<model> validation accuracy (per mille) after epoch <e>", permille, 1000)}, and
     *                 {@code ("<model> epoch <e> batches", done, total)} every 10 minibatches
     * @return the trained models
     */
    public Results trainAll(ProgressListener listener) {
        Result object = trainObjectVgg(listener);
        Result face = trainFaceVgg(listener);
        Result emotion = trainEmotionVgg(face.network(), listener);
        return new Results(object, face, emotion);
    }

    /**
     * Like {@link #trainAll} but trains ObjectVGG on a second thread while FaceVGG and then EmotionVGG train on the
     * calling thread. Each model has its own seeds (ND4J random generators are per thread), so the results equal
     * those of {@link #trainAll} up to floating-point non-determinism; on a machine with spare cores it takes about
     * the time of FaceVGG plus EmotionVGG.
     *
     * @param listener progress receiver; called from both threads (it must be thread-safe)
     * @return the trained models
     */
    public Results trainAllConcurrently(ProgressListener listener) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ObjectVGG-trainer");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<Result> object = CompletableFuture.supplyAsync(() -> trainObjectVgg(listener), executor);
            Result face = trainFaceVgg(listener);
            Result emotion = trainEmotionVgg(face.network(), listener);
            return new Results(object.join(), face, emotion);
        } finally {
            executor.shutdown();
        }
    }

    /**
     * Trains ObjectVGG from scratch on {@link ToyModels#objectWorld()}.
     *
     * @param listener progress receiver
     * @return the result
     */
    public Result trainObjectVgg(ProgressListener listener) {
        return ThreadRandom.preserving(() -> {
            ToyWorld world = ToyModels.objectWorld();
            VggArchitecture arch = ToyModels.ARCHITECTURE.toBuilder().optNumClasses(world.numClasses()).build();
            return train(ToyModels.OBJECT_VGG, buildNetwork(arch, settings.seed(), settings.learningRate(),
                    settings.denseDropout()), arch, world, settings.objectMaxEpochs(), listener);
        });
    }

    /**
     * Trains FaceVGG from scratch on {@link ToyModels#faceWorld(FaceTask)} labelled by identity.
     *
     * @param listener progress receiver
     * @return the result
     */
    public Result trainFaceVgg(ProgressListener listener) {
        return ThreadRandom.preserving(() -> {
            ToyWorld world = ToyModels.faceWorld(FaceTask.IDENTITY);
            VggArchitecture arch = ToyModels.ARCHITECTURE.toBuilder().optNumClasses(world.numClasses()).build();
            return train(ToyModels.FACE_VGG, buildNetwork(arch, settings.seed() + 1, settings.learningRate(),
                    settings.denseDropout()), arch, world, settings.faceMaxEpochs(), listener);
        });
    }

    /**
     * Builds EmotionVGG from a trained FaceVGG with {@link EmotionTransfer} and fine-tunes it on
     * {@link ToyModels#faceWorld(FaceTask)} labelled by emotion, on {@code emotionTrainSamples} samples. The
     * frozen layers' outputs ({@code block5_conv2}) are computed once with DL4J's {@link TransferLearningHelper} and
     * only {@code block5_conv3} and the new head are fitted on them, which is the same optimization as fitting the
     * whole graph with frozen layers, without repeating their forward pass every epoch. The FaceVGG network is not
     * modified.
     *
     * @param faceVgg  the trained FaceVGG network
     * @param listener progress receiver
     * @return the result
     */
    public Result trainEmotionVgg(ComputationGraph faceVgg, ProgressListener listener) {
        return ThreadRandom.preserving(() -> transferAndTrainEmotionVgg(faceVgg, listener));
    }

    private Result transferAndTrainEmotionVgg(ComputationGraph faceVgg, ProgressListener listener) {
        long t0 = System.nanoTime();
        ToyWorld world = ToyModels.faceWorld(FaceTask.EMOTION);
        EmotionNetwork emotion = EmotionTransfer.builder()
                .setBaseNetwork(faceVgg)
                .optBaseArchitecture(ToyModels.ARCHITECTURE.toBuilder().optNumClasses(FaceWorld.IDENTITY_COUNT).build())
                .optClasses(world.labelNames())
                .optDropoutRate(settings.emotionDropout())
                .optLearningRate(settings.emotionLearningRate())
                .optSeed(settings.seed() + 2)
                .build();
        // The frozen layers are deterministic, so their outputs are computed once instead of in every epoch.
        TransferLearningHelper helper = new TransferLearningHelper(emotion.graph());
        DataSet train = helper.featurize(world.dataset(ToyModels.TRAIN_START, settings.emotionTrainSamples())
                .toDataSet());
        ToyDataset validation = world.dataset(ToyModels.VALIDATION_START, settings.validationSamples());
        INDArray validationFeatures = helper.featurize(validation.toDataSet()).getFeatures();
        LOG.info("{}: rendered and featurized {} training and {} validation samples in {} s", ToyModels.EMOTION_VGG,
                train.numExamples(), validation.size(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return fitEpochs(ToyModels.EMOTION_VGG, emotion.graph(), helper.unfrozenGraph(), emotion.architecture(), world,
                train.getFeatures(), train.getLabels(), validationFeatures, validation.labelIndices(),
                settings.emotionMaxEpochs(), settings.patience(), t0, listener);
    }

    /**
     * Builds an untrained network of a plain VGG architecture (no normalized head) as a DL4J
     * {@link ComputationGraph} taking NCHW input: vertices {@code block<b>_conv<i>} (3x3, same padding, ReLU, He
     * initialization), {@code block<b>_pool} (2x2/2 max pooling), {@code fc1, fc2, ...} (ReLU dense) and
     * {@code predictions} (softmax, cross-entropy), optimized by Adam.
     *
     * @param architecture the architecture (its {@code normalizedHead} must be false)
     * @param seed         the initialization seed
     * @param learningRate Adam's learning rate
     * @param denseDropout dropout probability on the inputs of the dense layers after {@code fc1} (0 for none)
     * @return the initialized network
     * @throws IllegalArgumentException if the architecture has a normalized head
     */
    public static ComputationGraph buildNetwork(VggArchitecture architecture, long seed, double learningRate,
                                                double denseDropout) {
        if (architecture.normalizedHead()) {
            throw new IllegalArgumentException("buildNetwork builds plain VGG classifiers; got " + architecture);
        }
        // DL4J reseeds the calling thread's ND4J generator (in NeuralNetConfiguration.Builder.seed) and draws the
        // initial weights from it (in init): the generator is restored afterwards.
        return ThreadRandom.preserving(() -> build(architecture, seed, learningRate, denseDropout));
    }

    private static ComputationGraph build(VggArchitecture architecture, long seed, double learningRate,
                                          double denseDropout) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(architecture.height(), architecture.width(), 3));
        String previous = "input";
        int[] depths = architecture.convolutionsPerBlock();
        int[] widths = architecture.blockWidths();
        for (int b = 0; b < VggArchitecture.BLOCKS; b++) {
            for (int i = 0; i < depths[b]; i++) {
                String name = "block" + (b + 1) + "_conv" + (i + 1);
                g.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(widths[b])
                        .activation(Activation.RELU).build(), previous);
                previous = name;
            }
            String pool = "block" + (b + 1) + "_pool";
            g.addLayer(pool, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build(), previous);
            previous = pool;
        }
        int[] hidden = architecture.hiddenUnits();
        for (int i = 0; i < hidden.length; i++) {
            String name = "fc" + (i + 1);
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(hidden[i]).activation(Activation.RELU);
            if (i > 0 && denseDropout > 0) {
                dense.dropOut(1.0 - denseDropout);
            }
            g.addLayer(name, dense.build(), previous);
            previous = name;
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(architecture.numClasses()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (hidden.length > 0 && denseDropout > 0) {
            out.dropOut(1.0 - denseDropout);
        }
        g.addLayer("predictions", out.build(), previous).setOutputs("predictions");
        ComputationGraph network = new ComputationGraph(g.build());
        network.init();
        return network;
    }

    /**
     * Accuracy of a network on {@code count} consecutive samples of a world starting at {@code fromIndex}, rendered
     * and evaluated in batches.
     *
     * @param network   a network taking NCHW pixel batches in [0, 1]
     * @param world     the world
     * @param fromIndex the first sample index
     * @param count     the number of samples
     * @return the fraction classified correctly
     */
    public static double accuracy(ComputationGraph network, ToyWorld world, long fromIndex, int count) {
        int correct = 0;
        for (int start = 0; start < count; start += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, count - start);
            ToyDataset batch = world.dataset(fromIndex + start, n);
            correct += countCorrect(network, batch.features(), batch.labelIndices());
        }
        return correct / (double) count;
    }

    private Result train(String name, ComputationGraph network, VggArchitecture arch, ToyWorld world, int maxEpochs,
                         ProgressListener listener) {
        long t0 = System.nanoTime();
        ToyDataset train = world.dataset(ToyModels.TRAIN_START, settings.trainSamples());
        ToyDataset validation = world.dataset(ToyModels.VALIDATION_START, settings.validationSamples());
        LOG.info("{}: rendered {} training and {} validation samples in {} s", name, train.size(), validation.size(),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return fitEpochs(name, network, network, arch, world, train.features(), train.labels(),
                validation.features(), validation.labelIndices(), maxEpochs, settings.patience(), t0, listener);
    }

    /**
     * Fits {@code trained} on minibatches of {@code features} for at most {@code maxEpochs}, keeping the parameters
     * of the epoch with the best validation accuracy. {@code trained} is either {@code network} itself or the
     * trainable part of it, sharing its layers' parameters (DL4J's {@link TransferLearningHelper#unfrozenGraph()});
     * the held-out accuracy is always measured on the whole {@code network} from rendered images.
     */
    private Result fitEpochs(String name, ComputationGraph network, ComputationGraph trained, VggArchitecture arch,
                             ToyWorld world, INDArray features, INDArray labels, INDArray validationFeatures,
                             int[] validationLabels, int maxEpochs, int patience, long t0, ProgressListener listener) {
        // DL4J draws dropout masks from the thread's ND4J generator: seeded for reproducible training, then restored.
        return ThreadRandom.seeded(settings.seed(), () -> fitEpochsSeeded(name, network, trained, arch, world,
                features, labels, validationFeatures, validationLabels, maxEpochs, patience, t0, listener));
    }

    private Result fitEpochsSeeded(String name, ComputationGraph network, ComputationGraph trained,
                                   VggArchitecture arch, ToyWorld world, INDArray features, INDArray labels,
                                   INDArray validationFeatures, int[] validationLabels, int maxEpochs, int patience,
                                   long t0, ProgressListener listener) {
        long[] shape = features.shape();
        long rowLength = features.length() / shape[0];
        INDArray rowsView = features.reshape('c', shape[0], rowLength);
        int n = (int) shape[0];
        int batchSize = settings.batchSize();
        int batchesPerEpoch = (n + batchSize - 1) / batchSize;
        Random random = new Random(settings.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] batchShape = shape.clone();
        List<Double> history = new ArrayList<>();
        INDArray bestParams = trained.params().dup();
        double bestAccuracy = -1;
        int bestEpoch = 0;
        int sinceBest = 0;
        int epoch = 0;
        listener.onProgress(name + " epoch", 0, maxEpochs);
        while (epoch < maxEpochs) {
            epoch++;
            shuffle(order, random);
            double lossSum = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                int[] rows = Arrays.copyOfRange(order, from, to);
                batchShape[0] = rows.length;
                INDArray x = Nd4j.pullRows(rowsView, 1, rows).reshape('c', batchShape);
                trained.fit(new DataSet(x, Nd4j.pullRows(labels, 1, rows)));
                lossSum += trained.score();
                if ((b + 1) % 10 == 0 || b + 1 == batchesPerEpoch) {
                    listener.onProgress(name + " epoch " + epoch + " batches", b + 1, batchesPerEpoch);
                }
            }
            double accuracy = countCorrect(trained, validationFeatures, validationLabels)
                    / (double) validationLabels.length;
            history.add(accuracy);
            LOG.info("{} epoch {}: training loss {}, validation accuracy {}", name, epoch,
                    String.format("%.4f", lossSum / batchesPerEpoch), String.format("%.4f", accuracy));
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                bestParams = trained.params().dup();
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            listener.onProgress(name + " validation accuracy (per mille) after epoch " + epoch,
                    Math.round(accuracy * 1000), 1000);
            listener.onProgress(name + " epoch", epoch, maxEpochs);
            if (sinceBest >= patience || bestAccuracy >= 1.0) {
                break;
            }
        }
        trained.setParams(bestParams);
        if (trained != network) {
            for (Layer layer : trained.getLayers()) {
                String layerName = layer.conf().getLayer().getLayerName();
                network.getLayer(layerName).setParams(layer.params());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double test = accuracy(network, world, ToyModels.TEST_START, settings.testSamples());
        LOG.info("{}: best epoch {} of {}, validation accuracy {}, held-out accuracy {} ({} s)", name, bestEpoch, epoch,
                bestAccuracy, test, String.format("%.0f", seconds));
        return new Result(name, network, arch, world.labelNames(), epoch, bestEpoch, bestAccuracy, test,
                settings.testSamples(), seconds, history);
    }

    private static int countCorrect(ComputationGraph network, INDArray features, int[] labels) {
        int correct = 0;
        for (int start = 0; start < labels.length; start += EVAL_BATCH) {
            int end = Math.min(labels.length, start + EVAL_BATCH);
            INDArray x = features.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c');
            INDArray p = network.outputSingle(false, x);
            int[] best = Predictions.argMax(p);
            for (int i = start; i < end; i++) {
                if (best[i - start] == labels[i]) {
                    correct++;
                }
            }
        }
        return correct;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
