package org.xai4j.viz.transform;

/**
 * How source and target pixel grids line up when resampling, the {@code align_corners} flag of PyTorch's
 * {@code F.interpolate} and TensorFlow 1's {@code resize_bilinear}.
 *
 * <p>Example, upsampling the row {@code [0, 1]} to 4 pixels: {@link #HALF_PIXEL} gives
 * {@code [0, 0.25, 0.75, 1]}, {@link #ALIGN_CORNERS} gives {@code [0, 1/3, 2/3, 1]}.
 */
public enum PixelAlignment {

    /**
     * Pixels are unit squares and values sit at their centers ({@code align_corners=False}, the default of
     * PyTorch, OpenCV, PIL and TensorFlow 2): target pixel {@code i} samples source coordinate
     * {@code (i + 0.5) * in / out - 0.5}, clamped to the edge pixels. Each source pixel covers the same area of
     * the output, so a 7x7 map upsampled to 224x224 keeps its cells 32 pixels wide. When shrinking, the
     * bilinear (triangle) filter is widened by the scale factor, as PIL and torchvision's {@code antialias=True}
     * do, so that every source pixel contributes and small details do not alias.
     */
    HALF_PIXEL,

    /**
     * The centers of the corner pixels coincide ({@code align_corners=True}): target pixel {@code i} samples
     * source coordinate {@code i * (in - 1) / (out - 1)}, so corner values are reproduced exactly and the
     * outermost source pixels cover only half a cell. Plain bilinear interpolation, no antialiasing.
     */
    ALIGN_CORNERS
}
