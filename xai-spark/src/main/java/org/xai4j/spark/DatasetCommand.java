package org.xai4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.xai4j.cli.LoadOptions;
import org.xai4j.cli.MethodOptions;
import org.xai4j.cli.UsageException;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.models.ModelLoadException;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.internal.Options;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
 * <p>It is a picocli command that shares its model options ({@link LoadOptions}) and method options
 * ({@link MethodOptions}, generated from the method table) with the {@code xai4j} command line, so every option means
 * the same in both; {@code --help} lists them. Exit status: 0 on success, 2 for bad input (options, an existing
 * output, an unreadable model), 1 for a failure while running.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = MethodOptions.Transformer.class,
        description = {"Explains every image of a folder, glob or table on Spark: a Parquet table of per-image results, "
                + "per-class aggregates, an errors table and (with --npy) the raw maps; prints one JSON line."})
public final class DatasetCommand implements Callable<Integer>, MethodOptions.Holder {

    /** Where the images come from: exactly one of a folder/glob or a table. */
    static final class Input {
        @Option(names = "--images", required = true, paramLabel = "FOLDER|GLOB",
                description = "Every file of a folder or glob (read with Spark's binaryFile).")
        String images;

        @Option(names = "--table", required = true, paramLabel = "CSV|PARQUET",
                description = "A table with a path column and optional label and mask columns.")
        String table;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = LoadOptions.MODEL_HELP)
    String model;

    @Mixin
    LoadOptions load;

    @Option(names = "--shared-model", description = "Every executor reads the model file from the same path (default: "
            + "the driver broadcasts its bytes).")
    boolean sharedModel;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "ig",
            converter = MethodOptions.MethodConverter.class, completionCandidates = MethodOptions.MethodNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default ig).")
    ExplanationMethod method;

    @Option(names = "--spike-layer", paramLabel = "NAME", description = "The layer whose spike totals are recorded "
            + "(default: the mapped layer, else the last spatial layer before global pooling).")
    String spikeLayer;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + DatasetExplainer.DEFAULT_TOP_K,
            description = "Top neurons recorded per image (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + DatasetExplainer.DEFAULT_BATCH_SIZE,
            description = "Images per model pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--explain-labels", description = "Explain each image's label instead of its prediction.")
    boolean explainLabels;

    @Option(names = "--pointing-tolerance", paramLabel = "PIXELS", description = "Pointing game: how far from the mask "
            + "a map's peak may be (default 0).")
    Double pointingTolerance;

    @Option(names = "--map-relevance", paramLabel = "MODE", description = "How a map's channels become pixel "
            + "relevance for localization: ${COMPLETION-CANDIDATES}.")
    PixelRelevance mapRelevance;

    @Option(names = "--npy", description = "Write each raw map as .npy.")
    boolean npy;

    @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions (default: Spark's).")
    Integer partitions;

    @Option(names = "--master", paramLabel = "URL", description = "The Spark master (default: spark-submit's, else "
            + "local[*]).")
    String master;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "The output folder.")
    String out;

    @Option(names = "--force", description = "Replace an existing output once the new one is complete.")
    boolean force;

    private final MethodOptions methodOptions = new MethodOptions();
    private PrintStream stdout = System.out;

    /** For picocli. */
    DatasetCommand() { }

    @Override public MethodOptions methodOptions() {
        return methodOptions;
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the options ({@code --help} lists them)
     */
    public static void main(String[] args) {
        Options.quietSparkLogging();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the options ({@code --help} lists them)
     * @param out  where the report goes (one JSON line)
     * @param err  where errors go (one line)
     * @return 0 on success, 2 for bad input, 1 for another failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        DatasetCommand command = new DatasetCommand();
        command.stdout = out;
        CommandLine cmd = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("dataset: " + oneLine(ex) + " (see --help)");
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean usage = ex instanceof UsageException || ex instanceof IllegalArgumentException
                    || ex instanceof FileAlreadyExistsException || ex instanceof ModelLoadException;
            err.println("dataset: " + (usage ? "" : "failed: ") + oneLine(ex));
            return usage ? 2 : 1;
        });
        return cmd.execute(args);
    }

    @Override public Integer call() throws Exception {
        DatasetExplainer job = job();
        SparkSession spark = null;
        // a session the caller already runs (an application, a notebook) is used and left running
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        try {
            SparkSession.Builder builder = SparkSession.builder().appName("xai4j dataset");
            String chosenMaster = master != null ? master
                    : new SparkConf().contains("spark.master") ? null : "local[*]";
            if (chosenMaster != null) {
                builder.master(chosenMaster);
            }
            spark = builder.getOrCreate();
            ImageDataset images = input.images != null ? ImageDataset.files(input.images)
                    : ImageDataset.table(spark, input.table);
            DatasetReport report = job.run(spark, images, out);
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
            stdout.println(new ObjectMapper().writeValueAsString(json));
            return 0;
        } finally {
            if (spark != null && ownSession) {
                spark.stop();
            }
        }
    }

    private DatasetExplainer job() {
        // model files may be Hadoop URIs that only the driver's file system reads, so they are not checked locally
        ModelSource source = ModelSource.of(load.settings(model, false), sharedModel
                ? ModelSource.Distribution.SHARED_PATH : ModelSource.Distribution.BROADCAST);
        ExplanationMethod chosen = method;
        Map<String, List<String>> texts = methodOptions.texts();
        // the library parses and checks the method options; image-file baselines need a model, so a dataset job
        // takes the baselines that are values (zero, noise, constant:V, blur:SIGMA)
        ExplainerFactory explainer = () -> MethodOptions.explainer(chosen, texts,
                org.xai4j.explainers.MethodOption.ParseContext.NONE, org.xai4j.ProgressListener.NONE);
        explainer.create(); // refuses options that do not apply to the method, before Spark starts
        DatasetExplainer.Builder job = DatasetExplainer.builder().setModel(source).setExplainer(explainer)
                .optTopK(topK).optBatchSize(batchSize).optExplainLabels(explainLabels).optWriteAttributions(npy)
                .optOverwrite(force);
        if (spikeLayer != null) {
            job.optSpikeLayer(spikeLayer);
        }
        if (pointingTolerance != null) {
            job.optPointingTolerance(pointingTolerance);
        }
        if (mapRelevance != null) {
            job.optMapRelevance(mapRelevance);
        }
        if (partitions != null) {
            job.optPartitions(partitions);
        }
        return job.build();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ').strip();
    }
}
