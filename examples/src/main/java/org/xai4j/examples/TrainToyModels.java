package org.xai4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.util.ModelSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.xai4j.ProgressListener;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.toy.ToyModelTrainer;
import org.xai4j.models.toy.ToyModels;

/**
 * Retrains the three toy mini-VGGs of {@link ToyModels} (ObjectVGG, FaceVGG, EmotionVGG) with {@link ToyModelTrainer}
 * and writes their DL4J model zips plus {@code toy-models.json} (architecture, seed, sample counts, epochs, held-out
 * accuracy and training time per model) into an output folder.
 *
 * <pre>
 * mvn -q -pl examples -am install -DskipTests
 * mvn -q -pl examples exec:java -Dexec.mainClass=org.xai4j.examples.TrainToyModels [-Dexec.args="OUTPUT_FOLDER"]
 * </pre>
 *
 * <p>The default output folder is {@code xai-toy/src/main/resources/org/xai4j/models/toy/} of the source tree
 * (resolved from the current directory or its parent), so a run replaces the shipped models. Optional further
 * arguments override the sample counts and epochs: {@code OUTPUT train validation test objectEpochs faceEpochs emotionEpochs}.
 *
 * <p>{@code -Dexec.args="--emotion-only [OUTPUT]"} retrains only EmotionVGG, from the shipped FaceVGG, and replaces
 * only its zip and its entry in {@code toy-models.json} (the settings recorded there become this run's).
 */
public final class TrainToyModels {

    private static final String DEFAULT_OUTPUT = "xai-toy/src/main/resources/org/xai4j/models/toy";

    private TrainToyModels() {
    }

    /**
     * Trains and writes the models.
     *
     * @param args {@code [outputFolder [train validation test [objectEpochs faceEpochs emotionEpochs]]]}
     * @throws IOException if the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--emotion-only")) {
            retrainEmotion(args.length > 1 ? Path.of(args[1]) : defaultOutput());
            return;
        }
        Path out = args.length > 0 ? Path.of(args[0]) : defaultOutput();
        ToyModelTrainer.Builder builder = ToyModelTrainer.Settings.builder();
        if (args.length >= 4) {
            builder.optSamples(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
        if (args.length >= 7) {
            builder.optEpochs(Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        }
        ToyModelTrainer.Settings settings = builder.build();
        Files.createDirectories(out);
        System.out.println("Training the toy mini-VGGs into " + out.toAbsolutePath() + " with " + settings);
        long t0 = System.nanoTime();
        ToyModelTrainer.Results results = new ToyModelTrainer(settings).trainAllConcurrently(progressPrinter(t0));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("description", "xai4j toy mini-VGGs, trained by org.xai4j.examples.TrainToyModels");
        summary.put("trainedAt", Instant.now().toString());
        summary.put("architecture", architecture(ToyModels.ARCHITECTURE));
        summary.put("worldSeed", ToyModels.WORLD_SEED);
        summary.put("trainingSeed", settings.seed());
        summary.put("settings", settings);
        summary.put("indexRanges", Map.of("trainStart", ToyModels.TRAIN_START,
                "validationStart", ToyModels.VALIDATION_START, "testStart", ToyModels.TEST_START));
        Map<String, Object> models = new LinkedHashMap<>();
        for (ToyModelTrainer.Result r : new ToyModelTrainer.Result[] {results.objectVgg(), results.faceVgg(),
                results.emotionVgg()}) {
            String file = switch (r.name()) {
                case ToyModels.OBJECT_VGG -> ToyModels.OBJECT_VGG_ZIP;
                case ToyModels.FACE_VGG -> ToyModels.FACE_VGG_ZIP;
                default -> ToyModels.EMOTION_VGG_ZIP;
            };
            models.put(r.name(), writeModel(r, file, out, settings));
        }
        summary.put("models", models);
        summary.put("totalSeconds", Math.round((System.nanoTime() - t0) / 1e9));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve(ToyModels.SUMMARY_JSON).toFile(), summary);
        System.out.println("Wrote " + out.resolve(ToyModels.SUMMARY_JSON));
    }

    private static void retrainEmotion(Path out) throws IOException {
        Path summaryFile = out.resolve(ToyModels.SUMMARY_JSON);
        if (!Files.isRegularFile(summaryFile)) {
            throw new IOException("--emotion-only updates an existing " + summaryFile + ", which does not exist");
        }
        ToyModelTrainer.Settings settings = ToyModelTrainer.Settings.builder().build();
        System.out.println("Retraining EmotionVGG from the shipped FaceVGG into " + out.toAbsolutePath() + " with "
                + settings);
        long t0 = System.nanoTime();
        ToyModelTrainer.Result r = new ToyModelTrainer(settings).trainEmotionVgg(
                ToyModels.network(ToyModels.FACE_VGG_ZIP), progressPrinter(t0));
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = mapper.readValue(summaryFile.toFile(), LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> models = (Map<String, Object>) summary.get("models");
        models.put(r.name(), writeModel(r, ToyModels.EMOTION_VGG_ZIP, out, settings));
        summary.put("settings", settings);
        summary.put("emotionRetrainedAt", Instant.now().toString());
        summary.put("emotionRetrainingSeconds", Math.round((System.nanoTime() - t0) / 1e9));
        mapper.writeValue(summaryFile.toFile(), summary);
        System.out.println("Wrote " + summaryFile);
    }

    private static ProgressListener progressPrinter(long t0) {
        long[] lastPrint = {0};
        return (task, done, total) -> {
            long now = System.nanoTime();
            synchronized (lastPrint) {
                if (!task.contains(" batches") || now - lastPrint[0] > 30_000_000_000L) {
                    lastPrint[0] = now;
                    System.out.printf("[%6.0f s] %s %d/%d%n", (now - t0) / 1e9, task, done, total);
                }
            }
        };
    }

    private static Map<String, Object> writeModel(ToyModelTrainer.Result r, String file, Path out,
                                                  ToyModelTrainer.Settings settings) throws IOException {
        Path zip = out.resolve(file);
        ModelSerializer.writeModel(r.network(), zip.toFile(), false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("architecture", architecture(r.architecture()));
        m.put("labels", r.labels());
        m.put("trainSamples", r.name().equals(ToyModels.EMOTION_VGG) ? settings.emotionTrainSamples()
                : settings.trainSamples());
        m.put("validationSamples", settings.validationSamples());
        m.put("testSamples", r.testSamples());
        m.put("epochs", r.epochs());
        m.put("bestEpoch", r.bestEpoch());
        m.put("validationAccuracyPerEpoch", r.history());
        m.put("validationAccuracy", r.validationAccuracy());
        m.put("heldOutAccuracy", r.testAccuracy());
        m.put("chance", 1.0 / r.labels().size());
        m.put("trainingSeconds", Math.round(r.trainingSeconds()));
        m.put("zipBytes", Files.size(zip));
        System.out.printf("%-10s held-out accuracy %.4f on %d samples (chance %.3f), %d epochs (best %d), %.0f s,"
                + " %s (%d bytes)%n", r.name(), r.testAccuracy(), r.testSamples(), 1.0 / r.labels().size(),
                r.epochs(), r.bestEpoch(), r.trainingSeconds(), zip, Files.size(zip));
        return m;
    }

    private static Map<String, Object> architecture(VggArchitecture a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", new int[] {3, a.height(), a.width()});
        m.put("convolutionsPerBlock", a.convolutionsPerBlock());
        m.put("blockWidths", a.blockWidths());
        m.put("hiddenUnits", a.hiddenUnits());
        m.put("normalizedHead", a.normalizedHead());
        m.put("numClasses", a.numClasses());
        m.put("string", a.toString());
        return m;
    }

    private static Path defaultOutput() {
        Path here = Path.of(DEFAULT_OUTPUT);
        if (Files.isDirectory(Path.of("xai-models"))) {
            return here;
        }
        Path parent = Path.of("..").resolve(DEFAULT_OUTPUT);
        return Files.isDirectory(Path.of("..", "xai-models")) ? parent.normalize() : here;
    }
}
