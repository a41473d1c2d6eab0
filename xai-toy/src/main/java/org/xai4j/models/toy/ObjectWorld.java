package org.xai4j.models.toy;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The "objects" toy world, the ImageNet/VGG16 stand-in: one {@link ObjectClass} object per image over
 * a cluttered background.
 *
 * <p>Sample {@code i} has class {@code ObjectClass.values()[i % 6]}, so any six consecutive samples
 * contain every class once. Everything else is drawn from a random stream derived from
 * {@code (seed, i)}: the object's position (center within the middle 40% of the image), scale (radius
 * 17&ndash;30% of the image side), rotation, color (random hue; luminance redrawn until it differs from the
 * background's by at least 0.25) and fill texture (solid, gradient or speckled; two-color stripes of contrasting
 * luminance for {@link ObjectClass#STRIPES}), an optional darker outline;
 * and the background's two-color gradient, 3&ndash;9 small distractor blobs (dots, squares, short
 * strokes, at most a third of the object's size, drawn behind the object) and pixel noise.
 *
 * <p>Each sample has a single mask, {@link #MASK_OBJECT}: the object's visible pixels (for a ring,
 * without its hole). Instances are immutable and thread-safe.
 */
public final class ObjectWorld implements ToyWorld {

    /** Name of the mask region holding the object's pixels. */
    public static final String MASK_OBJECT = "object";

    private static final long SALT = 0x0B1EC7L;
    private static final int DEFAULT_SIZE = 64;
    private static final List<String> REGIONS = List.of(MASK_OBJECT);
    private static final ObjectClass[] CLASSES = ObjectClass.values();

    private final long seed;
    private final int height;
    private final int width;

    /**
     * Creates a 64x64 object world.
     *
     * @param seed the seed all samples are derived from
     */
    public ObjectWorld(long seed) {
        this(seed, DEFAULT_SIZE, DEFAULT_SIZE);
    }

    /**
     * Creates an object world rendering square images.
     *
     * @param seed the seed all samples are derived from
     * @param size the image side in pixels, 16 to 4096
     * @throws IllegalArgumentException if {@code size} is out of range
     */
    public ObjectWorld(long seed, int size) {
        this(seed, size, size);
    }

    /**
     * Creates an object world rendering {@code height x width} images (the scene is laid out in the
     * largest centered square; the background fills the rest).
     *
     * @param seed   the seed all samples are derived from
     * @param height the image height in pixels, 16 to 4096
     * @param width  the image width in pixels, 16 to 4096
     * @throws IllegalArgumentException if a dimension is out of range
     */
    public ObjectWorld(long seed, int height, int width) {
        Toy.checkSize(height, width);
        this.seed = seed;
        this.height = height;
        this.width = width;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return CLASSES.length;
    }

    @Override
    public List<String> labelNames() {
        return ObjectClass.displayNames();
    }

    @Override
    public List<String> maskRegions() {
        return REGIONS;
    }

    /**
     * Returns the class of sample {@code index} without rendering it.
     *
     * @param index the sample index, {@code >= 0}
     * @return {@code ObjectClass.values()[index % 6]}
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public ObjectClass classOf(long index) {
        Toy.checkIndex(index, "index");
        return CLASSES[(int) (index % CLASSES.length)];
    }

    @Override
    public ToySample sample(long index) {
        ObjectClass cls = classOf(index);
        SplittableRandom r = Toy.rng(seed, SALT, index);
        Canvas c = new Canvas(height, width, REGIONS);

        // Background: two-color gradient in a random direction.
        float bgHue = (float) r.nextDouble();
        boolean lightBackground = r.nextBoolean();
        float bgBright = (float) (lightBackground ? Toy.uniform(r, 0.7, 0.95) : Toy.uniform(r, 0.1, 0.4));
        Color bg1 = Color.getHSBColor(bgHue, (float) Toy.uniform(r, 0.1, 0.6), bgBright);
        Color bg2 = Color.getHSBColor((float) (bgHue + Toy.uniform(r, -0.15, 0.15)), (float) Toy.uniform(r, 0.1, 0.6),
                clamp01(bgBright + Toy.uniform(r, -0.15, 0.15)));
        double ga = r.nextDouble() * 2 * Math.PI;
        c.fill(c.everything(), new GradientPaint((float) (0.5 - 0.5 * Math.cos(ga)), (float) (0.5 - 0.5 * Math.sin(ga)), bg1,
                (float) (0.5 + 0.5 * Math.cos(ga)), (float) (0.5 + 0.5 * Math.sin(ga)), bg2));

        // Object geometry (drawn after the clutter, but decided first so the clutter can be sized).
        double radius = Toy.uniform(r, 0.17, 0.30);
        double cx = Toy.uniform(r, 0.30, 0.70);
        double cy = Toy.uniform(r, 0.30, 0.70);
        double angle = r.nextDouble() * 2 * Math.PI;

        // Clutter: small distractor blobs behind the object.
        int blobs = 3 + r.nextInt(7);
        for (int k = 0; k < blobs; k++) {
            drawDistractor(c, r, radius, lightBackground);
        }

        // Object color: random hue, luminance clearly different from the background's (redrawn until so).
        double bgLuminance = (luminance(bg1) + luminance(bg2)) / 2;
        Color main;
        int attempts = 0;
        do {
            float hue = (float) r.nextDouble();
            float sat = (float) Toy.uniform(r, 0.45, 1.0);
            float bright = (float) (lightBackground ? Toy.uniform(r, 0.15, 0.5) : Toy.uniform(r, 0.65, 1.0));
            main = Color.getHSBColor(hue, sat, bright);
        } while (Math.abs(luminance(main) - bgLuminance) < 0.25 && ++attempts < 20);

        AffineTransform local = new AffineTransform();
        local.translate(cx, cy);
        local.rotate(angle);
        c.setLocalTransform(local);
        Shape shape = objectShape(cls, r, radius);
        Paint fill;
        if (cls == ObjectClass.STRIPES) {
            fill = main;
        } else {
            fill = surfacePaint(r, main, radius);
        }
        c.fill(shape, fill, MASK_OBJECT);
        if (cls == ObjectClass.STRIPES) {
            drawStripes(c, r, shape, radius, main);
        } else if (r.nextDouble() < 0.3) {
            drawSpeckles(c, r, shape, radius, main);
        }
        if (r.nextDouble() < 0.5) {
            c.draw(shape, main.darker().darker(), radius * Toy.uniform(r, 0.04, 0.09), MASK_OBJECT);
        }
        c.resetLocalTransform();

        // Lighting: a soft directional shade over the whole scene.
        double la = r.nextDouble() * 2 * Math.PI;
        c.overlay(c.everything(), new GradientPaint((float) (0.5 - 0.6 * Math.cos(la)), (float) (0.5 - 0.6 * Math.sin(la)),
                Color.WHITE, (float) (0.5 + 0.6 * Math.cos(la)), (float) (0.5 + 0.6 * Math.sin(la)), Color.BLACK),
                (float) Toy.uniform(r, 0.0, 0.2));

        double gain = Toy.uniform(r, 0.9, 1.1);
        double offset = Toy.uniform(r, -0.04, 0.04);
        double noise = Toy.uniform(r, 0.01, 0.05);
        float[] pixels = c.finishPixels(r, gain, offset, noise);
        Map<String, Mask> masks = c.finishMasks();
        return new ToySample(index, height, width, pixels, cls.ordinal(), cls.displayName(), -1, null, masks);
    }

    private static Shape objectShape(ObjectClass cls, SplittableRandom r, double radius) {
        switch (cls) {
            case DISK: {
                double aspect = Toy.uniform(r, 0.85, 1.15);
                double rx = radius * Math.sqrt(aspect);
                double ry = radius / Math.sqrt(aspect);
                return new Ellipse2D.Double(-rx, -ry, 2 * rx, 2 * ry);
            }
            case SQUARE: {
                double aspect = Toy.uniform(r, 0.85, 1.15);
                double half = radius * 0.85;
                double hx = half * Math.sqrt(aspect);
                double hy = half / Math.sqrt(aspect);
                double arc = half * Toy.uniform(r, 0.0, 0.25);
                return new RoundRectangle2D.Double(-hx, -hy, 2 * hx, 2 * hy, arc, arc);
            }
            case TRIANGLE: {
                Path2D.Double p = new Path2D.Double();
                for (int k = 0; k < 3; k++) {
                    double a = -Math.PI / 2 + k * 2 * Math.PI / 3 + Toy.uniform(r, -0.15, 0.15);
                    double rr = radius * 1.1 * Toy.uniform(r, 0.9, 1.05);
                    if (k == 0) {
                        p.moveTo(rr * Math.cos(a), rr * Math.sin(a));
                    } else {
                        p.lineTo(rr * Math.cos(a), rr * Math.sin(a));
                    }
                }
                p.closePath();
                return p;
            }
            case STRIPES: {
                double half = radius * 0.9;
                if (r.nextBoolean()) {
                    return new Ellipse2D.Double(-radius, -radius, 2 * radius, 2 * radius);
                }
                return new RoundRectangle2D.Double(-half, -half, 2 * half, 2 * half, half * 0.3, half * 0.3);
            }
            case RING: {
                double inner = radius * Toy.uniform(r, 0.45, 0.62);
                Area a = new Area(new Ellipse2D.Double(-radius, -radius, 2 * radius, 2 * radius));
                a.subtract(new Area(new Ellipse2D.Double(-inner, -inner, 2 * inner, 2 * inner)));
                return a;
            }
            case STAR: {
                double outer = radius * 1.1;
                double inner = outer * Toy.uniform(r, 0.38, 0.5);
                Path2D.Double p = new Path2D.Double();
                for (int k = 0; k < 10; k++) {
                    double a = -Math.PI / 2 + k * Math.PI / 5;
                    double rr = (k % 2 == 0) ? outer : inner;
                    if (k == 0) {
                        p.moveTo(rr * Math.cos(a), rr * Math.sin(a));
                    } else {
                        p.lineTo(rr * Math.cos(a), rr * Math.sin(a));
                    }
                }
                p.closePath();
                return p;
            }
            default:
                throw new AssertionError(cls);
        }
    }

    /** Solid color or a linear two-shade gradient across the object. */
    private static Paint surfacePaint(SplittableRandom r, Color main, double radius) {
        if (r.nextDouble() < 0.55) {
            return main;
        }
        Color other = r.nextBoolean() ? shade(main, 0.6) : tint(main, 0.45);
        return new GradientPaint((float) -radius, 0f, main, (float) radius, 0f, other);
    }

    private static void drawStripes(Canvas c, SplittableRandom r, Shape shape, double radius, Color main) {
        float[] hsb = Color.RGBtoHSB(main.getRed(), main.getGreen(), main.getBlue(), null);
        float hue = hsb[0];
        float bright = hsb[2];
        Color stripe;
        int attempts = 0;
        do {
            float stripeHue = (float) (hue + Toy.uniform(r, 0.25, 0.75));
            float stripeBright = bright > 0.6f ? (float) Toy.uniform(r, 0.05, 0.35) : (float) Toy.uniform(r, 0.75, 1.0);
            stripe = Color.getHSBColor(stripeHue, (float) Toy.uniform(r, 0.0, 0.9), stripeBright);
        } while (Math.abs(luminance(stripe) - luminance(main)) < 0.3 && ++attempts < 20);
        double period = radius * Toy.uniform(r, 0.38, 0.55);
        double width = period * Toy.uniform(r, 0.4, 0.6);
        c.clip(shape);
        for (double x = -2 * radius; x <= 2 * radius; x += period) {
            c.fill(new Rectangle2D.Double(x, -2 * radius, width, 4 * radius), stripe);
        }
        c.clip(null);
    }

    private static void drawSpeckles(Canvas c, SplittableRandom r, Shape shape, double radius, Color main) {
        Color dot = r.nextBoolean() ? shade(main, 0.55) : tint(main, 0.5);
        c.clip(shape);
        int n = 12 + r.nextInt(12);
        double d = radius * 0.14;
        for (int k = 0; k < n; k++) {
            double x = Toy.uniform(r, -radius, radius);
            double y = Toy.uniform(r, -radius, radius);
            c.fill(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d), dot);
        }
        c.clip(null);
    }

    private static void drawDistractor(Canvas c, SplittableRandom r, double objectRadius, boolean lightBackground) {
        double x = r.nextDouble();
        double y = r.nextDouble();
        double s = Toy.uniform(r, 0.025, Math.min(0.08, objectRadius / 3));
        float bright = (float) (r.nextDouble() < 0.7
                ? (lightBackground ? Toy.uniform(r, 0.45, 0.8) : Toy.uniform(r, 0.25, 0.6))
                : Toy.uniform(r, 0.1, 1.0));
        Color col = Color.getHSBColor((float) r.nextDouble(), (float) Toy.uniform(r, 0.2, 0.9), bright);
        switch (r.nextInt(3)) {
            case 0 -> c.fill(new Ellipse2D.Double(x - s, y - s, 2 * s, 2 * s * Toy.uniform(r, 0.6, 1.0)), col);
            case 1 -> c.fill(AffineTransform.getRotateInstance(r.nextDouble() * Math.PI, x, y)
                    .createTransformedShape(new Rectangle2D.Double(x - s, y - s * 0.7, 2 * s, 1.4 * s)), col);
            default -> {
                double a = r.nextDouble() * Math.PI;
                Point2D.Double d = new Point2D.Double(1.5 * s * Math.cos(a), 1.5 * s * Math.sin(a));
                c.draw(new Line2D.Double(x - d.x, y - d.y, x + d.x, y + d.y), col, s * 0.5);
            }
        }
    }

    private static Color shade(Color c, double f) {
        return new Color((int) (c.getRed() * f), (int) (c.getGreen() * f), (int) (c.getBlue() * f));
    }

    private static Color tint(Color c, double f) {
        return new Color((int) (c.getRed() + (255 - c.getRed()) * f), (int) (c.getGreen() + (255 - c.getGreen()) * f),
                (int) (c.getBlue() + (255 - c.getBlue()) * f));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    private static float clamp01(double v) {
        return (float) Math.max(0.0, Math.min(1.0, v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectWorld w && w.seed == seed && w.height == height && w.width == width;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 * 31 + height * 31 + width;
    }

    @Override
    public String toString() {
        return "ObjectWorld[seed=" + seed + ", " + height + "x" + width + "]";
    }
}
