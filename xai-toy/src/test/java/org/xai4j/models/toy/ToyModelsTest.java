package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.InputSpace;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.VggLayout;

/**
 * The shipped toy mini-VGGs: they load quickly from the classpath, classify their own held-out samples at the accuracy
 * {@code toy-models.json} reports, match their DL4J networks, and EmotionVGG shares FaceVGG's frozen body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToyModelsTest {

    /** Held-out samples re-checked here: the first 210 of the reported test range (balanced for 6, 7 classes). */
    private static final int CHECKED = 210;
    /** Loading one model (zip copy, restore, conversion, SameDiff graph) must take less than this. */
    private static final double MAX_LOAD_SECONDS = 5;
    /** The first load of a JVM also initializes DL4J's and SameDiff's classes (about 3 s more on a busy 2-core box). */
    private static final double MAX_FIRST_LOAD_SECONDS = 10;

    private JsonNode summary;
    private ImageClassifier object;
    private ImageClassifier face;
    private ImageClassifier emotion;
    private final List<Double> loadSeconds = new ArrayList<>();

    @BeforeAll
    void load() throws Exception {
        Nd4j.create(1).addi(1); // backend start-up is not part of a model's load time
        try (InputStream in = ToyModels.class.getResourceAsStream(ToyModels.SUMMARY_JSON)) {
            assertThat(in).as("resource " + ToyModels.SUMMARY_JSON).isNotNull();
            summary = new ObjectMapper().readTree(in);
        }
        object = timed(ToyModels::objectVgg);
        face = timed(ToyModels::faceVgg);
        emotion = timed(ToyModels::emotionVgg);
        System.out.printf("[toy models] load seconds: ObjectVGG %.2f, FaceVGG %.2f, EmotionVGG %.2f%n",
                loadSeconds.get(0), loadSeconds.get(1), loadSeconds.get(2));
    }

    private ImageClassifier timed(java.util.function.Supplier<ImageClassifier> loader) {
        long t0 = System.nanoTime();
        ImageClassifier m = loader.get();
        loadSeconds.add((System.nanoTime() - t0) / 1e9);
        return m;
    }

    @Test
    void modelsLoadQuicklyWithTheSharedArchitectureNamesAndLabels() {
        assertThat(loadSeconds.get(0)).as("first load").isLessThan(MAX_FIRST_LOAD_SECONDS);
        assertThat(loadSeconds.subList(1, 3)).allSatisfy(s -> assertThat(s).isLessThan(MAX_LOAD_SECONDS));
        assertThat(object.name()).isEqualTo(ToyModels.OBJECT_VGG);
        assertThat(face.name()).isEqualTo(ToyModels.FACE_VGG);
        assertThat(emotion.name()).isEqualTo(ToyModels.EMOTION_VGG);
        assertThat(object.labels()).isEqualTo(ObjectClass.displayNames());
        assertThat(face.labels()).isEqualTo(FaceWorld.identityNames());
        assertThat(emotion.labels()).isEqualTo(Emotion.displayNames());
        VggArchitecture objectArchitecture = ToyModels.ARCHITECTURE.toBuilder().optNumClasses(6).build();
        VggArchitecture faceArchitecture = ToyModels.ARCHITECTURE.toBuilder().optNumClasses(8).build();
        VggArchitecture emotionArchitecture = ToyModels.ARCHITECTURE.toBuilder().optNormalizedHead(true)
                .optNumClasses(7).build();
        assertThat(ToyModels.objectArchitecture()).isEqualTo(objectArchitecture);
        assertThat(ToyModels.faceArchitecture()).isEqualTo(faceArchitecture);
        assertThat(ToyModels.emotionArchitecture()).isEqualTo(emotionArchitecture);
        // the loaded models have the layers (names and, through the load's layout check, shapes) of those architectures
        assertThat(object.model().layerNames()).containsExactlyElementsOf(VggLayout.layerNames(objectArchitecture));
        assertThat(face.model().layerNames()).containsExactlyElementsOf(VggLayout.layerNames(faceArchitecture));
        assertThat(emotion.model().layerNames()).containsExactlyElementsOf(VggLayout.layerNames(emotionArchitecture));
        assertThat(object.model().numClasses()).isEqualTo(objectArchitecture.numClasses());
        assertThat(face.model().numClasses()).isEqualTo(faceArchitecture.numClasses());
        assertThat(emotion.model().numClasses()).isEqualTo(emotionArchitecture.numClasses());
        for (ImageClassifier m : List.of(object, face, emotion)) {
            assertThat(m.preprocessing()).isEqualTo(Preprocessing.UNIT);
            assertThat(m.inputSpace()).isEqualTo(InputSpace.PIXELS);
            assertThat(m.model().inputShape()).containsExactly(3, 64, 64);
            assertThat(m.inputShape()).containsExactly(3, 64, 64);
        }
        assertThat(object.model().layerNames()).startsWith("block1_conv1", "block1_conv2", "block1_pool")
                .endsWith("block5_conv3", "block5_pool", "flatten", "fc1", "fc2", "predictions");
        assertThat(emotion.model().layerNames()).endsWith("block5_conv3", "block5_pool", "batch_normalization",
                "dropout", "flatten", "predictions");
    }

    @Test
    void heldOutAccuracyMatchesTheReportedOne() {
        check(object, ToyModels.objectWorld());
        check(face, ToyModels.faceWorld(FaceTask.IDENTITY));
        check(emotion, ToyModels.faceWorld(FaceTask.EMOTION));
    }

    /**
     * The 210 samples are the first quarter of the 840 the summary reports on, so their accuracy scatters around the
     * reported one with a standard deviation of at most sqrt(p(1-p)/210) (less: they are drawn without replacement);
     * three of those, plus one sample of slack, is the margin. The check is deterministic (fixed samples and weights).
     */
    private void check(ImageClassifier model, ToyWorld world) {
        JsonNode m = summary.get("models").get(model.name());
        double reported = m.get("heldOutAccuracy").asDouble();
        double chance = 1.0 / world.numClasses();
        ToyDataset test = world.dataset(ToyModels.TEST_START, CHECKED);
        int[] predicted = model.predict(test.features());
        int[] labels = test.labelIndices();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        double accuracy = correct / (double) CHECKED;
        double margin = 3 * Math.sqrt(reported * (1 - reported) / CHECKED) + 1.0 / CHECKED;
        System.out.printf("[toy models] %s: accuracy %.4f on %d held-out samples, reported %.4f on %d, margin %.4f,"
                + " chance %.3f%n", model.name(), accuracy, CHECKED, reported, m.get("testSamples").asInt(), margin,
                chance);
        assertThat(accuracy).as(model.name() + " held-out accuracy").isGreaterThanOrEqualTo(reported - margin);
        // Clearly above chance: more than three binomial standard deviations of the 840-sample estimate at chance level.
        int reportedOn = m.get("testSamples").asInt();
        assertThat(reported).as(model.name() + " reported accuracy vs chance")
                .isGreaterThan(chance + 3 * Math.sqrt(chance * (1 - chance) / reportedOn));
    }

    @Test
    void sameDiffModelsReproduceTheDl4jNetworks() {
        ToyDataset faces = ToyModels.faceWorld(FaceTask.IDENTITY).dataset(ToyModels.TEST_START, 4);
        ToyDataset objects = ToyModels.objectWorld().dataset(ToyModels.TEST_START, 4);
        assertMatches(object, ToyModels.network(ToyModels.OBJECT_VGG_ZIP), objects.features());
        assertMatches(face, ToyModels.network(ToyModels.FACE_VGG_ZIP), faces.features());
        assertMatches(emotion, ToyModels.network(ToyModels.EMOTION_VGG_ZIP), faces.features());
    }

    private static void assertMatches(ImageClassifier model, ComputationGraph network, INDArray x) {
        INDArray expected = network.outputSingle(false, x.dup());
        INDArray actual = model.model().probabilities(x);
        double diff = abs(actual.castTo(expected.dataType()).sub(expected)).maxNumber().doubleValue();
        System.out.printf("[toy models] %s: SameDiff vs DL4J max|diff| = %.3g%n", model.name(), diff);
        assertThat(diff).as(model.name()).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void emotionVggSharesFaceVggsFrozenBodyAndRetrainedTheLastConvolution() {
        ComputationGraph faceNet = ToyModels.network(ToyModels.FACE_VGG_ZIP);
        ComputationGraph emotionNet = ToyModels.network(ToyModels.EMOTION_VGG_ZIP);
        int[] depths = ToyModels.ARCHITECTURE.convolutionsPerBlock();
        for (int b = 1; b <= 5; b++) {
            for (int i = 1; i <= depths[b - 1]; i++) {
                String name = "block" + b + "_conv" + i;
                double diff = maxAbsDiff(faceNet.getLayer(name).params(), emotionNet.getLayer(name).params());
                if (name.equals("block5_conv3")) {
                    assertThat(diff).as(name + " is retrained").isGreaterThan(1e-3);
                } else {
                    assertThat(diff).as(name + " is frozen").isZero();
                }
            }
        }
        assertThat(emotionNet.getConfiguration().getTopologicalOrderStr()).doesNotContain("fc1", "fc2");
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return abs(a.sub(b)).maxNumber().doubleValue();
    }

    private static INDArray abs(INDArray a) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a);
    }
}
