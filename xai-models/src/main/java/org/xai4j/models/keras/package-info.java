/**
 * Keras HDF5 loading: keras.applications and keras-vggface VGG networks saved with {@code model.save} (Functional or
 * Sequential) or as {@code model.to_json()} plus {@code model.save_weights}, imported through DL4J with the file
 * checks and workarounds DL4J 1.0.0-M2.1 lacks.
 */
package org.xai4j.models.keras;
