package org.xai4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.Predictions;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.engine.ImageModel;
import org.xai4j.io.Npy;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.figure.BarChart;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.figure.TileScaling;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;
import org.xai4j.viz.overlay.ChannelScaling;
import org.xai4j.viz.overlay.Overlays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xai4j activations}: every neuron's activation map of a layer, and the spike totals, for one image. */
@Command(name = "activations", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows what every neuron (channel) of a layer does on an image: writes <layer>_maps.png (all "
                + "activation maps), <layer>_spikes.png (the spike chart: each map's sum, top neuron highlighted), "
                + "<layer>_top.png (the top neuron's map over the image), <layer>.npy (raw activations, float32 "
                + "[C, h, w] at the layer's resolution) and <layer>_spikes.npy ([C]), and prints one JSON line."})
final class ActivationsCommand extends CliCommand {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = LoadOptions.MODEL_HELP)
    String model;

    @Mixin
    LoadOptions load;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "A PNG, JPEG, BMP or GIF image.")
    Path image;

    @Option(names = "--layer", paramLabel = "NAME", description = "A spatial layer (default: the last spatial layer "
            + "before global pooling).")
    String layer;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Neurons listed in the JSON line, "
            + "largest spike first (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    OutputOptions output;

    @Override Map<String, Object> run() throws IOException {
        Path outDir = output.out("xai4j-activations");
        checkOutput(outDir, output.force);
        try (ImageClassifier classifier = load.load(model)) {
            ImageModel m = classifier.model();
            String chosen = spatialLayer(m, layer);
            RgbImage img = readImage(classifier, image, "image");
            INDArray x = classifier.toInput(img);
            long t0 = System.nanoTime();
            int predicted = Predictions.argMax(m.probabilities(x))[0];
            LayerActivations acts = NeuronActivations.builder().setModel(m).setLayer(chosen).build().activations(x);
            double seconds = secondsSince(t0);
            if (top < 1 || top > acts.channels()) {
                throw new UsageException("--top " + top + " is out of range: layer '" + chosen + "' has "
                        + acts.channels() + " neurons (1.." + acts.channels() + ")");
            }
            int[] tops = acts.topK(0, top);
            double[] spikes = acts.spikes(0);
            INDArray raw = acts.activations().get(NDArrayIndex.point(0)).dup('c');     // [C, h, w]
            List<Map<String, Object>> topList = new ArrayList<>();
            for (int n : tops) {
                topList.add(Map.of("neuron", n, "spike", spikes[n]));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", classifier.name());
            json.put("image", image.toString());
            json.put("layer", chosen);
            json.put("prediction", Map.of("index", predicted, "label", classifier.label(predicted)));
            json.put("neurons", acts.channels());
            json.put("topNeurons", topList);
            json.put("seconds", seconds);
            try (OutputFolder folder = openOutput(outDir, output.force)) {
                String stem = safe(chosen);
                Path dir = folder.staging();
                PngWriter.write(mapsGrid(raw, tops[0], classifier.name() + " " + chosen), dir.resolve(stem
                        + "_maps.png"));
                PngWriter.write(spikeChart(spikes, tops[0], classifier.name() + " " + chosen + ": spike totals"),
                        dir.resolve(stem + "_spikes.png"));
                PngWriter.write(AttributionVisualizer.builder().build().render(ImageArrays.toMap(acts.map(0,
                        tops[0])), displayed(img), VisualizationMethod.BLENDED_HEAT_MAP), dir.resolve(stem
                        + "_top.png"));
                Npy.write(dir.resolve(stem + ".npy"), raw.castTo(DataType.FLOAT));
                Npy.write(dir.resolve(stem + "_spikes.npy"), acts.spikes().getRow(0).castTo(DataType.FLOAT));
                Path written = folder.commit();
                json.put("maps", written.resolve(stem + "_maps.png").toString());
                json.put("spikes", written.resolve(stem + "_spikes.png").toString());
                json.put("topMap", written.resolve(stem + "_top.png").toString());
                json.put("npy", written.resolve(stem + ".npy").toString());
                json.put("spikesNpy", written.resolve(stem + "_spikes.npy").toString());
            }
            json.put("shape", raw.shape());
            return json;
        }
    }

    /** Every channel's map as a heat map, each scaled to its own range, the top one marked. */
    static BufferedImage mapsGrid(INDArray raw, int top, String title) {
        AttributionMap maps = ImageArrays.toMap(raw);
        TileGrid.Builder g = TileGrid.builder().optColumns(Math.min(16, maps.channels())).optTileSize(40, 40)
                .optScaling(TileScaling.PIXELATED).optTitle(title);
        List<BufferedImage> heat = Overlays.channelHeatMaps(maps, StandardColormap.VIRIDIS, ChannelScaling.PER_CHANNEL);
        for (int n = 0; n < heat.size(); n++) {
            g.add(heat.get(n), n == top ? "#" + n + " top" : "#" + n);
        }
        return g.build().render();
    }

    /** The seed study's spike plot: one bar per neuron, the top one highlighted. */
    static BufferedImage spikeChart(double[] spikes, int top, String title) {
        return BarChart.builder().setValues(spikes).optTitle(title).optXAxisLabel("neuron")
                .optYAxisLabel("spike total").optHighlight(top).optHighlightLabel("neuron " + top).optSize(640, 280)
                .build().render();
    }
}
