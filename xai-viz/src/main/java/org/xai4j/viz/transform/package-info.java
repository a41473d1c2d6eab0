/**
 * Geometry: bilinear resampling of maps and images with a documented pixel-alignment convention, and the
 * resize/center-crop preprocessing of torchvision and Keras.
 */
package org.xai4j.viz.transform;
