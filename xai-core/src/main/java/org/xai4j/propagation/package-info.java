/**
 * Propagation methods: DeepLift (Rescale rule), DeepLiftShap and layer-wise relevance propagation (epsilon rule), as
 * Captum 0.8.0 computes them, each a backward mode of the one engine ({@link org.xai4j.engine.BackwardMode}).
 */
package org.xai4j.propagation;
