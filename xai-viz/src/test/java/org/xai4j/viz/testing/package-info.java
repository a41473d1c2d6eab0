/** Test utilities shared with the modules that load images: valid and damaged image files. */
package org.xai4j.viz.testing;
