package org.xai4j.compare;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.activation.Heatmaps;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.InputChecks;
import org.xai4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares models that share layer names (fine-tuned variants of one architecture) on one input at one layer: the
 * spike vectors (sum of each neuron's map, as in the seed study), their correlations, the neurons whose rank changes
 * most, and the aligned maps.
 */
public final class NetworkComparison {

    private NetworkComparison() { }

    /** Compares models named {@code model0, model1, ...}. */
    public static LayerComparison compare(List<? extends ImageModel> models, INDArray input, String layer) {
        if (models == null) {
            throw new NullPointerException("models must not be null");
        }
        Map<String, ImageModel> named = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            named.put("model" + i, models.get(i));
        }
        return compare(named, input, layer);
    }

    /**
     * Compares named models (in iteration order; the first is the reference for rank changes).
     *
     * @param models at least two models with the same input shape and the layer, of the same per-example shape
     * @param input  one image {@code [1, C, H, W]} (or {@code [C, H, W]})
     * @param layer  a spatial layer present in every model
     */
    public static LayerComparison compare(Map<String, ? extends ImageModel> models, INDArray input, String layer) {
        if (models == null || models.size() < 2) {
            throw new IllegalArgumentException("give at least two models to compare, got "
                    + (models == null ? "null" : models.size()));
        }
        List<String> names = new ArrayList<>(models.keySet());
        ImageModel first = models.get(names.get(0));
        INDArray x = input != null && input.rank() == 3 ? input.reshape(1, input.size(0), input.size(1), input.size(2)) : input;
        InputChecks.imageBatch(x, first.inputShape(), "input");
        if (x.size(0) != 1) {
            throw new IllegalArgumentException("compare one image at a time: got a batch of " + x.size(0) + " (expected 1)");
        }
        long[] shape = null;
        for (String name : names) {
            ImageModel model = models.get(name);
            if (!Arrays.equals(model.inputShape(), first.inputShape())) {
                throw new IllegalArgumentException("model '" + name + "' takes input " + Arrays.toString(model.inputShape())
                        + " but '" + names.get(0) + "' takes " + Arrays.toString(first.inputShape()));
            }
            Checks.oneOf(layer, model.layerNames(), "layer of model '" + name + "'");
            long[] s = model.layerShape(layer);
            if (s.length != 3) {
                throw new IllegalArgumentException("layer '" + layer + "' of model '" + name + "' is not spatial (shape "
                        + Arrays.toString(s) + "); expected [channels, height, width]");
            }
            if (shape != null && !Arrays.equals(shape, s)) {
                throw new IllegalArgumentException("layer '" + layer + "' has shape " + Arrays.toString(s) + " in model '"
                        + name + "' but " + Arrays.toString(shape) + " in '" + names.get(0) + "'; expected the same shape");
            }
            shape = s;
        }
        int m = names.size();
        int channels = (int) shape[0];
        long[] in = first.inputShape();
        double[][] spikes = new double[m][];
        INDArray maps = Nd4j.create(DataType.DOUBLE, m, channels, in[1], in[2]);
        for (int i = 0; i < m; i++) {
            INDArray a = models.get(names.get(i)).activations(x, layer).castTo(DataType.DOUBLE);   // [1, C, h, w]
            spikes[i] = a.sum(2, 3).reshape(channels).toDoubleVector();
            maps.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(
                    Heatmaps.upsample(a, in[1], in[2]).reshape(channels, in[1], in[2]));
        }
        double[][] pearson = new double[m][m];
        double[][] spearman = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                pearson[i][j] = Correlation.pearson(spikes[i], spikes[j]);
                spearman[i][j] = Correlation.spearman(spikes[i], spikes[j]);
            }
        }
        int[] referenceRank = ranks(spikes[0]);
        List<RankChange> changes = new ArrayList<>();
        for (int i = 1; i < m; i++) {
            int[] rank = ranks(spikes[i]);
            for (int c = 0; c < channels; c++) {
                changes.add(new RankChange(c, names.get(i), referenceRank[c], rank[c]));
            }
        }
        changes.sort(Comparator.comparingInt((RankChange r) -> -Math.abs(r.shift())));  // stable: model, then neuron
        return new LayerComparison(layer, names, spikes, pearson, spearman, changes, maps);
    }

    /** rank[c] = position of neuron c when sorted by decreasing spike (ties: lower index first). */
    private static int[] ranks(double[] spikes) {
        int[] rank = new int[spikes.length];
        int[] position = {0};
        LayerComparison.ranking(spikes).forEach(c -> rank[c] = position[0]++);
        return rank;
    }
}
