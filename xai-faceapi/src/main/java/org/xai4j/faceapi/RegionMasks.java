package org.xai4j.faceapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pixel masks of the {@link FaceRegion}s in a face network's input, from a face's landmarks.
 *
 * <p>Landmarks are in image pixels; the network sees the face's region padded to a centered square and resized to
 * {@code size} ({@link FaceInputs#crop}), so a point {@code (x, y)} maps to
 * {@code ((x - region.x + padLeft) * size / side, (y - region.y + padTop) * size / side)}. A network pixel belongs to a
 * region when its center lies in the convex hull of one of the region's parts, or within {@code margin} network pixels
 * of it. Regions may overlap (a wide margin joins brows and eyes); each is measured on its own.
 *
 * @param height the network input height
 * @param width  the network input width
 * @param masks  per region, row-major {@code height * width} flags
 */
public record RegionMasks(int height, int width, Map<FaceRegion, boolean[]> masks) {

    /** Checks and copies the masks. */
    public RegionMasks {
        Objects.requireNonNull(masks, "masks must not be null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + height + "x" + width);
        }
        Map<FaceRegion, boolean[]> copy = new EnumMap<>(FaceRegion.class);
        for (Map.Entry<FaceRegion, boolean[]> e : masks.entrySet()) {
            if (e.getValue().length != height * width) {
                throw new IllegalArgumentException("mask of " + e.getKey() + " has " + e.getValue().length
                        + " values, expected " + height + "*" + width);
            }
            copy.put(e.getKey(), e.getValue().clone());
        }
        masks = Collections.unmodifiableMap(copy);
    }

    /**
     * The masks of a detected face in a face network's input (the region that network sees of the face).
     *
     * @param face         the face
     * @param model        the network (not the detector)
     * @param marginPixels how far outside a hull a pixel center may lie, in network pixels (at least 0)
     * @return the masks of every {@link FaceRegion}
     */
    public static RegionMasks of(DetectedFace face, FaceApiModel model, double marginPixels) {
        Objects.requireNonNull(face, "face must not be null");
        Objects.requireNonNull(model, "model must not be null");
        return of(face.landmarks(), face.cropFor(model), model.inputSize(), marginPixels);
    }

    /**
     * The masks of a face in a square network input.
     *
     * @param landmarks    the face's landmarks, image pixels
     * @param region       the whole-pixel region of the image the network sees ({@link DetectedFace#cropFor})
     * @param size         the network's input side
     * @param marginPixels how far outside a hull a pixel center may lie, in network pixels (at least 0)
     * @return the masks of every {@link FaceRegion}
     */
    public static RegionMasks of(FaceLandmarks68 landmarks, FaceBox region, int size, double marginPixels) {
        Objects.requireNonNull(landmarks, "landmarks must not be null");
        Objects.requireNonNull(region, "region must not be null");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(marginPixels >= 0)) {
            throw new IllegalArgumentException("marginPixels must be at least 0, got " + marginPixels);
        }
        int w = (int) region.width();
        int h = (int) region.height();
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("region must not be empty, got " + region);
        }
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        int prepend = diff - (int) Math.round(diff * 0.5); // FaceInputs.crop's centered padding
        double padLeft = h > w ? prepend : 0;
        double padTop = w > h ? prepend : 0;
        double scale = (double) size / side;
        double[] xs = landmarks.xs();
        double[] ys = landmarks.ys();
        Map<FaceRegion, boolean[]> masks = new EnumMap<>(FaceRegion.class);
        for (FaceRegion r : FaceRegion.values()) {
            boolean[] mask = new boolean[size * size];
            for (int[] part : r.parts()) {
                double[][] pts = new double[part.length][];
                for (int i = 0; i < part.length; i++) {
                    pts[i] = new double[] {(xs[part[i]] - region.x() + padLeft) * scale,
                            (ys[part[i]] - region.y() + padTop) * scale};
                }
                List<double[]> hull = convexHull(pts);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        if (!mask[y * size + x] && distance(hull, x + 0.5, y + 0.5) <= marginPixels) {
                            mask[y * size + x] = true;
                        }
                    }
                }
            }
            masks.put(r, mask);
        }
        return new RegionMasks(size, size, masks);
    }

    /** The mask of a region (a copy). */
    public boolean[] mask(FaceRegion region) {
        boolean[] m = masks.get(region);
        if (m == null) {
            throw new IllegalArgumentException("no mask for " + region + "; have " + masks.keySet());
        }
        return m.clone();
    }

    /** The number of pixels in a region. */
    public int area(FaceRegion region) {
        int n = 0;
        for (boolean b : masks.get(region)) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** The masks as given (copied per region on access through {@link #mask}). */
    @Override public Map<FaceRegion, boolean[]> masks() {
        Map<FaceRegion, boolean[]> copy = new EnumMap<>(FaceRegion.class);
        masks.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof RegionMasks other) || height != other.height || width != other.width
                || !masks.keySet().equals(other.masks.keySet())) {
            return false;
        }
        return masks.keySet().stream().allMatch(k -> Arrays.equals(masks.get(k), other.masks.get(k)));
    }

    @Override public int hashCode() {
        return Objects.hash(height, width, masks.keySet());
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder("RegionMasks[" + height + "x" + width);
        for (FaceRegion r : masks.keySet()) {
            s.append(", ").append(r).append('=').append(area(r)).append("px");
        }
        return s.append(']').toString();
    }

    /** Andrew's monotone chain; counter-clockwise (in y-down coordinates: as the cross product says), no repeats. */
    static List<double[]> convexHull(double[][] points) {
        double[][] p = points.clone();
        Arrays.sort(p, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        List<double[]> hull = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            int start = hull.size();
            for (int i = 0; i < p.length; i++) {
                double[] q = pass == 0 ? p[i] : p[p.length - 1 - i];
                while (hull.size() >= start + 2 && cross(hull.get(hull.size() - 2), hull.get(hull.size() - 1), q) <= 0) {
                    hull.remove(hull.size() - 1);
                }
                hull.add(q);
            }
            hull.remove(hull.size() - 1);
        }
        return hull;
    }

    /** Distance from a point to a convex polygon (0 inside); a polygon of one or two points is a point or segment. */
    static double distance(List<double[]> hull, double x, double y) {
        int n = hull.size();
        if (n >= 3) {
            boolean inside = true;
            for (int i = 0; i < n; i++) {
                if (cross(hull.get(i), hull.get((i + 1) % n), new double[] {x, y}) < 0) {
                    inside = false;
                    break;
                }
            }
            if (inside) {
                return 0;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            best = Math.min(best, segmentDistance(hull.get(i), hull.get((i + 1) % n), x, y));
        }
        return best;
    }

    private static double segmentDistance(double[] a, double[] b, double x, double y) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }
}
