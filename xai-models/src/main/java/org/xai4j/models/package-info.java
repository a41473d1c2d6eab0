/**
 * Loading image classifiers and building their inputs: the model-provider registry ({@link
 * org.xai4j.models.ModelProviders}, {@link org.xai4j.models.ModelProvider}, {@link org.xai4j.models.ModelSettings},
 * {@link org.xai4j.models.ImageClassifierLoader}) returns the one loaded-model type,
 * {@link org.xai4j.models.ImageClassifier}; {@link org.xai4j.models.ModelInputs} turns image files into inputs at a
 * model's input size. The VGG family (VGG16, VGGFace, VGGEmotion) is built from real weight formats by
 * {@link org.xai4j.models.VggAdapter}, from a {@link org.xai4j.models.NetworkSource} (Keras HDF5, DL4J zoo, DL4J model
 * zip, or an in-memory network), into a classifier in pixel space.
 */
package org.xai4j.models;
