package org.xai4j.models.toy;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The "faces" toy world, the stand-in for the VGGFace (identity) and VGGEmotion (expression) datasets:
 * cartoon head-and-shoulders portraits of {@link #IDENTITY_COUNT} identities, each showing one of the
 * seven {@link Emotion}s.
 *
 * <p><b>Identity</b> is a fixed combination of head shape (width, height, squareness, chin taper),
 * skin tone, hair style and color, eye spacing, eye size and iris color, nose shape and size,
 * eyebrow thickness, mouth width and ear size; per sample only a small jitter is added (head size
 * &plusmn;2%, colors), together with pose jitter (position, scale &plusmn;8%, rotation &plusmn;8&deg;) and
 * lighting jitter (gain, offset, directional shading, noise), so identity is recognizable independently
 * of expression. <b>Expression</b> is drawn only through the mouth, eyebrows and eyes (plus nose
 * wrinkles for disgust); see {@link Emotion} for the shapes. Background color and clothing are random
 * and carry no label information.
 *
 * <p>Sample {@code i} shows identity {@code i % 8} with emotion {@code Emotion.values()[i % 7]}; as 7
 * and 8 are coprime, every 56 consecutive samples contain each (identity, emotion) pair exactly once,
 * any 7 consecutive samples cover all emotions and any 8 all identities. The {@link FaceTask} only
 * selects which of the two is reported as {@link ToySample#label()}; pixels and masks are identical
 * for both tasks.
 *
 * <p>Masks: {@link #MASK_FACE} (visible skin of head and ears, i.e. without hair; it contains the other
 * three), {@link #MASK_EYES}, {@link #MASK_EYEBROWS} and {@link #MASK_MOUTH}. Instances are immutable
 * and thread-safe.
 */
public final class FaceWorld implements ToyWorld {

    /** Name of the mask region covering the visible skin of head and ears (features included, hair not). */
    public static final String MASK_FACE = "face";
    /** Name of the mask region covering both eyes (whites, irises, lids; the closed-eye arcs). */
    public static final String MASK_EYES = "eyes";
    /** Name of the mask region covering both eyebrows. */
    public static final String MASK_EYEBROWS = "eyebrows";
    /** Name of the mask region covering the mouth (lips, opening, teeth, tongue). */
    public static final String MASK_MOUTH = "mouth";
    /** Number of identities. */
    public static final int IDENTITY_COUNT = 8;

    private static final long SALT = 0xFACE5L;
    private static final int DEFAULT_SIZE = 64;
    private static final List<String> REGIONS = List.of(MASK_FACE, MASK_EYES, MASK_EYEBROWS, MASK_MOUTH);
    private static final Emotion[] EMOTIONS = Emotion.values();

    // Face-local layout (units of the image side; origin = face center, y down).
    private static final double EYE_Y = -0.03;
    private static final double NOSE_Y = 0.075;
    private static final double MOUTH_Y = 0.185;
    /** Hair drawn over the forehead never reaches below this line, so it cannot hide the eyebrows. */
    private static final double HAIRLINE = -0.235;

    private static final Color LIP = new Color(125, 40, 45);
    /** Lip color used on dark skin, where {@link #LIP} would not contrast. */
    private static final Color LIP_LIGHT = new Color(218, 128, 132);
    private static final Color MOUTH_INSIDE = new Color(70, 15, 25);
    private static final Color TEETH = new Color(250, 250, 242);
    private static final Color TONGUE = new Color(225, 95, 110);
    private static final Color EYE_LINE = new Color(45, 30, 25);
    private static final Color SCLERA = new Color(250, 250, 250);

    private enum Hair { SHORT, LONG, BANGS, CURLY, SPIKY, BUN, BALD, SIDE_PART }

    private enum Nose { BUTTON, TRIANGLE, LONG }

    private enum MouthShape { TEETH, SNEER, WAVY, SMILE, FROWN, O, FLAT }

    /** The fixed attributes of one identity. */
    private record Identity(String name, double halfWidth, double halfHeight, double squareness, double chinTaper,
                            Color skin, Hair hair, Color hairColor, double eyeSpacing, double eyeScale, Color iris,
                            Nose nose, double noseSize, double browThickness, double mouthHalfWidth, double earSize) {
    }

    private static final Identity[] IDENTITIES = {
        new Identity("Ada", 0.25, 0.34, 2.0, 0.12, new Color(250, 215, 185), Hair.LONG, new Color(120, 72, 35),
                0.115, 1.05, new Color(60, 110, 200), Nose.BUTTON, 0.9, 0.022, 0.075, 1.0),
        new Identity("Bruno", 0.29, 0.33, 3.6, 0.05, new Color(212, 160, 115), Hair.SHORT, new Color(30, 25, 20),
                0.135, 0.9, new Color(95, 58, 30), Nose.LONG, 1.25, 0.032, 0.085, 1.1),
        new Identity("Chen", 0.29, 0.31, 2.0, 0.0, new Color(240, 205, 160), Hair.BANGS, new Color(18, 18, 30),
                0.125, 0.85, new Color(45, 32, 25), Nose.BUTTON, 0.8, 0.026, 0.07, 0.9),
        new Identity("Dara", 0.23, 0.36, 2.3, 0.15, new Color(125, 85, 60), Hair.CURLY, new Color(42, 28, 20),
                0.10, 1.1, new Color(75, 45, 25), Nose.TRIANGLE, 1.1, 0.028, 0.072, 0.9),
        new Identity("Emil", 0.27, 0.34, 2.0, 0.35, new Color(255, 228, 212), Hair.SPIKY, new Color(238, 202, 90),
                0.13, 1.0, new Color(70, 145, 90), Nose.TRIANGLE, 1.0, 0.02, 0.08, 1.2),
        new Identity("Fatou", 0.27, 0.32, 2.5, 0.1, new Color(102, 67, 48), Hair.BUN, new Color(52, 32, 26),
                0.12, 1.1, new Color(45, 30, 20), Nose.BUTTON, 1.2, 0.03, 0.085, 0.9),
        new Identity("Gus", 0.30, 0.32, 2.8, 0.0, new Color(196, 152, 106), Hair.BALD, new Color(172, 172, 172),
                0.145, 0.9, new Color(90, 110, 140), Nose.LONG, 1.35, 0.034, 0.09, 1.25),
        new Identity("Hana", 0.24, 0.33, 2.0, 0.2, new Color(236, 190, 160), Hair.SIDE_PART, new Color(192, 76, 36),
                0.11, 1.05, new Color(60, 130, 70), Nose.TRIANGLE, 0.85, 0.022, 0.07, 0.95),
    };

    private static final List<String> IDENTITY_NAMES =
            Arrays.stream(IDENTITIES).map(Identity::name).toList();

    private final long seed;
    private final int height;
    private final int width;
    private final FaceTask task;

    /**
     * Creates a 64x64 face world.
     *
     * @param seed the seed all samples are derived from
     * @param task which attribute is reported as label
     * @throws NullPointerException if {@code task} is null
     */
    public FaceWorld(long seed, FaceTask task) {
        this(seed, DEFAULT_SIZE, DEFAULT_SIZE, task);
    }

    /**
     * Creates a face world rendering square images.
     *
     * @param seed the seed all samples are derived from
     * @param size the image side in pixels, 16 to 4096
     * @param task which attribute is reported as label
     * @throws IllegalArgumentException if {@code size} is out of range
     * @throws NullPointerException     if {@code task} is null
     */
    public FaceWorld(long seed, int size, FaceTask task) {
        this(seed, size, size, task);
    }

    /**
     * Creates a face world rendering {@code height x width} images (the portrait is laid out in the
     * largest centered square; the background fills the rest).
     *
     * @param seed   the seed all samples are derived from
     * @param height the image height in pixels, 16 to 4096
     * @param width  the image width in pixels, 16 to 4096
     * @param task   which attribute is reported as label
     * @throws IllegalArgumentException if a dimension is out of range
     * @throws NullPointerException     if {@code task} is null
     */
    public FaceWorld(long seed, int height, int width, FaceTask task) {
        Toy.checkSize(height, width);
        this.task = Objects.requireNonNull(task, "task must not be null (expected IDENTITY or EMOTION)");
        this.seed = seed;
        this.height = height;
        this.width = width;
    }

    /**
     * Returns the labelling task.
     *
     * @return the task
     */
    public FaceTask task() {
        return task;
    }

    /**
     * Returns the identity names in identity-index order.
     *
     * @return an immutable list of {@link #IDENTITY_COUNT} names
     */
    public static List<String> identityNames() {
        return IDENTITY_NAMES;
    }

    /**
     * Returns the identity of sample {@code index} without rendering it.
     *
     * @param index the sample index, {@code >= 0}
     * @return {@code index % 8}
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public static int identityOf(long index) {
        Toy.checkIndex(index, "index");
        return (int) (index % IDENTITY_COUNT);
    }

    /**
     * Returns the emotion of sample {@code index} without rendering it.
     *
     * @param index the sample index, {@code >= 0}
     * @return {@code Emotion.values()[index % 7]}
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public static Emotion emotionOf(long index) {
        Toy.checkIndex(index, "index");
        return EMOTIONS[(int) (index % EMOTIONS.length)];
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
        return task == FaceTask.IDENTITY ? IDENTITY_COUNT : EMOTIONS.length;
    }

    @Override
    public List<String> labelNames() {
        return task == FaceTask.IDENTITY ? IDENTITY_NAMES : Emotion.displayNames();
    }

    @Override
    public List<String> maskRegions() {
        return REGIONS;
    }

    @Override
    public ToySample sample(long index) {
        int id = identityOf(index);
        Emotion emotion = emotionOf(index);
        Identity who = IDENTITIES[id];
        SplittableRandom r = Toy.rng(seed, SALT, index);
        Canvas c = new Canvas(height, width, REGIONS);

        drawBackground(c, r);

        // Pose and identity jitter.
        double cx = 0.5 + Toy.gauss(r, 0.025, 2);
        double cy = 0.53 + Toy.gauss(r, 0.02, 2);
        double scale = 1.0 + Toy.gauss(r, 0.04, 2);
        double rotation = Math.toRadians(Toy.gauss(r, 4, 2));
        double hw = who.halfWidth() * (1 + Toy.gauss(r, 0.02, 2));
        double hh = who.halfHeight() * (1 + Toy.gauss(r, 0.02, 2));
        Color skin = jitter(r, who.skin(), 8);
        Color hairColor = jitter(r, who.hairColor(), 10);
        Color shirt = Color.getHSBColor((float) r.nextDouble(), (float) Toy.uniform(r, 0.3, 0.8),
                (float) Toy.uniform(r, 0.3, 0.9));

        AffineTransform local = new AffineTransform();
        local.translate(cx, cy);
        local.rotate(rotation);
        local.scale(scale, scale);
        c.setLocalTransform(local);

        Shape head = headShape(hw, hh, who.squareness(), who.chinTaper());

        // Body: shoulders and neck.
        c.fill(new Ellipse2D.Double(-0.45, hh + 0.08, 0.9, 0.5), shirt);
        c.fill(new Rectangle2D.Double(-hw * 0.42, hh * 0.4, hw * 0.84, hh * 0.75), shade(skin, 0.85));

        // Hair behind the head, ears, head, hair in front (which hides skin from the face mask).
        Shape[] hair = hairShapes(who.hair(), head, hw, hh, who.eyeSpacing());
        if (hair[0] != null) {
            c.fill(hair[0], hairColor);
        }
        double earW = 0.045 * who.earSize();
        double earH = 0.07 * who.earSize();
        for (int side = -1; side <= 1; side += 2) {
            Shape ear = new Ellipse2D.Double(side * hw * 0.97 - earW, EYE_Y + 0.035 - earH, 2 * earW, 2 * earH);
            c.fill(ear, skin, MASK_FACE);
            c.draw(new Ellipse2D.Double(side * hw * 0.97 - earW * 0.5, EYE_Y + 0.035 - earH * 0.5, earW, earH),
                    shade(skin, 0.8), 0.008);
        }
        c.fill(head, skin, MASK_FACE);
        c.draw(head, shade(skin, 0.75), 0.008, MASK_FACE);
        if (hair[1] != null) {
            c.fill(hair[1], hairColor);
            c.erase(hair[1], MASK_FACE);
        }
        if (who.hair() == Hair.BALD) {
            c.overlay(new Ellipse2D.Double(-hw * 0.35, -hh * 0.97, hw * 0.5, hh * 0.18), Color.WHITE, 0.35f);
        }

        // Expression-independent nose (with wrinkles for disgust).
        drawNose(c, who, skin);
        double mirror = r.nextBoolean() ? 1 : -1; // which side an asymmetric expression favors
        if (emotion == Emotion.DISGUST) {
            Color wrinkle = shade(skin, 0.65);
            for (int k = 0; k < 2; k++) {
                double y = EYE_Y + 0.015 + k * 0.022;
                c.draw(new QuadCurve2D.Double(-0.025, y, 0, y - 0.012, 0.025, y), wrinkle, 0.009);
            }
        }

        drawEyes(c, r, who, emotion, mirror);
        drawBrows(c, r, who, emotion, hairColor, mirror);
        drawMouth(c, r, who, emotion, mirror, luminance(who.skin()) < 0.45 ? LIP_LIGHT : LIP);
        c.resetLocalTransform();

        // Lighting: directional shading over the whole image.
        double la = r.nextDouble() * 2 * Math.PI;
        c.overlay(c.everything(), new GradientPaint((float) (0.5 - 0.6 * Math.cos(la)), (float) (0.5 - 0.6 * Math.sin(la)),
                Color.WHITE, (float) (0.5 + 0.6 * Math.cos(la)), (float) (0.5 + 0.6 * Math.sin(la)), Color.BLACK),
                (float) Toy.uniform(r, 0.0, 0.25));
        double gain = Toy.uniform(r, 0.85, 1.12);
        double offset = Toy.uniform(r, -0.04, 0.04);
        double noise = Toy.uniform(r, 0.01, 0.035);
        float[] pixels = c.finishPixels(r, gain, offset, noise);
        Map<String, Mask> masks = c.finishMasks();

        int label = task == FaceTask.IDENTITY ? id : emotion.ordinal();
        String labelName = task == FaceTask.IDENTITY ? who.name() : emotion.displayName();
        return new ToySample(index, height, width, pixels, label, labelName, id, emotion, masks);
    }

    // ---------------------------------------------------------------- scene parts

    private static void drawBackground(Canvas c, SplittableRandom r) {
        float hue = (float) r.nextDouble();
        float bright = (float) Toy.uniform(r, 0.3, 0.92);
        Color a = Color.getHSBColor(hue, (float) Toy.uniform(r, 0.05, 0.45), bright);
        Color b = Color.getHSBColor((float) (hue + Toy.uniform(r, -0.1, 0.1)), (float) Toy.uniform(r, 0.05, 0.45),
                (float) Math.max(0, Math.min(1, bright + Toy.uniform(r, -0.2, 0.2))));
        double ga = r.nextDouble() * 2 * Math.PI;
        c.fill(c.everything(), new GradientPaint((float) (0.5 - 0.5 * Math.cos(ga)), (float) (0.5 - 0.5 * Math.sin(ga)), a,
                (float) (0.5 + 0.5 * Math.cos(ga)), (float) (0.5 + 0.5 * Math.sin(ga)), b));
        int blobs = r.nextInt(4);
        for (int k = 0; k < blobs; k++) {
            double s = Toy.uniform(r, 0.05, 0.2);
            double x = r.nextDouble();
            double y = r.nextDouble();
            Color col = Color.getHSBColor((float) r.nextDouble(), (float) Toy.uniform(r, 0.1, 0.5),
                    (float) Toy.uniform(r, 0.3, 0.95));
            c.overlay(new Ellipse2D.Double(x - s, y - s, 2 * s, 2 * s), col, (float) Toy.uniform(r, 0.15, 0.4));
        }
    }

    /** A superellipse head whose lower half narrows towards the chin. */
    private static Shape headShape(double hw, double hh, double n, double taper) {
        Path2D.Double p = new Path2D.Double();
        int steps = 96;
        for (int k = 0; k < steps; k++) {
            double t = 2 * Math.PI * k / steps;
            double ct = Math.cos(t);
            double st = Math.sin(t);
            double x = hw * Math.signum(ct) * Math.pow(Math.abs(ct), 2 / n);
            double y = hh * Math.signum(st) * Math.pow(Math.abs(st), 2 / n);
            if (y > 0) {
                x *= 1 - taper * (y / hh) * (y / hh);
            }
            if (k == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    /** Returns {behind, inFront} hair shapes (either may be null). */
    private static Shape[] hairShapes(Hair style, Shape head, double hw, double hh, double eyeSpacing) {
        Area back = null;
        Area front;
        switch (style) {
            case SHORT -> front = cap(head, -0.265, 1.1);
            case LONG -> {
                back = new Area(new RoundRectangle2D.Double(-hw * 1.28, -hh * 1.1, hw * 2.56, hh * 2.05, 0.25, 0.25));
                front = cap(head, -0.25, 1.1);
                for (int side = -1; side <= 1; side += 2) {
                    front.add(new Area(new Ellipse2D.Double(side * hw * 1.1 - hw * 0.2, -0.27, hw * 0.4, 0.34)));
                }
            }
            case BANGS -> {
                front = cap(head, -0.255, 1.1);
                for (double x = -hw * 0.85; x <= hw * 0.85 + 1e-9; x += hw * 0.17) {
                    front.add(new Area(new Ellipse2D.Double(x - 0.026, -0.275, 0.052, 0.04)));
                }
                back = new Area(new Ellipse2D.Double(-hw * 1.15, -hh * 1.1, hw * 2.3, hh * 1.5));
            }
            case CURLY -> {
                front = cap(head, -0.26, 1.08);
                back = new Area();
                double rc = 0.05;
                for (int k = 0; k <= 12; k++) {
                    double t = Math.PI + Math.PI * k / 12.0;
                    double x = hw * 1.08 * Math.cos(t);
                    double y = -0.02 + hh * 1.08 * Math.sin(t);
                    Area curl = new Area(new Ellipse2D.Double(x - rc, y - rc, 2 * rc, 2 * rc));
                    if (y < -0.26) {
                        front.add(curl);
                    } else {
                        back.add(curl);
                    }
                }
                for (int side = -1; side <= 1; side += 2) {
                    for (int k = 0; k < 3; k++) {
                        double y = 0.0 + k * 0.07;
                        back.add(new Area(new Ellipse2D.Double(side * hw * 1.12 - rc, y - rc, 2 * rc, 2 * rc)));
                    }
                }
            }
            case SPIKY -> {
                front = cap(head, -0.27, 1.08);
                for (int k = 0; k < 7; k++) {
                    double t = Math.toRadians(-160 + k * 140.0 / 6);
                    double dt = Math.toRadians(11);
                    Path2D.Double spike = new Path2D.Double();
                    spike.moveTo(hw * 0.95 * Math.cos(t - dt), hh * 0.95 * Math.sin(t - dt));
                    spike.lineTo(hw * 1.32 * Math.cos(t), hh * 1.32 * Math.sin(t));
                    spike.lineTo(hw * 0.95 * Math.cos(t + dt), hh * 0.95 * Math.sin(t + dt));
                    spike.closePath();
                    front.add(new Area(spike));
                }
                front.intersect(new Area(new Rectangle2D.Double(-2, -2, 4, 2 + HAIRLINE)));
            }
            case BUN -> {
                front = cap(head, -0.27, 1.06);
                front.add(new Area(new Ellipse2D.Double(-0.08, -hh - 0.15, 0.16, 0.14)));
            }
            case BALD -> {
                front = new Area();
                for (int side = -1; side <= 1; side += 2) {
                    front.add(new Area(new Ellipse2D.Double(side * hw * 0.98 - 0.04, -0.17, 0.08, 0.17)));
                }
            }
            case SIDE_PART -> {
                front = cap(head, -0.255, 1.1);
                Area swoop = new Area(new Ellipse2D.Double(-hw * 1.15, -hh * 1.05, hw * 1.5, 0.2));
                swoop.intersect(new Area(new Rectangle2D.Double(-2, -2, 4, 2 + HAIRLINE)));
                front.add(swoop);
                front.add(new Area(new Ellipse2D.Double(-hw * 1.1 - hw * 0.2, -0.28, hw * 0.4, 0.42)));
                back = new Area(new Ellipse2D.Double(-hw * 1.2, -hh * 1.12, hw * 2.4, hh * 1.4));
            }
            default -> throw new AssertionError(style);
        }
        // Keep the eye/brow/mouth zone free of hair so that the feature masks stay inside the face.
        double safe = eyeSpacing + 0.09;
        front.subtract(new Area(new Rectangle2D.Double(-safe, HAIRLINE, 2 * safe, 1)));
        return new Shape[] {back, front};
    }

    /** The head outline enlarged by {@code grow} and lifted a little, above the line {@code y = cut}. */
    private static Area cap(Shape head, double cut, double grow) {
        AffineTransform t = new AffineTransform();
        t.translate(0, -0.025);
        t.scale(grow, grow);
        Area a = new Area(t.createTransformedShape(head));
        a.intersect(new Area(new Rectangle2D.Double(-2, -2, 4, 2 + Math.min(cut, HAIRLINE))));
        return a;
    }

    private static void drawNose(Canvas c, Identity who, Color skin) {
        double s = who.noseSize();
        Color line = shade(skin, 0.62);
        switch (who.nose()) {
            case BUTTON -> {
                c.fill(new Ellipse2D.Double(-0.025 * s, NOSE_Y - 0.018 * s, 0.05 * s, 0.036 * s), shade(skin, 0.88));
                for (int side = -1; side <= 1; side += 2) {
                    c.fill(new Ellipse2D.Double(side * 0.013 * s - 0.006, NOSE_Y + 0.004 * s, 0.012, 0.009), line);
                }
            }
            case TRIANGLE -> {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(0.004, NOSE_Y - 0.06 * s);
                p.lineTo(-0.022 * s, NOSE_Y + 0.012 * s);
                p.lineTo(0.016 * s, NOSE_Y + 0.016 * s);
                c.draw(p, line, 0.012);
            }
            case LONG -> {
                c.draw(new QuadCurve2D.Double(-0.008, NOSE_Y - 0.07 * s, 0.012 * s, NOSE_Y - 0.02, 0.004, NOSE_Y + 0.005),
                        line, 0.011);
                c.draw(new QuadCurve2D.Double(-0.03 * s, NOSE_Y + 0.006, 0, NOSE_Y + 0.035 * s, 0.03 * s, NOSE_Y + 0.006),
                        line, 0.013);
            }
            default -> throw new AssertionError(who.nose());
        }
    }

    // ---------------------------------------------------------------- expression parts

    /** {@code base} perturbed by relative noise {@code rel} and absolute noise {@code abs}. */
    private static double jit(SplittableRandom r, double base, double rel, double abs) {
        return base * (1 + Toy.gauss(r, rel, 2)) + Toy.gauss(r, abs, 2);
    }

    private static void drawEyes(Canvas c, SplittableRandom r, Identity who, Emotion e, double mirror) {
        // open: visible fraction of the eye height; drop: lid slant (>0 lower at the inner corner);
        // wide: size factor; iris: iris size factor.
        double open;
        double drop;
        double wide;
        double iris;
        double asym = 0; // extra closing of the mirror side (disgust)
        switch (e) {
            case ANGRY -> { open = 0.55; drop = 0.45; wide = 1.0; iris = 1.0; }
            case DISGUST -> { open = 0.5; drop = 0.15; wide = 0.95; iris = 1.0; asym = 0.2; }
            case FEAR -> { open = 1.0; drop = -0.05; wide = 1.22; iris = 0.55; }
            case SAD -> { open = 0.5; drop = -0.45; wide = 1.0; iris = 1.0; }
            case SURPRISE -> { open = 1.0; drop = 0; wide = 1.28; iris = 0.78; }
            case NEUTRAL, HAPPY -> { open = 0.82; drop = 0; wide = 1.0; iris = 1.0; }
            default -> throw new AssertionError(e);
        }
        open = Math.min(1.0, jit(r, open, 0.08, 0));
        drop = jit(r, drop, 0.15, 0.04);
        wide = jit(r, wide, 0.04, 0);
        double lookX = Toy.gauss(r, 0.25, 2);
        double ew = 0.052 * who.eyeScale() * wide;
        double eh = 0.038 * who.eyeScale() * wide;
        for (int side = -1; side <= 1; side += 2) {
            double ex = side * who.eyeSpacing();
            if (e == Emotion.HAPPY) {
                QuadCurve2D arc = new QuadCurve2D.Double(ex - ew, EYE_Y + 0.4 * eh, ex, EYE_Y - 1.7 * eh,
                        ex + ew, EYE_Y + 0.4 * eh);
                c.draw(arc, contrasting(EYE_LINE, who.skin()), 0.021 * who.eyeScale(), MASK_EYES);
                continue;
            }
            double o = Math.max(0.2, open - (side == mirror ? asym : 0));
            Shape eye = visibleEye(ex, ew, eh, o, drop, side);
            c.fill(eye, SCLERA, MASK_EYES);
            double ir = Math.min(ew, eh) * 0.85 * iris;
            double ix = ex + lookX * (ew - ir) * 0.6;
            double iy = EYE_Y + 0.12 * eh;
            c.clip(eye);
            c.fill(new Ellipse2D.Double(ix - ir, iy - ir, 2 * ir, 2 * ir), who.iris());
            c.fill(new Ellipse2D.Double(ix - ir * 0.5, iy - ir * 0.5, ir, ir), Color.BLACK);
            c.fill(new Ellipse2D.Double(ix - ir * 0.45, iy - ir * 0.55, ir * 0.4, ir * 0.4), Color.WHITE);
            c.clip(null);
            c.draw(eye, EYE_LINE, 0.011, MASK_EYES);
            if (o < 0.99 || Math.abs(drop) > 0.01) {
                // Heavier upper lid along the cut line.
                double yc = EYE_Y - eh + 2 * eh * (1 - o);
                double xin = ex - side * ew;
                double xout = ex + side * ew;
                Line2D lid = new Line2D.Double(xin, yc + drop * eh, xout, yc - drop * eh);
                c.clip(new Ellipse2D.Double(ex - ew * 1.05, EYE_Y - eh * 1.05, ew * 2.1, eh * 2.1));
                c.draw(lid, EYE_LINE, 0.02, MASK_EYES);
                c.clip(null);
            }
        }
    }

    /** The eye ellipse below a (possibly slanted) upper-lid line. */
    private static Shape visibleEye(double ex, double ew, double eh, double open, double drop, int side) {
        Ellipse2D.Double ellipse = new Ellipse2D.Double(ex - ew, EYE_Y - eh, 2 * ew, 2 * eh);
        if (open >= 0.99 && Math.abs(drop) <= 0.01) {
            return ellipse;
        }
        double yc = EYE_Y - eh + 2 * eh * (1 - open);
        double xin = ex - side * 2 * ew;
        double xout = ex + side * 2 * ew;
        Path2D.Double below = new Path2D.Double();
        below.moveTo(xin, yc + 2 * drop * eh);
        below.lineTo(xout, yc - 2 * drop * eh);
        below.lineTo(xout, EYE_Y + 2 * eh);
        below.lineTo(xin, EYE_Y + 2 * eh);
        below.closePath();
        Area a = new Area(ellipse);
        a.intersect(new Area(below));
        return a;
    }

    private static void drawBrows(Canvas c, SplittableRandom r, Identity who, Emotion e, Color hairColor,
                                  double mirror) {
        // Per side: inner-end raise, outer-end raise, arch (all "up" positive), inward shift.
        double inner;
        double outer;
        double arch;
        double shift = 0;
        double thick = who.browThickness();
        switch (e) {
            case ANGRY -> { inner = -0.035; outer = 0.018; arch = -0.004; shift = 0.012; thick *= 1.2; }
            case DISGUST -> { inner = -0.028; outer = -0.005; arch = 0.0; shift = 0.006; }
            case FEAR -> { inner = 0.05; outer = 0.012; arch = -0.006; shift = 0.006; }
            case HAPPY -> { inner = 0.01; outer = 0.006; arch = 0.022; }
            case SAD -> { inner = 0.04; outer = -0.018; arch = -0.004; }
            case SURPRISE -> { inner = 0.045; outer = 0.04; arch = 0.026; }
            case NEUTRAL -> { inner = 0.0; outer = 0.0; arch = 0.006; }
            default -> throw new AssertionError(e);
        }
        Color browColor = contrasting(who.hair() == Hair.BALD ? shade(hairColor, 0.55) : shade(hairColor, 0.8), who.skin());
        double base = EYE_Y - 0.038 * who.eyeScale() - 0.042;
        for (int side = -1; side <= 1; side += 2) {
            double in = inner;
            double out = outer;
            double ar = arch;
            if (e == Emotion.DISGUST && side != mirror) {
                // Asymmetric: the other brow is raised and arched.
                in = 0.022;
                out = 0.032;
                ar = 0.014;
            }
            in = jit(r, in, 0.12, 0.004);
            out = jit(r, out, 0.12, 0.004);
            ar = jit(r, ar, 0.15, 0.002);
            double xin = side * (who.eyeSpacing() - 0.05 - shift);
            double xout = side * (who.eyeSpacing() + 0.062);
            double yin = base - in;
            double yout = base - out;
            QuadCurve2D brow = new QuadCurve2D.Double(xin, yin, (xin + xout) / 2, (yin + yout) / 2 - 2 * ar, xout, yout);
            c.draw(brow, browColor, thick, MASK_EYEBROWS);
        }
    }

    private static void drawMouth(Canvas c, SplittableRandom r, Identity who, Emotion e, double mirror, Color lip) {
        MouthShape shape = MouthShape.values()[e.ordinal()];
        double mw = who.mouthHalfWidth() * (1 + Toy.gauss(r, 0.06, 2));
        double y0 = MOUTH_Y + Toy.gauss(r, 0.004, 2);
        double k = 1 + Toy.gauss(r, 0.12, 2); // expression intensity
        switch (shape) {
            case FLAT -> {
                double bend = Toy.gauss(r, 0.004, 2);
                c.draw(new QuadCurve2D.Double(-mw, y0, 0, y0 + bend, mw, y0), lip, 0.02, MASK_MOUTH);
            }
            case SMILE -> {
                double w = mw * 1.15;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(-w, y0 - 0.018 * k);
                p.quadTo(0, y0 + 0.012, w, y0 - 0.018 * k);
                p.quadTo(0, y0 + 0.1 * k, -w, y0 - 0.018 * k);
                p.closePath();
                c.fill(p, MOUTH_INSIDE, MASK_MOUTH);
                c.clip(p);
                c.fill(new Rectangle2D.Double(-w, y0 - 0.04, 2 * w, 0.044), TEETH);
                c.clip(null);
                c.draw(p, lip, 0.013, MASK_MOUTH);
            }
            case FROWN -> {
                double w = mw * 0.92;
                c.draw(new QuadCurve2D.Double(-w, y0 + 0.03 * k, 0, y0 - 0.062 * k, w, y0 + 0.03 * k), lip, 0.022,
                        MASK_MOUTH);
            }
            case TEETH -> {
                double w = mw * 1.0;
                double hgt = 0.03 * k;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(-w, y0 + 0.01);
                p.lineTo(-w * 0.6, y0 - hgt);
                p.lineTo(w * 0.6, y0 - hgt);
                p.lineTo(w, y0 + 0.01);
                p.lineTo(w * 0.6, y0 + hgt);
                p.lineTo(-w * 0.6, y0 + hgt);
                p.closePath();
                c.fill(p, TEETH, MASK_MOUTH);
                c.clip(p);
                Color gap = new Color(120, 110, 110);
                c.draw(new Line2D.Double(-w, y0, w, y0), gap, 0.007);
                for (int j = -2; j <= 2; j++) {
                    c.draw(new Line2D.Double(j * w * 0.3, y0 - hgt, j * w * 0.3, y0 + hgt), gap, 0.006);
                }
                c.clip(null);
                c.draw(p, lip, 0.014, MASK_MOUTH);
            }
            case O -> {
                double rx = 0.038 * k;
                double ry = 0.052 * k;
                Ellipse2D.Double o = new Ellipse2D.Double(-rx, y0 + 0.005 - ry, 2 * rx, 2 * ry);
                c.fill(o, MOUTH_INSIDE, MASK_MOUTH);
                c.draw(o, lip, 0.014, MASK_MOUTH);
            }
            case WAVY -> {
                double w = mw * 1.12;
                double amp = 0.014 * k;
                int n = 24;
                Path2D.Double p = new Path2D.Double();
                for (int j = 0; j <= n; j++) {
                    double x = -w + 2 * w * j / n;
                    double y = y0 - 0.014 + amp * Math.sin(2 * Math.PI * 2 * j / n);
                    if (j == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                for (int j = n; j >= 0; j--) {
                    double x = -w + 2 * w * j / n;
                    p.lineTo(x, y0 + 0.018 + amp * Math.sin(2 * Math.PI * 2 * j / n));
                }
                p.closePath();
                c.fill(p, MOUTH_INSIDE, MASK_MOUTH);
                c.draw(p, lip, 0.012, MASK_MOUTH);
            }
            case SNEER -> {
                double w = mw * 1.0;
                double m = mirror;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(-m * w, y0 + 0.022 * k);
                p.curveTo(-m * w * 0.35, y0 + 0.03, m * w * 0.25, y0 - 0.005, m * w, y0 - 0.035 * k);
                Ellipse2D.Double tongue = new Ellipse2D.Double(-m * w * 0.05 - 0.024, y0 + 0.0, 0.048, 0.05);
                c.fill(tongue, TONGUE, MASK_MOUTH);
                c.draw(tongue, lip, 0.01, MASK_MOUTH);
                c.draw(p, lip, 0.022, MASK_MOUTH);
            }
            default -> throw new AssertionError(shape);
        }
    }

    // ---------------------------------------------------------------- color helpers

    private static Color shade(Color c, double f) {
        return new Color(clamp255(c.getRed() * f), clamp255(c.getGreen() * f), clamp255(c.getBlue() * f));
    }

    private static Color jitter(SplittableRandom r, Color c, double amount) {
        double d = Toy.gauss(r, amount, 2);
        return new Color(clamp255(c.getRed() + d + Toy.gauss(r, amount / 3, 2)),
                clamp255(c.getGreen() + d + Toy.gauss(r, amount / 3, 2)),
                clamp255(c.getBlue() + d + Toy.gauss(r, amount / 3, 2)));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    /** Darkens {@code c} until it differs from {@code background} by at least 0.3 in luminance (or is black). */
    private static Color contrasting(Color c, Color background) {
        Color out = c;
        for (int k = 0; k < 12 && Math.abs(luminance(out) - luminance(background)) < 0.3; k++) {
            out = shade(out, 0.75);
        }
        return out;
    }

    private static int clamp255(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceWorld w && w.seed == seed && w.height == height && w.width == width && w.task == task;
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, height, width, task);
    }

    @Override
    public String toString() {
        return "FaceWorld[seed=" + seed + ", " + height + "x" + width + ", task=" + task + "]";
    }
}
