package org.xai4j.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.LayerSelectors;
import org.xai4j.engine.ImageModel;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.spark.internal.ClassTotals;
import org.xai4j.spark.internal.ExecutorModels;
import org.xai4j.spark.internal.HadoopFiles;
import org.xai4j.spark.internal.JobSettings;
import org.xai4j.spark.internal.PartitionExplainer;
import org.xai4j.spark.internal.ResultRows;
import org.xai4j.spark.internal.ShippedModel;
import scala.Tuple2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;

/**
 * Explains every image of a dataset on Apache Spark with one method of xai4j and writes, into one output folder:
 * <ul>
 *   <li>{@value DatasetReport#EXPLANATIONS} (Parquet), one row per explained image: {@code path}, {@code label} (the
 *       true class index, or null), {@code predicted}, {@code predictedLabel}, {@code probability} (of the predicted
 *       class), {@code target} (the explained class; a neuron for {@code activations}), {@code method},
 *       {@code layer} (the mapped layer of CAMs and neuron maps), {@code convergenceDelta} (integrated gradients;
 *       null otherwise), {@code spikes} (the spike totals of the spike layer: each neuron's activation summed over
 *       its positions, {@link org.xai4j.activation.LayerActivations#spikes}), {@code topNeurons} (the k largest,
 *       largest first), {@code relevanceMass} and {@code pointingHit} ({@link org.xai4j.sanity.Localization}, when
 *       the image has a mask; null otherwise) and {@code attributionFile} (when raw maps are written);</li>
 *   <li>{@value DatasetReport#ERRORS} (Parquet): {@code path}, {@code message} of every image that could not be read
 *       or explained (a corrupt or missing file, a bad label or mask);</li>
 *   <li>{@value DatasetReport#CLASS_AGGREGATES} (Parquet), one row per class: {@code class}, {@code classLabel},
 *       {@code images}, {@code labelled}, {@code correct}, {@code accuracy}, {@code masked},
 *       {@code meanRelevanceMass}, {@code pointingAccuracy}, {@code meanSpikes} (per neuron), {@code meanAttribution}
 *       (the mean map in pixel space, {@code height * width} values row by row, input attributions reduced over their
 *       channels by {@link PixelRelevance}), {@code height}, {@code width}. An image counts for its label when it has
 *       one, else for its predicted class;</li>
 *   <li>optionally {@value DatasetReport#ATTRIBUTIONS}{@code /<name>-<hash>.npy}: each image's raw map as float32,
 *       {@code H x W x C} for input attributions and {@code H x W} for maps (the layout of the explain command), each
 *       written atomically;</li>
 *   <li>{@value DatasetReport#SUMMARY}: the settings and counts.</li>
 * </ul>
 * The folder is written under a hidden sibling name and renamed when complete, so it appears whole or not at all.
 *
 * <p>Each executor JVM loads the model once ({@link ModelSource}) and explains its partitions in batches of
 * {@link Builder#optBatchSize} images with the same calls as the single-JVM API: files decoded and resized by
 * {@link org.xai4j.models.ModelInputs#read(java.io.InputStream, String)} at the model's input size, batched by
 * {@link ImageClassifier#toInput}, explained by {@link Explainer#run}. An image is explained for its predicted class, or for its label with
 * {@link Builder#optExplainLabels}.
 *
 * <pre>{@code
 * DatasetReport report = DatasetExplainer.builder()
 *         .setModel(ModelSource.builder().setSource("toy:object").build())
 *         .setExplainer(() -> Explainer.builder().setMethod(ExplanationMethod.SALIENCY).build())
 *         .build()
 *         .run(spark, ImageDataset.table(spark, "images.csv"), "out/saliency");
 * }</pre>
 */
public final class DatasetExplainer {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetExplainer.class);

    private final ModelSource model;
    private final ExplainerFactory explainer;
    private final String spikeLayer;
    private final int topK;
    private final int batchSize;
    private final boolean explainLabels;
    private final Double tolerance;
    private final PixelRelevance mapRelevance;
    private final boolean writeAttributions;
    private final int partitions;
    private final boolean overwrite;

    private DatasetExplainer(Builder b) {
        this.model = b.model;
        this.explainer = b.explainer;
        this.spikeLayer = b.spikeLayer;
        this.topK = b.topK;
        this.batchSize = b.batchSize;
        this.explainLabels = b.explainLabels;
        this.tolerance = b.tolerance;
        this.mapRelevance = b.mapRelevance;
        this.writeAttributions = b.writeAttributions;
        this.partitions = b.partitions;
        this.overwrite = b.overwrite;
    }

    /**
     * Starts configuring a dataset job.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Explains a dataset and writes the output folder.
     *
     * @param spark  the session (any master)
     * @param images the images
     * @param output the output folder, local or any Hadoop URI; it must not exist unless {@link Builder#optOverwrite}
     * @return what was written and counted
     * @throws NullPointerException      if an argument is null
     * @throws FileAlreadyExistsException if the output exists and overwriting is off
     * @throws IOException               if a model file cannot be read or the output cannot be written
     * @throws ModelLoadException        naming the model if it cannot be loaded
     * @throws IllegalArgumentException  if the explainer factory refuses its options, a layer is unknown or not
     *                                   spatial (the message lists the valid ones), the top-k exceeds the spike
     *                                   layer's neurons, or labels are to be explained by neuron maps
     */
    public DatasetReport run(SparkSession spark, ImageDataset images, String output) throws IOException,
            ModelLoadException {
        Objects.requireNonNull(spark, "spark must not be null");
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(output, "output must not be null");
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopFiles io = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(io.conf());
        out = fs.makeQualified(out);
        if (fs.exists(out) && !overwrite) {
            throw new FileAlreadyExistsException(out.toString(), null, "the output folder exists; choose another or "
                    + "allow overwriting");
        }

        ShippedModel shipped = ShippedModel.prepare(jsc, model, io);
        ImageClassifier classifier = ExecutorModels.get(shipped); // on the driver: checks the settings early
        ImageModel m = classifier.model();
        Explainer built = Objects.requireNonNull(explainer.create(), "the explainer factory returned null");
        if (explainLabels && built.method() == ExplanationMethod.ACTIVATIONS) {
            throw new IllegalArgumentException("explainLabels does not apply to activations, whose targets are neurons, "
                    + "not classes");
        }
        String layer = built.layerFor(m);
        List<String> spatial = LayerSelectors.spatialLayers(m);
        if (layer != null && !spatial.contains(layer)) {
            throw new IllegalArgumentException("unknown layer '" + layer + "'; the spatial layers of "
                    + classifier.name() + " are " + String.join(", ", spatial));
        }
        String spikes = spikeLayer != null ? spikeLayer : LayerSelectors.lastConvolution(m);
        if (!spatial.contains(spikes)) {
            throw new IllegalArgumentException("unknown spike layer '" + spikes + "'; the spatial layers of "
                    + classifier.name() + " are " + String.join(", ", spatial));
        }
        long neurons = m.layerShape(spikes)[0];
        if (topK > neurons) {
            throw new IllegalArgumentException("top-k " + topK + " exceeds the " + neurons + " neurons of spike layer '"
                    + spikes + "'");
        }
        double pointing = tolerance != null ? tolerance
                : 15.0 * Math.max(classifier.height(), classifier.width()) / 224.0;

        Path staging = new Path(out.getParent(), "." + out.getName() + ".staging-" + UUID.randomUUID());
        JobSettings job = new JobSettings(shipped, explainer, spikes, topK, batchSize, explainLabels, pointing,
                mapRelevance, writeAttributions ? new Path(staging, DatasetReport.ATTRIBUTIONS).toString() : null, io);
        Dataset<Row> rows = partitioned(images.rows(spark), jsc.defaultParallelism());
        Dataset<Row> results = null;
        JavaRDD<ClassTotals> perClass = null;
        try {
            results = rows.mapPartitions(new PartitionExplainer(job), Encoders.row(ResultRows.SCHEMA))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            results.filter(col("kind").equalTo(ResultRows.EXPLAINED))
                    .select(ResultRows.EXPLANATION_COLUMNS.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
                    .write().parquet(new Path(staging, DatasetReport.EXPLANATIONS).toString());
            results.filter(col("kind").equalTo(ResultRows.ERROR)).select(col("path"), col("message")).coalesce(1)
                    .write().parquet(new Path(staging, DatasetReport.ERRORS).toString());
            // one reducer adds the partitions' class sums (and error counts, class -1) and keeps the classes in order
            perClass = results.filter(col("kind").equalTo(ResultRows.CLASS_TOTALS)).javaRDD()
                    .map(ResultRows::totalsOf).mapToPair(t -> new Tuple2<>(t.classIndex(), t))
                    .reduceByKey(ClassTotals::plus, 1)
                    .values().mapPartitions(ResultRows::sortedByClass)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<String> labels = classifier.labels();
            int height = classifier.height();
            int width = classifier.width();
            spark.createDataFrame(perClass.filter(t -> t.classIndex() >= 0)
                            .map(t -> ResultRows.aggregate(t, labels.get(t.classIndex()), height, width)),
                    ResultRows.AGGREGATE_SCHEMA)
                    .write().parquet(new Path(staging, DatasetReport.CLASS_AGGREGATES).toString());
            long[] counts = perClass.map(t -> t.classIndex() < 0 ? new long[] {0, t.images(), 0, 0}
                            : new long[] {t.images(), 0, t.labelled(), t.correct()})
                    .fold(new long[4], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
            long explained = counts[0];
            long errors = counts[1];
            DatasetReport report = new DatasetReport(out.toString(), explained + errors, explained, errors,
                    counts[2] == 0 ? Double.NaN : (double) counts[3] / counts[2], built.method().id(), layer,
                    spikes, (System.nanoTime() - t0) / 1e9);
            writeSummary(fs, new Path(staging, DatasetReport.SUMMARY), report, built, classifier, images, pointing);
            commit(fs, staging, out);
            LOG.info("{}", report);
            return report;
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(staging, true);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            if (perClass != null) {
                perClass.unpersist();
            }
            if (results != null) {
                results.unpersist();
            }
        }
    }

    /**
     * The input as it comes, or spread over twice the cluster's parallelism when it has fewer partitions than that
     * (a small table file is one partition).
     */
    private Dataset<Row> partitioned(Dataset<Row> rows, int parallelism) {
        if (partitions > 0) {
            return rows.repartition(partitions);
        }
        return rows.rdd().getNumPartitions() >= parallelism ? rows : rows.repartition(2 * parallelism);
    }

    private void writeSummary(FileSystem fs, Path file, DatasetReport report, Explainer built,
                              ImageClassifier classifier, ImageDataset images, double pointing) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("classifier", classifier.toString());
        json.put("input", images.toString());
        json.put("explainer", built.toString());
        json.put("method", report.method());
        json.put("layer", report.layer());
        json.put("spikeLayer", report.spikeLayer());
        json.put("topK", topK);
        json.put("batchSize", batchSize);
        json.put("explainLabels", explainLabels);
        json.put("pointingTolerancePixels", pointing);
        json.put("mapRelevance", mapRelevance.name());
        json.put("inputs", report.inputs());
        json.put("explained", report.explained());
        json.put("errors", report.errors());
        json.put("accuracy", Double.isNaN(report.accuracy()) ? null : report.accuracy());
        json.put("seconds", report.seconds());
        List<String> tables = new ArrayList<>(List.of(DatasetReport.EXPLANATIONS, DatasetReport.ERRORS,
                DatasetReport.CLASS_AGGREGATES));
        if (writeAttributions) {
            tables.add(DatasetReport.ATTRIBUTIONS);
        }
        json.put("outputs", tables);
        try (OutputStream o = fs.create(file, false)) {
            o.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Moves the complete staging folder into place, replacing an old output only now. */
    private void commit(FileSystem fs, Path staging, Path out) throws IOException {
        if (fs.exists(out)) {
            if (!overwrite) {
                throw new FileAlreadyExistsException(out.toString(), null, "the output folder appeared during the job");
            }
            fs.delete(out, true);
        }
        if (!fs.rename(staging, out)) {
            throw new IOException("cannot move " + staging + " to " + out);
        }
    }

    @Override public String toString() {
        return "DatasetExplainer[" + model + (spikeLayer == null ? "" : ", spikeLayer=" + spikeLayer)
                + ", topK=" + topK + ", batchSize=" + batchSize + (explainLabels ? ", explainLabels" : "")
                + (writeAttributions ? ", writeAttributions" : "") + "]";
    }

    /** Top neurons recorded per image unless {@link Builder#optTopK} says otherwise. */
    public static final int DEFAULT_TOP_K = 5;
    /** Images per model batch unless {@link Builder#optBatchSize} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    /**
     * Builder: required {@link #setModel}, {@link #setExplainer}; the rest optional.
     */
    public static final class Builder {
        private ModelSource model;
        private ExplainerFactory explainer;
        private String spikeLayer;
        private int topK = DEFAULT_TOP_K;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean explainLabels;
        private Double tolerance;
        private PixelRelevance mapRelevance = PixelRelevance.ABSOLUTE_SUM;
        private boolean writeAttributions;
        private int partitions;
        private boolean overwrite;

        private Builder() { }

        /**
         * The model (required).
         *
         * @param model the model and how executors get it
         * @return this builder
         */
        public Builder setModel(ModelSource model) {
            this.model = model;
            return this;
        }

        /**
         * The explanation method and its options (required), as a factory each executor calls.
         *
         * @param explainer makes the explainer, e.g. {@code () -> Explainer.builder().setMethod(ExplanationMethod.IG)
         *                  .build()}
         * @return this builder
         */
        public Builder setExplainer(ExplainerFactory explainer) {
            this.explainer = explainer;
            return this;
        }

        /**
         * The spatial layer whose spike totals each row holds (default {@link LayerSelectors#lastConvolution}, the
         * study's choice).
         *
         * @param layer a spatial layer name
         * @return this builder
         */
        public Builder optSpikeLayer(String layer) {
            this.spikeLayer = Objects.requireNonNull(layer, "spike layer must not be null");
            return this;
        }

        /**
         * How many top-spike neurons each row lists (default {@value DatasetExplainer#DEFAULT_TOP_K}).
         *
         * @param k a positive count, at most the spike layer's neurons
         * @return this builder
         */
        public Builder optTopK(int k) {
            this.topK = k;
            return this;
        }

        /**
         * Images per model batch (default {@value DatasetExplainer#DEFAULT_BATCH_SIZE}).
         *
         * @param size a positive count
         * @return this builder
         */
        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Explain each image with a label for its label instead of its predicted class (default off).
         *
         * @param on whether to
         * @return this builder
         */
        public Builder optExplainLabels(boolean on) {
            this.explainLabels = on;
            return this;
        }

        /**
         * The pointing game's tolerance (default 15 pixels at 224 x 224, scaled to the input size).
         *
         * @param pixels a finite distance {@code >= 0}
         * @return this builder
         */
        public Builder optPointingTolerance(double pixels) {
            this.tolerance = pixels;
            return this;
        }

        /**
         * How input attributions become one value per pixel in the mean maps (default
         * {@link PixelRelevance#ABSOLUTE_SUM}, as overlays show them).
         *
         * @param relevance the reduction
         * @return this builder
         */
        public Builder optMapRelevance(PixelRelevance relevance) {
            this.mapRelevance = Objects.requireNonNull(relevance, "map relevance must not be null");
            return this;
        }

        /**
         * Also write each image's raw map as a {@code .npy} file (default off).
         *
         * @param on whether to
         * @return this builder
         */
        public Builder optWriteAttributions(boolean on) {
            this.writeAttributions = on;
            return this;
        }

        /**
         * Spread the images over this many partitions (default: as the input comes, or more partitions when it has
         * fewer than the cluster's parallelism).
         *
         * @param count a positive count
         * @return this builder
         */
        public Builder optPartitions(int count) {
            if (count <= 0) {
                throw new IllegalArgumentException("partitions must be positive, got " + count);
            }
            this.partitions = count;
            return this;
        }

        /**
         * Replace an existing output folder, once the new one is complete (default off).
         *
         * @param on whether to
         * @return this builder
         */
        public Builder optOverwrite(boolean on) {
            this.overwrite = on;
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the job
         * @throws NullPointerException     if the model or the explainer is missing
         * @throws IllegalArgumentException if a count is not positive or the tolerance is negative
         */
        public DatasetExplainer build() {
            Objects.requireNonNull(model, "model is required: call setModel");
            Objects.requireNonNull(explainer, "explainer is required: call setExplainer");
            if (topK <= 0) {
                throw new IllegalArgumentException("top-k must be positive, got " + topK);
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            }
            if (tolerance != null && !(tolerance >= 0 && Double.isFinite(tolerance))) {
                throw new IllegalArgumentException("pointing tolerance must be a finite number of pixels >= 0, got "
                        + tolerance);
            }
            return new DatasetExplainer(this);
        }
    }
}
