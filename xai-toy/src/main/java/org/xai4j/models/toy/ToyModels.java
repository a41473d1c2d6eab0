package org.xai4j.models.toy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.models.Dl4jNetworks;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.InputSpace;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.VggLayout;
import org.xai4j.models.dl4j.ModelZipSource;

/**
 * The three toy mini-VGGs shipped with xai4j, the stand-ins for the study's VGG16, VGGFace and VGGEmotion: one shared
 * architecture ({@link #ARCHITECTURE}, the VGG16 block structure, narrower, 64x64 input), three trainings.
 *
 * <ul>
 *   <li>{@link #objectVgg()}: <b>ObjectVGG</b>, trained from scratch on {@link #objectWorld()} (6 object classes) —
 *       the VGG16 stand-in;</li>
 *   <li>{@link #faceVgg()}: <b>FaceVGG</b>, the same architecture trained from scratch on
 *       {@link #faceWorld(FaceTask) faceWorld(IDENTITY)} (8 identities) — the VGGFace stand-in;</li>
 *   <li>{@link #emotionVgg()}: <b>EmotionVGG</b>, FaceVGG transferred with
 *       {@link org.xai4j.models.transfer.EmotionTransfer} (layers up to {@code block5_conv2} frozen and identical to
 *       FaceVGG's, {@code block5_conv3} re-initialized and retrained, head {@code batch_normalization -> dropout ->
 *       flatten -> predictions}) and fine-tuned on {@code faceWorld(EMOTION)} (7 emotions) — the VGGEmotion
 *       stand-in.</li>
 * </ul>
 *
 * <p>Every model takes xai4j pixel-space input (RGB, NCHW {@code [n, 3, 64, 64]}, values in [0, 1], exactly what the
 * worlds render; {@link Preprocessing#UNIT}, {@link InputSpace#PIXELS}), its layers carry the Keras-style names of
 * the VGG adapters ({@link VggLayout#layerNames}), and its labels are the world's {@link ToyWorld#labelNames()}. Each
 * loads as the one loaded-model type, an {@link ImageClassifier}; the {@code toy:} model provider ({@link ToyProvider})
 * serves them by name. The weights are DL4J model zips under the classpath folder {@code org/xai4j/models/toy/}
 * ({@link #OBJECT_VGG_ZIP} etc.), written by {@link ToyModelTrainer} through the
 * {@code org.xai4j.examples.TrainToyModels} example, which also writes {@code toy-models.json} with the training
 * settings and the measured held-out accuracies.
 *
 * <p>Samples are split by index: training {@code [TRAIN_START, TRAIN_START + n)}, validation
 * {@code [VALIDATION_START, ...)}, held-out test {@code [TEST_START, ...)}; the ranges are disjoint for any
 * {@code n} below one million, and because labels cycle with the index every range of {@code numClasses} consecutive
 * samples is balanced.
 */
public final class ToyModels {

    /** Seed of every toy world the models were trained and are evaluated on. */
    public static final long WORLD_SEED = 2024;

    /** Image side of the toy worlds and input side of the models. */
    public static final int SIZE = 64;

    /**
     * The shared architecture: 64x64x3 input, five blocks of 2, 2, 3, 3, 3 3x3 ReLU convolutions (like VGG16) of widths
     * 8, 16, 32, 48, 64 (VGG16: 64, 128, 256, 512, 512; narrow so that DL4J trains it on a laptop CPU in minutes), each closed by a 2x2 max pooling, then {@code fc1}, {@code fc2}
     * of 128 ReLU units and {@code predictions}. The class count here is a placeholder (6); each model sets its own
     * with {@link VggArchitecture#toBuilder()}, and EmotionVGG replaces the head
     * ({@link VggArchitecture#withNormalizedHead}).
     */
    public static final VggArchitecture ARCHITECTURE = new VggArchitecture(SIZE, SIZE, new int[] {2, 2, 3, 3, 3},
            new int[] {8, 16, 32, 48, 64}, new int[] {128, 128}, false, ObjectClass.values().length);

    /** First index of the training samples. */
    public static final long TRAIN_START = 0;
    /** First index of the validation samples (early stopping). */
    public static final long VALIDATION_START = 1_000_000;
    /** First index of the held-out test samples (the reported accuracies). */
    public static final long TEST_START = 2_000_000;

    /** Name of ObjectVGG. */
    public static final String OBJECT_VGG = "ObjectVGG";
    /** Name of FaceVGG. */
    public static final String FACE_VGG = "FaceVGG";
    /** Name of EmotionVGG. */
    public static final String EMOTION_VGG = "EmotionVGG";

    /** File name of ObjectVGG's DL4J model zip, in the classpath folder {@code org/xai4j/models/toy/}. */
    public static final String OBJECT_VGG_ZIP = "object_vgg.zip";
    /** File name of FaceVGG's DL4J model zip. */
    public static final String FACE_VGG_ZIP = "face_vgg.zip";
    /** File name of EmotionVGG's DL4J model zip. */
    public static final String EMOTION_VGG_ZIP = "emotion_vgg.zip";
    /** File name of the training summary (settings, epochs, held-out accuracies, times). */
    public static final String SUMMARY_JSON = "toy-models.json";

    private ToyModels() {
    }

    /**
     * The object world the ObjectVGG was trained on: {@code new ObjectWorld(WORLD_SEED)}, 64x64.
     *
     * @return the world
     */
    public static ObjectWorld objectWorld() {
        return new ObjectWorld(WORLD_SEED, SIZE);
    }

    /**
     * The face world FaceVGG ({@link FaceTask#IDENTITY}) and EmotionVGG ({@link FaceTask#EMOTION}) were trained on:
     * {@code new FaceWorld(WORLD_SEED, task)}, 64x64. Both tasks render the same images.
     *
     * @param task the labelling
     * @return the world
     * @throws NullPointerException if {@code task} is null
     */
    public static FaceWorld faceWorld(FaceTask task) {
        return new FaceWorld(WORLD_SEED, SIZE, Objects.requireNonNull(task, "task must not be null"));
    }

    /**
     * The architecture of ObjectVGG: {@link #ARCHITECTURE} with 6 classes.
     *
     * @return the architecture
     */
    public static VggArchitecture objectArchitecture() {
        return ARCHITECTURE.toBuilder().optNumClasses(ObjectClass.values().length).build();
    }

    /**
     * The architecture of FaceVGG: {@link #ARCHITECTURE} with 8 classes.
     *
     * @return the architecture
     */
    public static VggArchitecture faceArchitecture() {
        return ARCHITECTURE.toBuilder().optNumClasses(FaceWorld.IDENTITY_COUNT).build();
    }

    /**
     * The architecture of EmotionVGG: FaceVGG's body with the normalized 7-way head.
     *
     * @return the architecture
     */
    public static VggArchitecture emotionArchitecture() {
        return ARCHITECTURE.toBuilder().optNormalizedHead(true).optNumClasses(Emotion.values().length).build();
    }

    /**
     * Loads ObjectVGG (labels {@link ObjectClass#displayNames()}).
     *
     * @return the classifier; the caller closes it
     * @throws UncheckedIOException  if the resource is missing or unreadable
     * @throws IllegalStateException if the resource does not hold the expected network
     */
    public static ImageClassifier objectVgg() {
        return load(OBJECT_VGG, OBJECT_VGG_ZIP, objectArchitecture(), objectWorld().labelNames());
    }

    /**
     * Loads FaceVGG (labels {@link FaceWorld#identityNames()}).
     *
     * @return the classifier; the caller closes it
     * @throws UncheckedIOException  if the resource is missing or unreadable
     * @throws IllegalStateException if the resource does not hold the expected network
     */
    public static ImageClassifier faceVgg() {
        return load(FACE_VGG, FACE_VGG_ZIP, faceArchitecture(), faceWorld(FaceTask.IDENTITY).labelNames());
    }

    /**
     * Loads EmotionVGG (labels {@link Emotion#displayNames()}).
     *
     * @return the classifier; the caller closes it
     * @throws UncheckedIOException  if the resource is missing or unreadable
     * @throws IllegalStateException if the resource does not hold the expected network
     */
    public static ImageClassifier emotionVgg() {
        return load(EMOTION_VGG, EMOTION_VGG_ZIP, emotionArchitecture(), faceWorld(FaceTask.EMOTION).labelNames());
    }

    /**
     * Loads the DL4J network of a shipped model, as trained (for comparison with the {@link ImageClassifier} or
     * further training).
     *
     * @param zipName one of {@link #OBJECT_VGG_ZIP}, {@link #FACE_VGG_ZIP}, {@link #EMOTION_VGG_ZIP}
     * @return the network, taking NCHW pixel batches in [0, 1]
     * @throws UncheckedIOException  if the resource is missing or unreadable
     * @throws IllegalStateException if the resource is not a DL4J ComputationGraph zip
     */
    public static ComputationGraph network(String zipName) {
        Model model = loadResource(zipName);
        if (!(model instanceof ComputationGraph graph)) {
            throw new IllegalStateException("resource " + zipName + " holds a " + model.getClass().getSimpleName()
                    + ", expected a ComputationGraph");
        }
        return graph;
    }

    /**
     * Wraps a trained toy network as an {@link ImageClassifier}: checks it against the architecture, renames its
     * layers Keras-style and converts it to a {@link Nd4jImageModel} in pixel space ({@link Preprocessing#UNIT}).
     *
     * @param name         the model name
     * @param network      a DL4J network of the architecture, taking NCHW pixels in [0, 1]
     * @param architecture the architecture
     * @param labels       the class labels
     * @return the classifier; the caller closes it
     * @throws IllegalArgumentException if the network does not have the architecture or the labels do not match its
     *                                  class count
     */
    public static ImageClassifier toClassifier(String name, Model network, VggArchitecture architecture,
                                               List<String> labels) {
        NetworkSpec converted = Dl4jNetworks.toSpec(network, name, architecture.inputShape());
        NetworkSpec renamed = VggLayout.toKerasNames(converted, architecture);
        Nd4jImageModel model = Nd4jImageModel.of(new NetworkSpec(name, architecture.inputShape(),
                new ArrayList<>(renamed.layers())));
        return new ImageClassifier(name, model, labels, Preprocessing.UNIT, architecture.inputShape());
    }

    private static ImageClassifier load(String name, String zipName, VggArchitecture architecture,
                                        List<String> labels) {
        try {
            return toClassifier(name, loadResource(zipName), architecture, labels);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("resource " + zipName + " does not hold " + name + ": " + e.getMessage(), e);
        }
    }

    private static Model loadResource(String zipName) {
        Path tmp = null;
        try (InputStream in = ToyModels.class.getResourceAsStream(zipName)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("resource org/xai4j/models/toy/" + zipName
                        + " is missing from the classpath; retrain with org.xai4j.examples.TrainToyModels"));
            }
            tmp = Files.createTempFile("xai4j-toy-", ".zip");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return ModelZipSource.builder().setFile(tmp).build().load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource org/xai4j/models/toy/" + zipName, e);
        } catch (ModelLoadException e) {
            throw new IllegalStateException("resource org/xai4j/models/toy/" + zipName + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    tmp.toFile().deleteOnExit();
                }
            }
        }
    }
}
