package org.xai4j.spark.bench;

import org.apache.spark.sql.SparkSession;
import org.xai4j.LayerSelectors;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.DatasetExplainer;
import org.xai4j.spark.DatasetReport;
import org.xai4j.spark.ExplainerFactory;
import org.xai4j.spark.ImageDataset;
import org.xai4j.spark.ModelSource;
import org.xai4j.spark.ToyDatasetWriter;
import org.xai4j.spark.internal.BatchExplainer;
import org.xai4j.spark.internal.JobSettings;
import org.xai4j.spark.internal.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images per second of a dataset job on Spark against the single-JVM loop over the same toy-world images, with the
 * same method, batch size and per-image work (prediction, spike totals, the map, localization against the mask), and
 * prints their ratio. The loop reads each file, decodes it and explains batches in one thread, as an application
 * without Spark would; the job also lists the input, writes the Parquet tables and sums the classes. Each side runs
 * once on a few batches first to warm up (JIT, model load, Spark's code generation). A job also has a fixed cost
 * whatever its size (listing, planning, writing and committing three tables), measured on a job of two batches; the
 * program prints the ratio of the whole jobs and the ratio without that fixed cost, which larger datasets approach.
 *
 * <pre>
 * mvn -B -q -pl xai-spark exec:exec -Dxai.main=org.xai4j.spark.bench.DatasetThroughput \
 *     -Dxai.args="--images 4000 --method saliency --batch-size 16 --master local[2]"
 * </pre>
 * Options: {@code --images N} (default 4000), {@code --method} (default saliency), {@code --steps N} (ig),
 * {@code --batch-size N} (default 16), {@code --master} (default {@code local[2]}), {@code --repeats N} (default 3;
 * the best of each side counts), {@code --world object|face|emotion} (default object, with {@code toy:<world>}).
 */
public final class DatasetThroughput {

    private DatasetThroughput() { }

    /**
     * Runs the comparison.
     *
     * @param args the options of the class comment
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Options.quietSparkLogging();
        Options o = Options.parse(args, Set.of("images", "method", "steps", "batch-size", "master", "repeats", "world"),
                Set.of());
        int count = o.intValue("images", 4000, 1, 1_000_000);
        int batchSize = o.intValue("batch-size", 16, 1, 100_000);
        int repeats = o.intValue("repeats", 3, 1, 100);
        String master = o.get("master", "local[2]");
        String world = o.get("world", "object");
        ExplanationMethod method = ExplanationMethod.fromId(o.get("method", "saliency"));
        Integer steps = o.has("steps") ? o.intValue("steps", 0, 1, 100_000) : null;
        ExplainerFactory settings = () -> steps == null ? Explainer.builder().setMethod(method).build()
                : Explainer.builder().setMethod(method).optSteps(steps).build();
        Path dir = Files.createTempDirectory("xai4j-throughput-");
        try {
            Path table = ToyDatasetWriter.write(ToyDatasetWriter.world(world), ToyModels.TEST_START, count,
                    ToyDatasetWriter.world(world).maskRegions().get(0), dir.resolve("images"));
            List<String[]> rows = Files.readAllLines(table).stream().skip(1).map(l -> l.split(",")).toList();
            ModelSource source = ModelSource.builder().setSource("toy:" + world).build();

            SparkSession session = SparkSession.builder().master(master).appName("xai4j throughput")
                    .config("spark.ui.enabled", "false").getOrCreate();
            double loop = 0;
            double spark = 0;
            double sparkSeconds = Double.MAX_VALUE;
            double fixed = 0;
            try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource("toy:" + world).build().load()) {
                JobSettings settingsOfLoop = new JobSettings(null, settings,
                        LayerSelectors.lastConvolution(classifier.model()), 5, batchSize, false,
                        15.0 * classifier.height() / 224, PixelRelevance.ABSOLUTE_SUM, null, null);
                DatasetExplainer job = DatasetExplainer.builder().setModel(source).setExplainer(settings)
                        .optBatchSize(batchSize).build();
                int warmCount = Math.min(rows.size(), 2 * batchSize);
                singleJvmLoop(classifier, settingsOfLoop, rows.subList(0, warmCount));
                Path warm = Files.write(dir.resolve("warm.csv"), Files.readAllLines(table).subList(0, warmCount + 1));
                job.run(session, ImageDataset.table(session, warm.toString()), dir.resolve("warm-out").toString());
                // the cost of a job whatever its size: listing, planning, writing three tables and committing them
                long f0 = System.nanoTime();
                job.run(session, ImageDataset.table(session, warm.toString()), dir.resolve("fixed-out").toString());
                fixed = (System.nanoTime() - f0) / 1e9;
                // alternate the two sides, so that other load on the machine hits both alike
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    singleJvmLoop(classifier, settingsOfLoop, rows);
                    double l = count / ((System.nanoTime() - t0) / 1e9);
                    DatasetReport report = job.run(session, ImageDataset.table(session, table.toString()),
                            dir.resolve("out-" + r).toString());
                    System.out.printf(Locale.ROOT, "run %d: loop %.2f images/s, spark %.2f images/s%n", r + 1, l,
                            report.imagesPerSecond());
                    loop = Math.max(loop, l);
                    spark = Math.max(spark, report.imagesPerSecond());
                    sparkSeconds = Math.min(sparkSeconds, report.seconds());
                }
            } finally {
                session.stop();
            }
            System.out.printf(Locale.ROOT, "images=%d method=%s batch=%d master=%s cores=%d%n", count, settings.create(), batchSize,
                    master, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "single-JVM loop: %.2f images/s%n", loop);
            System.out.printf(Locale.ROOT, "Spark %s:      %.2f images/s%n", master, spark);
            System.out.printf(Locale.ROOT, "Spark job on %d images (fixed cost of a job): %.2f s%n",
                    Math.min(count, 2 * batchSize), fixed);
            System.out.printf(Locale.ROOT, "ratio spark/loop: %.3f (target >= 0.90)%n", spark / loop);
            // the rate of the images beyond the small job: what a larger dataset approaches
            double marginal = (count - Math.min(count, 2 * batchSize)) / (sparkSeconds - fixed);
            System.out.printf(Locale.ROOT, "Spark without the fixed cost: %.2f images/s, ratio %.3f%n", marginal,
                    marginal / loop);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The single-JVM loop: read, decode and explain batch by batch, keeping the results. */
    private static void singleJvmLoop(ImageClassifier classifier, JobSettings job, List<String[]> rows)
            throws IOException {
        BatchExplainer explainer = new BatchExplainer(classifier, job);
        List<Object> results = new ArrayList<>(rows.size());
        List<BatchExplainer.Item> batch = new ArrayList<>();
        for (String[] row : rows) {
            batch.add(explainer.prepare(row[0], Files.readAllBytes(Path.of(row[0])), Integer.parseInt(row[1]), null,
                    Files.readAllBytes(Path.of(row[2])), row[2], null));
            if (batch.size() == job.batchSize()) {
                results.addAll(explainer.explain(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            results.addAll(explainer.explain(batch));
        }
        if (results.size() != rows.size() || explainer.totals().isEmpty()) {
            throw new IllegalStateException("the loop explained " + results.size() + " of " + rows.size() + " images");
        }
    }
}
