package org.xai4j.spark.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.Predictions;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.engine.ImageModel;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelInputs;
import org.xai4j.sanity.Localization;
import org.xai4j.sanity.LocalizationScores;
import org.xai4j.viz.RgbImage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Explains batches of images of one dataset job on one loaded model, with the library's single-JVM calls: images
 * decoded by {@link ModelInputs#read(java.io.InputStream, String)} at the model's input size and batched by
 * {@link ImageClassifier#toInput}, predictions from {@link ImageModel#probabilities}, spike totals from
 * {@link NeuronActivations#activations}, maps from {@link Explainer#run}, localization from {@link Localization}.
 * It also keeps the running class sums of what it explained. Not thread-safe: one per partition.
 */
public final class BatchExplainer {

    /**
     * An image ready to explain.
     *
     * @param path  where it came from
     * @param image the image at the model's input size
     * @param label the true class, or null
     * @param mask  the ground-truth mask {@code [H, W]} at the input size, or null
     */
    public record Item(String path, RgbImage image, Integer label, INDArray mask) { }

    private final ImageClassifier classifier;
    private final JobSettings job;
    private final Explainer explainer;
    private final NeuronActivations spikes;
    private final Map<Integer, ClassTotals> totals = new TreeMap<>();

    /**
     * Prepares to explain on a model.
     *
     * @param classifier the loaded model
     * @param job        the job's settings
     */
    public BatchExplainer(ImageClassifier classifier, JobSettings job) {
        this.classifier = classifier;
        this.job = job;
        this.explainer = job.explainer().create();
        this.spikes = NeuronActivations.builder().setModel(classifier.model()).setLayer(job.spikeLayer()).build();
    }

    /**
     * Decodes an image and checks its label and mask.
     *
     * @param path       the image's path, for messages
     * @param bytes      the encoded image
     * @param labelIndex the true class index, or null
     * @param labelName  the true class label, or null
     * @param maskImage  an encoded mask image, or null
     * @param maskName   the mask image's path, for messages
     * @param maskValues a mask as {@code height * width} values, or null
     * @return the item
     * @throws IOException              naming the file if the image or mask cannot be decoded
     * @throws IllegalArgumentException if the label is not one of the model's classes or the mask has the wrong size
     */
    public Item prepare(String path, byte[] bytes, Integer labelIndex, String labelName, byte[] maskImage,
                        String maskName, double[] maskValues) throws IOException {
        int h = classifier.height();
        int w = classifier.width();
        ModelInputs inputs = classifier.inputs();
        RgbImage image = inputs.read(new ByteArrayInputStream(bytes), path);
        Integer label = labelIndex;
        if (label != null && (label < 0 || label >= classifier.labels().size())) {
            throw new IllegalArgumentException("label " + label + " is out of range: " + classifier.name() + " has "
                    + classifier.labels().size() + " classes (0.." + (classifier.labels().size() - 1) + ")");
        }
        if (label == null && labelName != null) {
            int index = classifier.labels().indexOf(labelName);
            if (index < 0) {
                throw new IllegalArgumentException("label '" + labelName + "' is not one of the " + classifier.labels()
                        .size() + " labels of " + classifier.name() + " (" + abbreviated(classifier.labels()) + ")");
            }
            label = index;
        }
        INDArray mask = null;
        if (maskImage != null) {
            RgbImage m = inputs.read(new ByteArrayInputStream(maskImage), maskName);
            double[] v = new double[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y * w + x] = (m.get(0, y, x) + (double) m.get(1, y, x) + m.get(2, y, x)) / 3;
                }
            }
            mask = Nd4j.create(v, new long[] {h, w}, DataType.DOUBLE);
        } else if (maskValues != null) {
            if (maskValues.length != h * w) {
                throw new IllegalArgumentException("mask has " + maskValues.length + " values; expected height * width = "
                        + h + " * " + w + " = " + h * w + " (the model's input size)");
            }
            mask = Nd4j.create(maskValues.clone(), new long[] {h, w}, DataType.DOUBLE);
        }
        return new Item(path, image, label, mask);
    }

    /**
     * Explains a batch and adds it to the class sums.
     *
     * @param items one or more prepared images
     * @return one result per image, in order
     * @throws IOException if a raw map cannot be written
     */
    public List<ResultRows.Explained> explain(List<Item> items) throws IOException {
        ImageModel model = classifier.model();
        int n = items.size();
        INDArray x = classifier.toInput(items.stream().map(Item::image).toArray(RgbImage[]::new));
        INDArray probabilities = model.probabilities(x);
        int[] predicted = Predictions.argMax(probabilities);
        LayerActivations activations = spikes.activations(x);
        ExplanationMethod method = explainer.method();
        Explanation e;
        if (method == ExplanationMethod.ACTIVATIONS) {
            e = explainer.run(model, x); // each image's top-spike neuron of the explainer's layer
        } else {
            int[] targets = predicted.clone();
            for (int i = 0; i < n; i++) {
                if (job.explainLabels() && items.get(i).label() != null) {
                    targets[i] = items.get(i).label();
                }
            }
            e = explainer.run(model, x, targets);
        }
        INDArray values = e.values();
        INDArray pixelMaps = job.mapRelevance().reduce(values);
        double[] deltas = e.convergenceDelta();
        int[] explained = e.targets();
        List<ResultRows.Explained> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            INDArray map = values.get(NDArrayIndex.interval(i, i + 1));
            Double mass = null;
            Boolean hit = null;
            if (item.mask() != null) {
                LocalizationScores s = Localization.evaluate(map, item.mask(), job.tolerance());
                mass = s.relevanceMass()[0];
                hit = s.hits()[0];
            }
            String file = null;
            if (job.attributionsDir() != null) {
                file = npyName(item.path());
                INDArray raw = map.get(NDArrayIndex.point(0));
                // the layout of the explain command: H x W x C for input attributions, H x W for maps
                job.io().writeNpy(job.attributionsDir(), file, (raw.rank() == 3 ? raw.permute(1, 2, 0) : raw)
                        .castTo(DataType.FLOAT));
                file = "attributions/" + file;
            }
            double[] spikeTotals = activations.spikes(i);
            out.add(new ResultRows.Explained(item.path(), item.label(), predicted[i], classifier.label(predicted[i]),
                    probabilities.getDouble(i, predicted[i]), explained[i], method.id(), e.layer(),
                    deltas.length == 0 ? null : deltas[i], spikeTotals, activations.topK(i, job.topK()), mass, hit,
                    file));
        }
        // the sums change only once the whole batch is explained, so a batch retried image by image counts once
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            ResultRows.Explained r = out.get(i);
            int key = item.label() != null ? item.label() : predicted[i];
            ClassTotals t = totals.computeIfAbsent(key, k -> new ClassTotals(k, r.spikes().length,
                    (int) (pixelMaps.size(1) * pixelMaps.size(2))));
            t.add(r.spikes(), pixelMaps.get(NDArrayIndex.point(i)).dup('c').data().asDouble());
            if (item.label() != null) {
                t.labelled++;
                t.correct += item.label() == predicted[i] ? 1 : 0;
            }
            if (r.relevanceMass() != null) {
                t.masked++;
                t.relevanceMassSum += r.relevanceMass();
                t.hits += r.pointingHit() ? 1 : 0;
            }
        }
        return out;
    }

    /**
     * The class sums of everything explained so far, by class.
     *
     * @return the sums
     */
    public Collection<ClassTotals> totals() {
        return totals.values();
    }

    /** A file name unique per image path: the sanitized base name and a hash of the whole path. */
    static String npyName(String path) {
        String base = new org.apache.hadoop.fs.Path(path).getName().replaceAll("[^A-Za-z0-9_.-]", "_");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return base + "-" + HexFormat.of().formatHex(hash, 0, 6) + ".npy";
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has no SHA-256", ex);
        }
    }

    private static String abbreviated(List<String> labels) {
        return labels.size() <= 10 ? String.join(", ", labels)
                : String.join(", ", labels.subList(0, 10)) + ", ...";
    }
}
