/**
 * Turning raw attributions into displayable values, as Captum's {@code _normalize_attr} does: sign selection,
 * channel reduction, outlier clipping and scaling to {@code [0, 1]} or {@code [-1, 1]}.
 */
package org.xai4j.viz.attribution;
