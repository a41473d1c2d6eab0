/**
 * Rendering normalized maps to pixels: heat maps, blends over the input image, masked images, alpha scaling
 * (Captum's visualization methods), per-channel activation tiles and filter images.
 */
package org.xai4j.viz.overlay;
