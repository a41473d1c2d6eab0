package org.xai4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.internal.Options;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code dataset} command: explains every image of a folder, glob or table on Spark and prints the report as one
 * JSON line. Run it with {@code spark-submit} (the master comes from {@code --master} there), or as a plain
 * {@code main}, which runs on {@code local[*]} unless {@code --master} says otherwise. Inside an application that
 * already has a Spark session, {@link #run} uses that session and leaves it running.
 *
 * <pre>
 * spark-submit --class org.xai4j.spark.DatasetCommand xai-spark-app.jar \
 *   --table images.csv --model toy:object --method saliency --npy --out /tmp/saliency
 * </pre>
 *
 * <p>Input: {@code --images <folder|glob>} (every file, read with {@code binaryFile}) or {@code --table <csv|parquet>}
 * (columns {@code path}, optional {@code label}, {@code mask}: {@link ImageDataset}). Model: {@code --model
 * <toy:object|toy:face|toy:emotion|zoo:vgg16|zoo:vggface|file>}, {@code --weights <h5>} (for a Keras {@code .json}),
 * {@code --labels <file>}, {@code --preprocess none|unit|caffe|vggface}, {@code --shared-model} (every executor reads
 * the model file from the same path instead of a broadcast). Method: {@code --method} one of
 * {@link ExplanationMethod#ids()} (default {@code ig}), {@code --steps N} (ig points, noise-tunnel samples),
 * {@code --rule <integration rule>}, {@code --layer <name>} (CAMs and activations), {@code --internal-batch N}.
 * Job: {@code --spike-layer <name>}, {@code --top-k N} (default 5), {@code --batch-size N} (default 16),
 * {@code --explain-labels}, {@code --tolerance <pixels>}, {@code --map-relevance sum|absolute_sum|sum_of_absolute_values},
 * {@code --npy} (write raw maps), {@code --partitions N}, {@code --master <url>}, {@code --out <folder>} (required),
 * {@code --force} (replace an existing output once the new one is complete). Exit status: 0 on success, 2 for bad
 * input (options, an existing output, an unreadable model), 1 for a failure while running.
 */
public final class DatasetCommand {

    private static final Set<String> VALUED = Set.of("images", "table", "model", "weights", "labels", "preprocess",
            "method", "steps", "rule", "layer", "internal-batch", "spike-layer", "top-k", "batch-size", "tolerance",
            "map-relevance", "partitions", "master", "out");
    private static final Set<String> FLAGS = Set.of("shared-model", "explain-labels", "npy", "force", "help");

    private DatasetCommand() { }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the options of the class comment
     */
    public static void main(String[] args) {
        Options.quietSparkLogging();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the options of the class comment
     * @param out  where the report goes (one JSON line)
     * @param err  where errors go (one line)
     * @return 0 on success, 2 for bad input, 1 for another failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        SparkSession spark = null;
        boolean ownSession = false;
        try {
            Options o = Options.parse(args, VALUED, FLAGS);
            if (o.has("help")) {
                out.println("usage: dataset (--images <folder|glob> | --table <csv|parquet>) --model <model> --out <folder> "
                        + "[--method " + String.join("|", ExplanationMethod.ids()) + "] [options: see DatasetCommand]");
                return 0;
            }
            String input = o.oneOf(List.of("images", "table"));
            DatasetExplainer job = job(o);
            String output = o.require("out");
            SparkSession.Builder builder = SparkSession.builder().appName("xai4j dataset");
            String master = o.get("master", new SparkConf().contains("spark.master") ? null : "local[*]");
            if (master != null) {
                builder.master(master);
            }
            // a session the caller already runs (an application, a notebook) is used and left running
            ownSession = SparkSession.getDefaultSession().isEmpty();
            spark = builder.getOrCreate();
            ImageDataset images = input.equals("images") ? ImageDataset.files(o.require("images"))
                    : ImageDataset.table(spark, o.require("table"));
            DatasetReport report = job.run(spark, images, output);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("output", report.output());
            json.put("method", report.method());
            json.put("layer", report.layer());
            json.put("spikeLayer", report.spikeLayer());
            json.put("inputs", report.inputs());
            json.put("explained", report.explained());
            json.put("errors", report.errors());
            json.put("accuracy", Double.isNaN(report.accuracy()) ? null : report.accuracy());
            json.put("seconds", Math.round(report.seconds() * 1000) / 1000.0);
            json.put("imagesPerSecond", Math.round(report.imagesPerSecond() * 1000) / 1000.0);
            out.println(new ObjectMapper().writeValueAsString(json));
            return 0;
        } catch (IllegalArgumentException | FileAlreadyExistsException | ModelLoadException e) {
            err.println("dataset: " + oneLine(e));
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("dataset: failed: " + oneLine(e));
            return 1;
        } finally {
            if (spark != null && ownSession) {
                spark.stop();
            }
        }
    }

    private static DatasetExplainer job(Options o) {
        ModelSource.Builder model = ModelSource.builder().setSource(o.require("model"));
        if (o.has("weights")) {
            model.optWeights(o.get("weights", null));
        }
        if (o.has("labels")) {
            model.optLabels(o.get("labels", null));
        }
        if (o.has("preprocess")) {
            model.optPreprocessing(preprocessing(o.get("preprocess", null)));
        }
        if (o.has("shared-model")) {
            model.optDistribution(ModelSource.Distribution.SHARED_PATH);
        }
        ExplanationMethod method = ExplanationMethod.fromId(o.get("method", "ig"));
        Integer steps = o.has("steps") ? o.intValue("steps", 0, 1, 1_000_000) : null;
        IntegrationRule rule = o.has("rule")
                ? IntegrationRule.valueOf(upper(o.get("rule", null), "rule", IntegrationRule.values())) : null;
        String layer = o.get("layer", null);
        Integer internalBatch = o.has("internal-batch") ? o.intValue("internal-batch", 0, 1, 1_000_000) : null;
        ExplainerFactory explainer = () -> {
            Explainer.Builder b = Explainer.builder().setMethod(method);
            if (steps != null && method.isNoiseTunnel()) {
                b.optSamples(steps);
            } else if (steps != null) {
                b.optSteps(steps);
            }
            if (rule != null) {
                b.optRule(rule);
            }
            if (layer != null) {
                b.optLayer(layer);
            }
            if (internalBatch != null) {
                b.optInternalBatchSize(internalBatch);
            }
            return b.build();
        };
        explainer.create(); // refuses options that do not apply to the method, before Spark starts
        DatasetExplainer.Builder job = DatasetExplainer.builder().setModel(model.build()).setExplainer(explainer)
                .optTopK(o.intValue("top-k", 5, 1, 1_000_000))
                .optBatchSize(o.intValue("batch-size", 16, 1, 1_000_000))
                .optExplainLabels(o.has("explain-labels"))
                .optWriteAttributions(o.has("npy"))
                .optOverwrite(o.has("force"));
        if (o.has("spike-layer")) {
            job.optSpikeLayer(o.get("spike-layer", null));
        }
        if (o.has("tolerance")) {
            try {
                job.optPointingTolerance(Double.parseDouble(o.get("tolerance", null)));
            } catch (NumberFormatException e) {
                throw new Options.UsageException("--tolerance must be a number of pixels, got '"
                        + o.get("tolerance", null) + "'");
            }
        }
        if (o.has("map-relevance")) {
            job.optMapRelevance(PixelRelevance.valueOf(upper(o.get("map-relevance", null), "map relevance",
                    PixelRelevance.values())));
        }
        if (o.has("partitions")) {
            job.optPartitions(o.intValue("partitions", 0, 1, 1_000_000));
        }
        return job.build();
    }

    private static Preprocessing preprocessing(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("caffe") ? Preprocessing.CAFFE_IMAGENET
                : Preprocessing.valueOf(upper(name, "preprocessing", Preprocessing.values()));
    }

    /** The enum constant name for a lower-case option value, or a usage error listing the valid ones. */
    private static String upper(String value, String what, Enum<?>[] valid) {
        String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (Enum<?> v : valid) {
            if (v.name().equals(name)) {
                return name;
            }
        }
        throw new Options.UsageException("unknown " + what + " '" + value + "'; expected one of "
                + java.util.Arrays.stream(valid).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
