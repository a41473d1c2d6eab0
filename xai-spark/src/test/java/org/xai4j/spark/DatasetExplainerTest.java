package org.xai4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToyWorld;
import org.xai4j.sanity.Localization;
import org.xai4j.sanity.LocalizationScores;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.internal.ExecutorModels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Explains toy-world images on Spark in {@code local[2]} and checks every row against the single-JVM API on the same
 * files, the class aggregates against a direct computation, and that bad images land in the errors table.
 */
class DatasetExplainerTest {

    private static final int IMAGES = 200;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static ImageClassifier reference;
    private static Path table;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("xai4j-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        reference = ImageClassifierLoader.builder().setSource("toy:object").build().load();
        ToyWorld world = ToyModels.objectWorld();
        Path csv = ToyDatasetWriter.write(world, ToyModels.TEST_START, IMAGES, "object", dir.resolve("objects"));
        // three bad rows: undecodable bytes, a missing file, a label the model does not have
        Path corrupt = Files.write(dir.resolve("objects/images/corrupt.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        String good = lines.get(1).split(",")[0];
        lines.add(corrupt + ",1,");
        lines.add(dir.resolve("objects/images/missing.png") + ",2,");
        lines.add(good + ",99,");
        table = Files.write(dir.resolve("table.csv"), lines);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** The single-JVM API on one image file: what a row must hold. */
    private record Expected(int predicted, double probability, double[] spikes, int[] top, INDArray values,
                            double[] delta, LocalizationScores scores, INDArray pixelMap) { }

    private static Expected expected(Path image, Explainer explainer, Path mask) throws IOException {
        INDArray x = reference.toInput(reference.readImage(image));
        INDArray p = reference.model().probabilities(x);
        int predicted = Predictions.argMax(p)[0];
        LayerActivations acts = NeuronActivations.builder().setModel(reference.model())
                .setLayer(LayerSelectors.lastConvolution(reference.model())).build().activations(x);
        Explanation e = explainer.run(reference.model(), x);
        INDArray values = e.values();
        LocalizationScores scores = null;
        if (mask != null) {
            INDArray m = reference.toInput(reference.readImage(mask)).castTo(DataType.DOUBLE).mean(1)
                    .reshape(reference.height(), reference.width());
            scores = Localization.evaluate(values, m, 15.0 * 64 / 224);
        }
        return new Expected(predicted, p.getDouble(0, predicted), acts.spikes(0), acts.topK(0, 5), values,
                e.convergenceDelta(), scores, PixelRelevance.ABSOLUTE_SUM.reduce(values).reshape(-1));
    }

    private static Map<String, Row> byPath(Dataset<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            out.put(localPath(r.getString(r.fieldIndex("path"))), r);
        }
        return out;
    }

    private static String localPath(String uriOrPath) {
        return uriOrPath.startsWith("file:") ? Path.of(java.net.URI.create(uriOrPath)).toString() : uriOrPath;
    }

    private static double[] doubles(Row r, String column) {
        List<Double> list = r.getList(r.fieldIndex(column));
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void explainsATableOfImagesAsTheSingleJvmApiAndAggregatesPerClass() throws Exception {
        int loadsBefore = ExecutorModels.loads();
        Path out = dir.resolve("saliency");
        DatasetReport report = DatasetExplainer.builder()
                .setModel(ModelSource.builder().setSource("toy:object").build())
                .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build())
                .optBatchSize(16).optWriteAttributions(true)
                .build()
                .run(spark, ImageDataset.table(spark, table.toString()), out.toString());

        assertThat(report.inputs()).isEqualTo(IMAGES + 3);
        assertThat(report.explained()).isEqualTo(IMAGES);
        assertThat(report.errors()).isEqualTo(3);
        assertThat(ExecutorModels.loads() - loadsBefore).as("model loads in this JVM").isLessThanOrEqualTo(1);
        assertThat(out.resolve(DatasetReport.SUMMARY)).exists();
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }

        // bad rows: one error each, naming the file or the label
        Map<String, String> errors = new HashMap<>();
        for (Row r : spark.read().parquet(report.path(DatasetReport.ERRORS)).collectAsList()) {
            errors.merge(localPath(r.getString(0)), r.getString(1), (a, b) -> a + " | " + b);
        }
        assertThat(errors).hasSize(3);
        assertThat(errors.get(dir.resolve("objects/images/corrupt.png").toString())).contains("corrupt.png")
                .contains("expected a PNG, JPEG, BMP or GIF image");
        assertThat(errors.get(dir.resolve("objects/images/missing.png").toString())).contains("missing.png");
        List<String> csv = Files.readAllLines(table);
        String good = csv.get(1).split(",")[0];
        assertThat(errors.get(good)).contains("label 99 is out of range");

        // every row matches the single-JVM API on the same file; the job's batches of 16 may round the last float bit
        // differently from single-image calls (the batch-of-one test below is bit for bit)
        Dataset<Row> rows = spark.read().parquet(report.path(DatasetReport.EXPLANATIONS));
        assertThat(rows.columns()).containsExactly("path", "label", "predicted", "predictedLabel", "probability",
                "target", "method", "layer", "convergenceDelta", "spikes", "topNeurons", "relevanceMass", "pointingHit",
                "attributionFile");
        Map<String, Row> byPath = byPath(rows);
        assertThat(byPath).hasSize(IMAGES);
        Explainer saliency = Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build();
        Map<Integer, List<Row>> byClass = new TreeMap<>();
        Map<String, INDArray> maps = new HashMap<>();
        for (String line : csv.subList(1, IMAGES + 1)) {
            String[] f = line.split(",");
            Path image = Path.of(f[0]);
            int label = Integer.parseInt(f[1]);
            Expected e = expected(image, saliency, Path.of(f[2]));
            Row r = byPath.get(image.toString());
            assertThat(r).as(image.toString()).isNotNull();
            assertThat(r.getInt(1)).isEqualTo(label);
            assertThat(r.getInt(2)).isEqualTo(e.predicted());
            assertThat(r.getString(3)).isEqualTo(reference.label(e.predicted()));
            assertThat(r.getDouble(4)).isCloseTo(e.probability(), within(1e-6));
            assertThat(r.getInt(5)).isEqualTo(e.predicted());
            assertThat(r.getString(6)).isEqualTo("saliency");
            assertThat(r.isNullAt(7)).isTrue();
            assertThat(r.isNullAt(8)).isTrue();
            assertAllClose(Nd4j.create(doubles(r, "spikes")), Nd4j.create(e.spikes()), 1e-5, 1e-6);
            assertThat(r.getList(10)).containsExactlyElementsOf(java.util.Arrays.stream(e.top()).boxed().toList());
            assertThat(r.getDouble(11)).isCloseTo(e.scores().relevanceMass()[0], within(1e-5));
            assertThat(r.getBoolean(12)).isEqualTo(e.scores().hits()[0]);
            INDArray npy = Npy.read(out.resolve(r.getString(13)));
            assertThat(npy.shape()).containsExactly(64, 64, 3);
            INDArray expectedMap = e.values().get(NDArrayIndex.point(0)).permute(1, 2, 0).castTo(DataType.FLOAT);
            assertAllClose(npy, expectedMap, 1e-4, 1e-4 * expectedMap.amaxNumber().doubleValue());
            byClass.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
            maps.put(image.toString(), npy);
        }

        // the class aggregates equal a direct computation over the rows and raw maps the job wrote
        List<Row> aggregates = spark.read().parquet(report.path(DatasetReport.CLASS_AGGREGATES)).orderBy("class")
                .collectAsList();
        assertThat(aggregates).extracting(a -> a.getInt(0)).containsExactlyElementsOf(byClass.keySet());
        long totalCorrect = 0;
        for (Row a : aggregates) {
            int c = a.getInt(0);
            List<Row> members = byClass.get(c);
            int n = members.size();
            long right = members.stream().filter(r -> r.getInt(2) == c).count();
            assertThat(a.getString(1)).isEqualTo(reference.label(c));
            assertThat(a.getLong(2)).isEqualTo(n);
            assertThat(a.getLong(3)).isEqualTo(n);
            assertThat(a.getLong(4)).isEqualTo(right);
            assertThat(a.getDouble(5)).isCloseTo((double) right / n, within(1e-12));
            assertThat(a.getLong(6)).isEqualTo(n);
            assertThat(a.getDouble(7)).isCloseTo(members.stream().mapToDouble(r -> r.getDouble(11)).average()
                    .orElseThrow(), within(1e-12));
            assertThat(a.getDouble(8)).isCloseTo(members.stream().filter(r -> r.getBoolean(12)).count() / (double) n,
                    within(1e-12));
            INDArray spikes = Nd4j.create(members.stream().map(r -> doubles(r, "spikes")).toArray(double[][]::new));
            assertAllClose(Nd4j.create(doubles(a, "meanSpikes")), spikes.mean(0), 1e-12, 1e-12);
            // |sum over channels| of each raw map, averaged over the class
            INDArray pixelMaps = Nd4j.vstack(members.stream().map(r -> Transforms.abs(maps.get(localPath(
                    r.getString(0))).castTo(DataType.DOUBLE).sum(2)).reshape(1, -1)).toArray(INDArray[]::new));
            assertAllClose(Nd4j.create(doubles(a, "meanAttribution")), pixelMaps.mean(0), 1e-9, 1e-12);
            assertThat(a.getInt(11)).isEqualTo(64);
            assertThat(a.getInt(12)).isEqualTo(64);
            totalCorrect += right;
        }
        assertThat(report.accuracy()).isCloseTo(totalCorrect / (double) IMAGES, within(1e-12));

        // the output is never replaced silently
        assertThatThrownBy(() -> DatasetExplainer.builder()
                .setModel(ModelSource.builder().setSource("toy:object").build())
                .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build()).build()
                .run(spark, ImageDataset.table(spark, table.toString()), out.toString()))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(out.getFileName().toString());
    }

    @Test
    void explainsAFolderReadWithBinaryFileBitForBitAtBatchSizeOne() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        List<Path> images = new ArrayList<>();
        for (String line : Files.readAllLines(table).subList(1, 7)) {
            Path image = Path.of(line.split(",")[0]);
            images.add(Files.copy(image, folder.resolve(image.getFileName())));
        }
        Files.write(folder.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        ExplainerFactory ig = () -> Explainer.builder().setMethod(ExplanationMethod.IG).optSteps(8).build();
        ExplainerFactory gradcam = () -> Explainer.builder().setMethod(ExplanationMethod.GRAD_CAM).build();
        for (ExplainerFactory settings : List.of(ig, gradcam)) {
            Explainer explainer = settings.create();
            int loadsBefore = ExecutorModels.loads();
            Path out = dir.resolve("folder-" + explainer.method().id());
            DatasetReport report = DatasetExplainer.builder()
                    .setModel(ModelSource.builder().setSource("toy:object").build())
                    .setExplainer(settings).optBatchSize(1).optPartitions(2).optWriteAttributions(true).optTopK(3)
                    .build()
                    .run(spark, ImageDataset.files(folder.toString()), out.toString());
            assertThat(ExecutorModels.loads() - loadsBefore).isLessThanOrEqualTo(1);
            assertThat(report.inputs()).isEqualTo(images.size() + 1);
            assertThat(report.explained()).isEqualTo(images.size());
            assertThat(report.errors()).isEqualTo(1);
            assertThat(Double.isNaN(report.accuracy())).as("no labels, no accuracy").isTrue();
            List<Row> errors = spark.read().parquet(report.path(DatasetReport.ERRORS)).collectAsList();
            assertThat(errors).singleElement().satisfies(r -> {
                assertThat(localPath(r.getString(0))).isEqualTo(folder.resolve("broken.png").toString());
                assertThat(r.getString(1)).contains("broken.png");
            });

            Map<String, Row> rows = byPath(spark.read().parquet(report.path(DatasetReport.EXPLANATIONS)));
            Map<Integer, Long> perClass = new TreeMap<>();
            for (Path image : images) {
                Expected e = expected(image, explainer, null);
                Row r = rows.get(image.toString());
                assertThat(r.isNullAt(1)).isTrue();
                assertThat(r.getInt(2)).isEqualTo(e.predicted());
                assertThat(r.getDouble(4)).isEqualTo(e.probability());
                assertThat(r.getInt(5)).isEqualTo(e.predicted());
                assertThat(r.getString(6)).isEqualTo(explainer.method().id());
                if (explainer.method() == ExplanationMethod.IG) {
                    assertThat(r.isNullAt(7)).isTrue();
                    assertThat(r.getDouble(8)).isEqualTo(e.delta()[0]);
                } else {
                    assertThat(r.getString(7)).isEqualTo(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(
                            reference.model()));
                    assertThat(r.isNullAt(8)).isTrue();
                }
                assertThat(doubles(r, "spikes")).containsExactly(e.spikes());
                assertThat(r.getList(10)).containsExactly(e.top()[0], e.top()[1], e.top()[2]);
                assertThat(r.isNullAt(11)).as("no mask, no localization").isTrue();
                assertThat(r.isNullAt(12)).isTrue();
                INDArray raw = e.values().get(NDArrayIndex.point(0));
                assertThat(Npy.read(out.resolve(r.getString(13))))
                        .isEqualTo((raw.rank() == 3 ? raw.permute(1, 2, 0) : raw).castTo(DataType.FLOAT));
                perClass.merge(e.predicted(), 1L, Long::sum);
            }
            // without labels an image counts for its predicted class
            Map<Integer, Long> aggregated = new TreeMap<>();
            for (Row a : spark.read().parquet(report.path(DatasetReport.CLASS_AGGREGATES)).collectAsList()) {
                aggregated.put(a.getInt(0), a.getLong(2));
                assertThat(a.getLong(3)).isZero();
                assertThat(a.isNullAt(5)).isTrue();
            }
            assertThat(aggregated).isEqualTo(perClass);
        }
    }

    @Test
    void refusesBadSettingsBeforeExplaining() {
        DatasetExplainer badLayer = DatasetExplainer.builder()
                .setModel(ModelSource.builder().setSource("toy:object").build())
                .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build())
                .optSpikeLayer("no_such_layer").build();
        assertThatThrownBy(() -> badLayer.run(spark, ImageDataset.table(spark, table.toString()),
                dir.resolve("never").toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_layer").hasMessageContaining("block5_conv3");
        assertThat(dir.resolve("never")).doesNotExist();
        assertThatThrownBy(() -> ModelSource.builder().setSource("toy:nothing").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toy:nothing");
        DatasetExplainer badOption = DatasetExplainer.builder()
                .setModel(ModelSource.builder().setSource("toy:object").build())
                .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).optSteps(8).build()).build();
        assertThatThrownBy(() -> badOption.run(spark, ImageDataset.table(spark, table.toString()),
                dir.resolve("never").toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps does not apply to saliency");
        DatasetExplainer labelsOfNeurons = DatasetExplainer.builder()
                .setModel(ModelSource.builder().setSource("toy:object").build())
                .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.ACTIVATIONS).build())
                .optExplainLabels(true).build();
        assertThatThrownBy(() -> labelsOfNeurons.run(spark, ImageDataset.table(spark, table.toString()),
                dir.resolve("never").toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("explainLabels does not apply to activations");
        assertThat(dir.resolve("never")).doesNotExist();
        assertThatThrownBy(() -> DatasetExplainer.builder().setModel(ModelSource.builder().setSource("toy:object").build())
                .build()).isInstanceOf(NullPointerException.class).hasMessageContaining("setExplainer");
        assertThatThrownBy(() -> ImageDataset.table(spark.range(3).toDF()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'path'");
    }

    @Test
    void theDatasetCommandPrintsItsReportAndReportsBadInputWithStatusTwo() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Path small = Files.write(dir.resolve("small.csv"), Files.readAllLines(table).subList(0, 9));
        Path target = dir.resolve("command-out");
        int status = DatasetCommand.run(new String[] {"--table", small.toString(), "--model", "toy:object", "--method",
                "gradcam", "--explain-labels", "--npy", "--top-k", "2", "--batch-size", "4", "--out", target.toString()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Map<?, ?> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.toString(StandardCharsets.UTF_8),
                Map.class);
        assertThat(json.get("explained")).isEqualTo(8);
        assertThat(json.get("errors")).isEqualTo(0);
        assertThat(json.get("layer")).isEqualTo("block5_conv3");
        List<Row> rows = spark.read().parquet(target.resolve(DatasetReport.EXPLANATIONS).toString()).collectAsList();
        assertThat(rows).hasSize(8).allSatisfy(r -> {
            assertThat(r.getInt(5)).as("explains the label").isEqualTo(r.getInt(1));
            assertThat(r.getList(10)).hasSize(2);
            assertThat(target.resolve(r.getString(13))).exists();
        });
        assertThat(spark.sparkContext().isStopped()).as("the caller's session keeps running").isFalse();

        err.reset();
        assertThat(DatasetCommand.run(new String[] {"--table", small.toString(), "--model", "toy:object", "--out",
                target.toString()}, new java.io.PrintStream(out), new java.io.PrintStream(err, true,
                StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("command-out").contains("exists");
        err.reset();
        assertThat(DatasetCommand.run(new String[] {"--images", "x", "--table", "y", "--model", "toy:object", "--out",
                "z"}, new java.io.PrintStream(out), new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--images").contains("--table")
                .contains("mutually exclusive");
        err.reset();
        assertThat(DatasetCommand.run(new String[] {"--images", "x", "--model", "toy:object", "--method", "magic",
                "--out", "z"}, new java.io.PrintStream(out), new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("magic").contains("gradcam");
    }

    @Test
    void loadsAModelFileOncePerJvmFromItsBroadcastBytesOrASharedPath() throws Exception {
        Path zip = dir.resolve("models/object_vgg.zip");
        Files.createDirectories(zip.getParent());
        try (var in = ToyModels.class.getResourceAsStream(ToyModels.OBJECT_VGG_ZIP)) {
            Files.copy(in, zip);
        }
        Path labels = Files.write(dir.resolve("models/labels.txt"), ToyModels.objectWorld().labelNames());
        Path small = Files.write(dir.resolve("model-file.csv"), Files.readAllLines(table).subList(0, 5));
        Explainer saliency = Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build();
        for (ModelSource.Distribution distribution : ModelSource.Distribution.values()) {
            ModelSource source = ModelSource.builder().setSource(zip.toString()).optLabels(labels.toString())
                    .optDistribution(distribution).build();
            int loadsBefore = ExecutorModels.loads();
            DatasetExplainer job = DatasetExplainer.builder().setModel(source)
                    .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build())
                    .optBatchSize(1).optPartitions(2).build();
            Path out = dir.resolve("model-file-" + distribution);
            DatasetReport report = job.run(spark, ImageDataset.table(spark, small.toString()), out.toString());
            // a new model identity is loaded once, for the driver and both tasks; a second job reuses it
            assertThat(ExecutorModels.loads() - loadsBefore).isEqualTo(1);
            job.run(spark, ImageDataset.table(spark, small.toString()), out + "-again");
            assertThat(ExecutorModels.loads() - loadsBefore).isEqualTo(1);
            assertThat(report.explained()).isEqualTo(4);
            // the file holds the toy model's weights: the same predictions, bit for bit, with the file's labels
            Map<String, Row> rows = byPath(spark.read().parquet(report.path(DatasetReport.EXPLANATIONS)));
            for (String line : Files.readAllLines(small).subList(1, 5)) {
                Path image = Path.of(line.split(",")[0]);
                Expected e = expected(image, saliency, null);
                Row r = rows.get(image.toString());
                assertThat(r.getInt(2)).isEqualTo(e.predicted());
                assertThat(r.getString(3)).isEqualTo(ToyModels.objectWorld().labelNames().get(e.predicted()));
                assertThat(r.getDouble(4)).isEqualTo(e.probability());
                assertThat(doubles(r, "spikes")).containsExactly(e.spikes());
            }
        }
    }
}
