/**
 * Colormap implementations: matplotlib's maps as bundled 256-entry lookup tables ({@link
 * org.xai4j.viz.colormap.StandardColormap}) and user-supplied tables ({@link org.xai4j.viz.colormap.LookupTableColormap}).
 */
package org.xai4j.viz.colormap;
