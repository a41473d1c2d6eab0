package org.xai4j.models.toy;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Package-private drawing surface: an antialiased RGB image plus one gray-level mask image per region,
 * all sharing a "unit" coordinate system in which the largest centered square of the image is
 * {@code [0,1] x [0,1]} (so geometry is independent of the rendering size).
 */
final class Canvas {

    private final int height;
    private final int width;
    private final BufferedImage image;
    private final Graphics2D g;
    private final Map<String, BufferedImage> maskImages = new LinkedHashMap<>();
    private final Map<String, Graphics2D> maskGraphics = new LinkedHashMap<>();
    private final AffineTransform unit;

    Canvas(int height, int width, List<String> regions) {
        this.height = height;
        this.width = width;
        double s = Math.min(height, width);
        unit = new AffineTransform();
        unit.translate((width - s) / 2.0, (height - s) / 2.0);
        unit.scale(s, s);
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = setup(image.createGraphics());
        for (String region : regions) {
            BufferedImage m = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D mg = setup(m.createGraphics());
            maskImages.put(region, m);
            maskGraphics.put(region, mg);
        }
    }

    private Graphics2D setup(Graphics2D gr) {
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        gr.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        gr.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        gr.setTransform(unit);
        return gr;
    }

    /** The whole image in current unit coordinates, generously padded. */
    Shape everything() {
        return new Rectangle2D.Double(-2, -2, 5, 5);
    }

    /** Sets an extra transform (in unit coordinates) applied to all subsequent drawing. */
    void setLocalTransform(AffineTransform local) {
        AffineTransform t = new AffineTransform(unit);
        t.concatenate(local);
        g.setTransform(t);
        for (Graphics2D mg : maskGraphics.values()) {
            mg.setTransform(t);
        }
    }

    void resetLocalTransform() {
        setLocalTransform(new AffineTransform());
    }

    /** Fills a shape on the image only. */
    void fill(Shape s, Paint p) {
        g.setPaint(p);
        g.fill(s);
    }

    /** Fills a shape on the image and marks it in the given region's mask. */
    void fill(Shape s, Paint p, String region) {
        fill(s, p);
        mark(s, region);
    }

    /** Strokes a shape on the image only. */
    void draw(Shape s, Paint p, double strokeWidth) {
        g.setPaint(p);
        Stroke old = g.getStroke();
        g.setStroke(stroke(strokeWidth));
        g.draw(s);
        g.setStroke(old);
    }

    /** Strokes a shape on the image and marks the stroke in the given region's mask. */
    void draw(Shape s, Paint p, double strokeWidth, String region) {
        draw(s, p, strokeWidth);
        mark(stroke(strokeWidth).createStrokedShape(s), region);
    }

    /** Adds a shape to a region mask without drawing it. */
    void mark(Shape s, String region) {
        Graphics2D mg = mask(region);
        mg.setColor(Color.WHITE);
        mg.fill(s);
    }

    /** Removes a shape from a region mask (for occluders drawn on top of the region). */
    void erase(Shape s, String region) {
        Graphics2D mg = mask(region);
        mg.setColor(Color.BLACK);
        mg.fill(s);
    }

    /** Fills a shape on the image with the given opacity (used for lighting overlays). */
    void overlay(Shape s, Paint p, float alpha) {
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
        fill(s, p);
        g.setComposite(AlphaComposite.SrcOver);
    }

    /** Restricts subsequent drawing (image and masks) to a shape in current coordinates; null clears. */
    void clip(Shape s) {
        g.setClip(s);
        for (Graphics2D mg : maskGraphics.values()) {
            mg.setClip(s);
        }
    }

    private Graphics2D mask(String region) {
        Graphics2D mg = maskGraphics.get(region);
        if (mg == null) {
            throw new IllegalStateException("no mask region " + region);
        }
        return mg;
    }

    private static BasicStroke stroke(double w) {
        return new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /**
     * Converts the image to float CHW in [0,1], applying a global gain/offset and additive Gaussian
     * noise, and disposes the graphics.
     */
    float[] finishPixels(SplittableRandom rng, double gain, double offset, double noiseSigma) {
        g.dispose();
        int plane = height * width;
        float[] out = new float[3 * plane];
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < plane; i++) {
            int v = rgb[i];
            out[i] = (float) (((v >> 16) & 0xFF) / 255.0);
            out[plane + i] = (float) (((v >> 8) & 0xFF) / 255.0);
            out[2 * plane + i] = (float) ((v & 0xFF) / 255.0);
        }
        for (int i = 0; i < out.length; i++) {
            double v = out[i] * gain + offset + noiseSigma * rng.nextGaussian();
            out[i] = (float) Math.max(0.0, Math.min(1.0, v));
        }
        return out;
    }

    /** Thresholds the region masks at half coverage and disposes their graphics. */
    Map<String, Mask> finishMasks() {
        Map<String, Mask> out = new LinkedHashMap<>();
        for (Map.Entry<String, BufferedImage> e : maskImages.entrySet()) {
            maskGraphics.get(e.getKey()).dispose();
            byte[] data = ((DataBufferByte) e.getValue().getRaster().getDataBuffer()).getData();
            boolean[] px = new boolean[height * width];
            for (int i = 0; i < px.length; i++) {
                px[i] = (data[i] & 0xFF) >= 128;
            }
            out.put(e.getKey(), new Mask(e.getKey(), height, width, px));
        }
        return out;
    }
}
