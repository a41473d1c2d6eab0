/**
 * Image input and output through {@code javax.imageio}: decoding PNG, JPEG, BMP and GIF files of any pixel
 * layout into {@link org.xai4j.viz.RgbImage}, with bounded memory for huge files, and writing PNG.
 */
package org.xai4j.viz.io;
