package org.xai4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.io.Npy;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.figure.TileScaling;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xai4j features}: activation maximization of a layer's channels, as a grid PNG and the raw images. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Visualizes what channels of a layer respond to (activation maximization from a gray image, "
                + "Fourier parameterization): writes features_<layer>.png (a grid, one tile per channel) and "
                + "features_<layer>.npy (the images, float32 [n, H, W, 3] in [0, 1]), and prints one JSON line."})
final class FeaturesCommand extends CliCommand {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = LoadOptions.MODEL_HELP)
    String model;

    @Mixin
    LoadOptions load;

    @Option(names = "--layer", paramLabel = "NAME", description = "A spatial layer (default: the last spatial layer "
            + "before global pooling).")
    String layer;

    @Option(names = "--channels", paramLabel = "LIST", description = "Channels to show, e.g. 0,3,8-11 (default: "
            + "--max-channels of them, spread evenly over the layer).")
    String channels;

    @Option(names = "--max-channels", paramLabel = "N", defaultValue = "16", description = "Channels shown without "
            + "--channels (default ${DEFAULT-VALUE}).")
    int maxChannels;

    @Option(names = "--steps", paramLabel = "N", description = "Optimization steps per image (default "
            + ActivationMaximization.DEFAULT_FOURIER_STEPS + ", the library's for its default Fourier "
            + "parameterization).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the starting noise and the "
            + "random transforms (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OutputOptions output;

    @Override Map<String, Object> run() throws IOException {
        Path outDir = output.out("xai4j-features");
        checkOutput(outDir, output.force);
        if ((steps != null && steps < 1) || maxChannels < 1) {
            throw new UsageException((steps != null && steps < 1 ? "--steps must be positive, got " + steps
                    : "--max-channels must be positive, got " + maxChannels));
        }
        try (ImageClassifier classifier = load.load(model); Progress progress = progress()) {
            ImageModel m = classifier.model();
            String chosen = spatialLayer(m, layer);
            int available = (int) m.layerShape(chosen)[0];
            int[] selected = channels != null ? parseChannels(channels, available)
                    : spread(available, Math.min(available, maxChannels));
            long t0 = System.nanoTime();
            ActivationMaximization.Builder builder = ActivationMaximization.builder().setModel(m).optSeed(seed)
                    .optJitter((int) Math.min(4, m.inputShape()[1] / 16)).optProgressListener(progress);
            if (steps != null) {
                builder.optSteps(steps);
            }
            FeatureVisualization fv = builder.build().visualizeChannels(chosen, selected);
            double seconds = secondsSince(t0);
            INDArray images = fv.images().permute(0, 2, 3, 1).castTo(DataType.FLOAT);   // [n, H, W, 3]
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", classifier.name());
            json.put("layer", chosen);
            json.put("channels", selected);
            json.put("steps", fv.steps());
            json.put("initialObjective", fv.initialValues());
            json.put("finalObjective", fv.finalValues());
            json.put("seconds", seconds);
            try (OutputFolder folder = openOutput(outDir, output.force)) {
                String stem = "features_" + safe(chosen);
                TileGrid.Builder grid = TileGrid.builder().optColumns(Math.min(8, selected.length))
                        .optTitle(classifier.name() + " " + chosen).optScaling(TileScaling.SMOOTH);
                int tile = Math.max(96, (int) Math.min(160, m.inputShape()[2]));
                grid.optTileSize(tile, tile);
                for (int i = 0; i < fv.size(); i++) {
                    grid.add(ImageArrays.toImage(fv.images(), i).toBufferedImage(), "#" + selected[i]);
                }
                PngWriter.write(grid.build().render(), folder.staging().resolve(stem + ".png"));
                Npy.write(folder.staging().resolve(stem + ".npy"), images);
                Path written = folder.commit();
                json.put("grid", written.resolve(stem + ".png").toString());
                json.put("npy", written.resolve(stem + ".npy").toString());
            }
            json.put("shape", images.shape());
            return json;
        }
    }

    /** {@code 0,3,8-11} to sorted distinct channels, each below {@code available}. */
    static int[] parseChannels(String list, int available) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : list.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 0 || to < from || to >= available) {
                    throw new UsageException("--channels " + p + " is out of range: the layer has " + available
                            + " channels (0.." + (available - 1) + ")");
                }
                for (int c = from; c <= to; c++) {
                    out.add(c);
                }
            } catch (NumberFormatException e) {
                throw new UsageException("--channels must be indices and ranges such as 0,3,8-11, got '" + list + "'");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code k} indices spread evenly over {@code 0..n-1}. */
    static int[] spread(int n, int k) {
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) ((long) i * n / k);
        }
        return idx;
    }
}
