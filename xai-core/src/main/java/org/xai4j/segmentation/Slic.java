package org.xai4j.segmentation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SLIC superpixels: k-means in the joint (color, position) space, each center searching only a window around itself.
 *
 * <p>Achanta, Shaji, Smith, Lucchi, Fua and Süsstrunk, "SLIC Superpixels Compared to State-of-the-Art Superpixel
 * Methods", IEEE TPAMI 34(11), 2012.
 *
 * <p>This is a step-by-step port of {@code skimage.segmentation.slic} (scikit-image 0.19) for 2-D images with its
 * defaults ({@code sigma=0}, unit spacing, no mask, {@code slic_zero=False}, {@code min_size_factor=0.5},
 * {@code max_size_factor=3}), in double precision, so that it gives scikit-image's labels for a float64 image
 * ({@code SlicTest} compares them):
 * <ol>
 *   <li>the image is shifted and scaled to [0, 1] (over all channels), then converted from sRGB to CIELAB (D65, 2°
 *       observer) when it has three channels; other channel counts are clustered as they are;</li>
 *   <li>initial centers lie on scikit-image's {@code regular_grid} for the requested count, with color 0 (not the
 *       pixel's color: scikit-image's first assignment measures color from 0);</li>
 *   <li>each of {@link Builder#optIterations iterations} rounds assigns every pixel within {@code 2 * step} of a center
 *       to the center with the smallest {@code |d_xy|^2 / S^2 + |d_color / compactness|^2} (ties to the lower index),
 *       then moves each center to the mean of its pixels;</li>
 *   <li>connected components are relabeled in raster order by a breadth-first search; a component smaller than half
 *       the mean superpixel size joins the last labeled neighbor it touches; components are split at three times the
 *       mean size (scikit-image's search limit).</li>
 * </ol>
 * Labels start at 0. A pixel that no center reached (scikit-image leaves it as label 0, outside every segment) gets
 * a feature of its own. Deterministic: no random numbers are drawn.
 */
public final class Slic implements Segmentation {

    /** scikit-image's default compactness (balance of color and space; larger is more square). */
    public static final double DEFAULT_COMPACTNESS = 10.0;
    /** scikit-image's default number of k-means rounds. */
    public static final int DEFAULT_ITERATIONS = 10;

    // sRGB (D65) to XYZ, as skimage.color.colorconv.xyz_from_rgb.
    private static final double[][] XYZ_FROM_RGB = {
            {0.412453, 0.357580, 0.180423},
            {0.212671, 0.715160, 0.072169},
            {0.019334, 0.119193, 0.950227}};
    // The D65 white point for the 2-degree observer, as skimage.color.colorconv.illuminants["D65"]["2"].
    private static final double[] WHITE = {0.95047, 1.0, 1.08883};

    private final int segments;
    private final double compactness;
    private final int iterations;
    private final boolean enforceConnectivity;

    private Slic(Builder b) {
        this.segments = b.segments;
        this.compactness = b.compactness;
        this.iterations = b.iterations;
        this.enforceConnectivity = b.enforceConnectivity;
    }

    /** A builder; {@link Builder#setSegments(int)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override public FeatureMask segment(INDArray image) {
        Segmentation.checkImage(image);
        int channels = (int) image.size(0);
        int height = (int) image.size(1);
        int width = (int) image.size(2);
        double[] chw = image.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] pixels = channelsLast(chw, channels, height * width);
        normalize(pixels);
        if (channels == 3) {
            toLab(pixels);
        }
        double ratio = 1.0 / compactness;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = pixels[i] * ratio;
        }
        int[] centers = new int[1];
        int[] labels = cluster(pixels, channels, height, width, centers);
        int n = labels.length;
        if (enforceConnectivity) {
            double segmentSize = (double) height * width / centers[0];
            labels = connect(labels, height, width, (int) (0.5 * segmentSize), (int) (3 * segmentSize));
        }
        int max = 0;
        boolean unassigned = false;
        for (int p = 0; p < n; p++) {
            labels[p] -= 1; // scikit-image's labels start at 1, 0 meaning "no segment"
            max = Math.max(max, labels[p]);
            unassigned |= labels[p] < 0;
        }
        int count = max + 1;
        if (unassigned) {
            for (int p = 0; p < n; p++) {
                if (labels[p] < 0) {
                    labels[p] = count;
                }
            }
            count++;
        }
        return new FeatureMask(height, width, labels, count);
    }

    /** k-means; labels from 1 (0: no center reached the pixel); {@code centerCount[0]} receives the center count. */
    private int[] cluster(double[] image, int channels, int height, int width, int[] centerCount) {
        // Initial centers: _get_grid_centroids(image, n_segments) over the (depth 1, height, width) volume.
        int[][] grid = regularGrid(new int[] {1, height, width}, segments);
        List<double[]> initial = new ArrayList<>();
        for (int y = grid[1][0]; y < height; y += grid[1][1]) {
            for (int x = grid[2][0]; x < width; x += grid[2][1]) {
                double[] center = new double[3 + channels];
                center[1] = y;
                center[2] = x;
                initial.add(center);
            }
        }
        int k = initial.size();
        double[][] centers = initial.toArray(new double[0][]);
        // step = max(steps) of the grid, passed to the Cython helper as a C float.
        float step = Math.max(Math.max(grid[0][1], grid[1][1]), grid[2][1]);
        float stepSquared = step * step;
        double spatialWeight = 1.0 / stepSquared;
        // The helper recomputes its search windows from regular_grid with the actual number of centers.
        int[][] windowGrid = regularGrid(new int[] {1, height, width}, k);
        int stepY = windowGrid[1][1];
        int stepX = windowGrid[2][1];
        int[] nearest = new int[height * width];
        double[] distance = new double[height * width];
        int[] members = new int[k];
        for (int iteration = 0; iteration < iterations; iteration++) {
            boolean change = false;
            Arrays.fill(distance, Double.MAX_VALUE);
            for (int s = 0; s < k; s++) {
                double[] c = centers[s];
                double cy = c[1];
                double cx = c[2];
                if (Double.isNaN(cy) || Double.isNaN(cx)) {
                    continue; // a center that lost all its pixels: its distances are NaN and never win
                }
                int yMin = (int) Math.max(cy - 2 * stepY, 0);
                int yMax = (int) Math.min(cy + 2 * stepY + 1, height);
                int xMin = (int) Math.max(cx - 2 * stepX, 0);
                int xMax = (int) Math.min(cx + 2 * stepX + 1, width);
                double dz = c[0] * c[0]; // (cz - 0)^2 with unit spacing
                for (int y = yMin; y < yMax; y++) {
                    double dy = cy - y;
                    dy *= dy;
                    for (int x = xMin; x < xMax; x++) {
                        double dx = cx - x;
                        dx *= dx;
                        double d = (dz + dy + dx) * spatialWeight;
                        double color = 0;
                        int p = y * width + x;
                        for (int ch = 0; ch < channels; ch++) {
                            double t = image[p * channels + ch] - c[3 + ch];
                            color += t * t;
                        }
                        d += color;
                        if (distance[p] > d) {
                            nearest[p] = s + 1;
                            distance[p] = d;
                            change = true;
                        }
                    }
                }
            }
            if (!change) {
                break;
            }
            Arrays.fill(members, 0);
            for (double[] c : centers) {
                Arrays.fill(c, 0);
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    if (nearest[p] == 0) {
                        continue; // never reached by a center (scikit-image would index segment -1 here)
                    }
                    double[] c = centers[nearest[p] - 1];
                    members[nearest[p] - 1]++;
                    c[1] += y;
                    c[2] += x;
                    for (int ch = 0; ch < channels; ch++) {
                        c[3 + ch] += image[p * channels + ch];
                    }
                }
            }
            for (int s = 0; s < k; s++) {
                for (int f = 0; f < centers[s].length; f++) {
                    centers[s][f] /= members[s];
                }
            }
        }
        centerCount[0] = k;
        return nearest;
    }

    /**
     * scikit-image's {@code _enforce_label_connectivity_cython} for one slice: labels from 1, 0 for none.
     */
    private static int[] connect(int[] segments, int height, int width, int minSize, int maxSize) {
        int[] connected = new int[segments.length];
        int[] queue = new int[Math.max(maxSize, 1)];
        int[] ddx = {1, -1, 0, 0};
        int[] ddy = {0, 0, 1, -1};
        int currentNewLabel = 1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int start = y * width + x;
                if (segments[start] == 0 || connected[start] > 0) {
                    continue;
                }
                int adjacent = currentNewLabel;
                int label = segments[start];
                connected[start] = currentNewLabel;
                int size = 1;
                int visited = 0;
                queue[0] = start;
                while (visited < size && size < maxSize) {
                    int py = queue[visited] / width;
                    int px = queue[visited] % width;
                    for (int i = 0; i < 4; i++) {
                        int yy = py + ddy[i];
                        int xx = px + ddx[i];
                        if (xx < 0 || xx >= width || yy < 0 || yy >= height) {
                            continue;
                        }
                        int q = yy * width + xx;
                        if (segments[q] == label && connected[q] == 0) {
                            connected[q] = currentNewLabel;
                            queue[size++] = q;
                            if (size >= maxSize) {
                                break;
                            }
                        } else if (connected[q] > 0 && connected[q] != currentNewLabel) {
                            adjacent = connected[q];
                        }
                    }
                    visited++;
                }
                if (size < minSize) {
                    for (int i = 0; i < size; i++) {
                        connected[queue[i]] = adjacent;
                    }
                } else {
                    currentNewLabel++;
                }
            }
        }
        return connected;
    }

    /**
     * {@code skimage.util.regular_grid}: per dimension, {start, step} of the slices that place about {@code points}
     * points evenly in an array of this shape.
     */
    static int[][] regularGrid(int[] shape, int points) {
        int ndim = shape.length;
        Integer[] order = new Integer[ndim];
        for (int i = 0; i < ndim; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(shape[a], shape[b])); // stable, as numpy's sort of 3 values
        double[] sorted = new double[ndim];
        for (int i = 0; i < ndim; i++) {
            sorted[i] = shape[order[i]];
        }
        double spaceSize = 1;
        for (int s : shape) {
            spaceSize *= s;
        }
        int[][] result = new int[ndim][];
        if (spaceSize <= points) {
            for (int i = 0; i < ndim; i++) {
                result[i] = new int[] {0, 1};
            }
            return result;
        }
        double[] steps = new double[ndim];
        Arrays.fill(steps, Math.pow(spaceSize / points, 1.0 / ndim));
        if (anyBelow(sorted, steps)) {
            for (int dim = 0; dim < ndim; dim++) {
                steps[dim] = sorted[dim];
                double rest = 1;
                for (int j = dim + 1; j < ndim; j++) {
                    rest *= sorted[j];
                }
                for (int j = dim + 1; j < ndim; j++) {
                    steps[j] = Math.pow(rest / points, 1.0 / (ndim - dim - 1));
                }
                if (!anyBelow(sorted, steps)) {
                    break;
                }
            }
        }
        for (int i = 0; i < ndim; i++) {
            int start = (int) Math.floor(steps[i] / 2);
            int step = (int) Math.rint(steps[i]); // numpy rounds half to even, as rint
            result[order[i]] = new int[] {start, step};
        }
        return result;
    }

    private static boolean anyBelow(double[] dims, double[] steps) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < steps[i]) {
                return true;
            }
        }
        return false;
    }

    private static double[] channelsLast(double[] chw, int channels, int pixels) {
        double[] hwc = new double[chw.length];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < pixels; p++) {
                hwc[p * channels + c] = chw[c * pixels + p];
            }
        }
        return hwc;
    }

    private static void normalize(double[] image) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : image) {
            min = Math.min(min, v);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < image.length; i++) {
            image[i] -= min;
            max = Math.max(max, image[i]);
        }
        if (max != 0) {
            for (int i = 0; i < image.length; i++) {
                image[i] /= max;
            }
        }
    }

    /** skimage.color.rgb2lab (D65, 2°) in place on channels-last RGB. */
    private static void toLab(double[] rgb) {
        for (int p = 0; p < rgb.length; p += 3) {
            double[] linear = new double[3];
            for (int c = 0; c < 3; c++) {
                double v = rgb[p + c];
                linear[c] = v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
            }
            double[] f = new double[3];
            for (int i = 0; i < 3; i++) {
                double xyz = linear[0] * XYZ_FROM_RGB[i][0] + linear[1] * XYZ_FROM_RGB[i][1]
                        + linear[2] * XYZ_FROM_RGB[i][2];
                double scaled = xyz / WHITE[i];
                f[i] = scaled > 0.008856 ? Math.cbrt(scaled) : 7.787 * scaled + 16.0 / 116.0;
            }
            rgb[p] = 116.0 * f[1] - 16.0;
            rgb[p + 1] = 500.0 * (f[0] - f[1]);
            rgb[p + 2] = 200.0 * (f[1] - f[2]);
        }
    }

    @Override public String toString() {
        return "slic:" + segments + (compactness == DEFAULT_COMPACTNESS && iterations == DEFAULT_ITERATIONS
                && enforceConnectivity ? "" : "[compactness=" + compactness + ", iterations=" + iterations
                + ", enforceConnectivity=" + enforceConnectivity + "]");
    }

    /** Builder: required {@link #setSegments}; optional compactness, iterations and connectivity. */
    public static final class Builder {
        private int segments;
        private double compactness = DEFAULT_COMPACTNESS;
        private int iterations = DEFAULT_ITERATIONS;
        private boolean enforceConnectivity = true;

        private Builder() { }

        /**
         * The approximate number of superpixels (required; scikit-image's {@code n_segments}).
         *
         * @param segments at least 1
         * @return this builder
         */
        public Builder setSegments(int segments) {
            this.segments = segments;
            return this;
        }

        /**
         * Balance of color and space (default {@value Slic#DEFAULT_COMPACTNESS}): larger values give more square
         * superpixels.
         *
         * @param compactness a positive number
         * @return this builder
         */
        public Builder optCompactness(double compactness) {
            this.compactness = compactness;
            return this;
        }

        /**
         * The number of k-means rounds (default {@value Slic#DEFAULT_ITERATIONS}).
         *
         * @param iterations at least 1
         * @return this builder
         */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * Whether to relabel connected components and merge small ones (default true).
         *
         * @param enforce false to keep k-means' labels (a superpixel may then be disconnected)
         * @return this builder
         */
        public Builder optEnforceConnectivity(boolean enforce) {
            this.enforceConnectivity = enforce;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the segmentation
         * @throws IllegalArgumentException naming a bad value
         */
        public Slic build() {
            if (segments < 1) {
                throw new IllegalArgumentException("SLIC needs at least 1 segment, got " + segments
                        + " (call setSegments)");
            }
            if (!(compactness > 0) || !Double.isFinite(compactness)) {
                throw new IllegalArgumentException("SLIC compactness must be a finite positive number, got "
                        + compactness);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("SLIC needs at least 1 iteration, got " + iterations);
            }
            return new Slic(this);
        }
    }
}
