/**
 * The VGG family (VGG16, VGGFace, VGGEmotion) as {@link org.xai4j.engine.ImageModel}s in pixel space, built from real
 * weight formats: {@link org.xai4j.models.VggModel} is the loaded model, {@link org.xai4j.models.VggAdapter} loads one
 * from a {@link org.xai4j.models.NetworkSource} (Keras HDF5, DL4J zoo, DL4J model zip, or an in-memory network).
 */
package org.xai4j.models;
