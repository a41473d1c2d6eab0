/**
 * The SameDiff engine: a network description ({@link org.xai4j.engine.NetworkSpec}), its
 * {@link org.xai4j.ImageModel} implementation with an input-only backward pass, and the converter from DL4J networks.
 */
package org.xai4j.engine;
