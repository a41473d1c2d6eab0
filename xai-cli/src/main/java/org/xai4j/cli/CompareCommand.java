package org.xai4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.compare.LayerComparison;
import org.xai4j.compare.NetworkComparison;
import org.xai4j.compare.RankChange;
import org.xai4j.engine.ImageModel;
import org.xai4j.io.Npy;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.figure.PanelComparison;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xai4j compare}: two or more models of one architecture (fine-tuned variants) on one image at one layer,
 * through {@link NetworkComparison}: spike vectors, their correlations, the neurons whose rank changes most.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares two or more models of one architecture on an image at one layer (as the study "
                + "compares VGGFace and VGGEmotion): writes <layer>_spikes.png (each model's spike chart), "
                + "<layer>_top.png (the first model's top neuron in every model, on one scale) and <layer>_spikes.npy "
                + "(float32 [models, neurons]), and prints one JSON line with the spike correlations and the largest "
                + "rank changes."})
final class CompareCommand extends CliCommand {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model; give two or more "
            + "(the first is the reference for rank changes). Same forms as explain --model.")
    List<String> models;

    @Mixin
    LoadOptions load;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "A PNG, JPEG, BMP or GIF image.")
    Path image;

    @Option(names = "--layer", paramLabel = "NAME", description = "A spatial layer every model has (default: the "
            + "first model's last spatial layer before global pooling).")
    String layer;

    @Option(names = "--rank-changes", paramLabel = "K", defaultValue = "10", description = "Rank changes listed in "
            + "the JSON line (default ${DEFAULT-VALUE}).")
    int rankChanges;

    @Mixin
    OutputOptions output;

    @Override Map<String, Object> run() throws IOException {
        Path outDir = output.out("xai4j-compare");
        checkOutput(outDir, output.force);
        if (models.size() < 2) {
            throw new UsageException("give at least two models to compare (--model A --model B), got "
                    + models.size());
        }
        if (rankChanges < 0) {
            throw new UsageException("--rank-changes must be >= 0, got " + rankChanges);
        }
        List<ImageClassifier> loaded = new ArrayList<>();
        try {
            Map<String, ImageModel> named = new LinkedHashMap<>();
            for (String source : models) {
                ImageClassifier c = load.load(source);
                loaded.add(c);
                String name = c.name();
                for (int k = 2; named.containsKey(name); k++) {
                    name = c.name() + "#" + k;
                }
                named.put(name, c.model());
            }
            ImageClassifier first = loaded.get(0);
            for (ImageClassifier c : loaded) {
                if (!Arrays.equals(c.inputShape(), first.inputShape())) {
                    throw new UsageException("model " + c.name() + " takes input " + Arrays.toString(c.inputShape())
                            + " but " + first.name() + " takes " + Arrays.toString(first.inputShape())
                            + "; compare models of one architecture");
                }
            }
            String chosen = spatialLayer(first.model(), layer);
            for (ImageClassifier c : loaded) {
                if (!c.model().layerNames().contains(chosen)) {
                    throw new UsageException("model " + c.name() + " has no layer '" + chosen + "'; compare models of "
                            + "one architecture, or give a --layer every model has");
                }
            }
            RgbImage img = readImage(first, image, "image");
            long t0 = System.nanoTime();
            LayerComparison cmp;
            try {
                cmp = NetworkComparison.compare(named, first.toInput(img), chosen);
            } catch (IllegalArgumentException e) {
                throw new UsageException(Xai4j.oneLine(e), e);
            }
            double seconds = secondsSince(t0);
            List<String> names = cmp.models();
            int reference = cmp.topNeurons(0, 1)[0];
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("models", names);
            json.put("image", image.toString());
            json.put("layer", chosen);
            json.put("neurons", cmp.neurons());
            Map<String, Object> tops = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                tops.put(names.get(i), cmp.topNeurons(i, Math.min(5, cmp.neurons())));
            }
            json.put("topNeurons", tops);
            json.put("pearson", cmp.pearson());
            json.put("spearman", cmp.spearman());
            List<Map<String, Object>> changes = new ArrayList<>();
            for (RankChange r : cmp.largestRankChanges(rankChanges)) {
                changes.add(Map.of("neuron", r.neuron(), "model", r.model(), "referenceRank", r.referenceRank(),
                        "rank", r.rank()));
            }
            json.put("largestRankChanges", changes);
            json.put("seconds", seconds);
            try (OutputFolder folder = openOutput(outDir, output.force)) {
                String stem = safe(chosen);
                Path dir = folder.staging();
                double[][] spikes = cmp.spikes();
                PanelComparison.Builder charts = PanelComparison.builder().optTitle(chosen + ": spike totals");
                PanelComparison.Builder maps = PanelComparison.builder().optTitle(chosen + ": neuron " + reference
                        + " (the top neuron of " + names.get(0) + "), one scale for all models");
                INDArray aligned = cmp.alignedMaps(reference);
                AttributionVisualizer visualizer = AttributionVisualizer.builder().build();
                for (int i = 0; i < names.size(); i++) {
                    int top = cmp.topNeurons(i, 1)[0];
                    charts.add(names.get(i) + " (top: neuron " + top + ")",
                            ActivationsCommand.spikeChart(spikes[i], top, ""));
                    AttributionMap map = ImageArrays.toMap(aligned, i);
                    BufferedImage overlay = visualizer.render(map, displayed(img), VisualizationMethod.BLENDED_HEAT_MAP);
                    maps.add(names.get(i), overlay);
                }
                PngWriter.write(charts.build().render(), dir.resolve(stem + "_spikes.png"));
                PngWriter.write(maps.build().render(), dir.resolve(stem + "_top.png"));
                Npy.write(dir.resolve(stem + "_spikes.npy"), Nd4j.create(spikes).castTo(DataType.FLOAT));
                Path written = folder.commit();
                json.put("spikes", written.resolve(stem + "_spikes.png").toString());
                json.put("topMaps", written.resolve(stem + "_top.png").toString());
                json.put("npy", written.resolve(stem + "_spikes.npy").toString());
            }
            return json;
        } finally {
            loaded.forEach(ImageClassifier::close);
        }
    }
}
