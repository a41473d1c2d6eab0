/**
 * Figures rendered headless to {@link java.awt.image.BufferedImage}: captioned tile grids, bar charts of
 * per-neuron totals and side-by-side panel comparisons, all sharing one {@link org.xai4j.viz.figure.FigureStyle}.
 */
package org.xai4j.viz.figure;
