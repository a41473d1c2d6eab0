/**
 * xai4j's input-gradient engine on ND4J's oneDNN kernels: a network description ({@link org.xai4j.engine.NetworkSpec}
 * of {@link org.xai4j.engine.LayerSpec}s, any DAG), compiled into nodes ({@code NodeCompiler}) and run by
 * {@link org.xai4j.engine.Nd4jImageModel}, the {@link org.xai4j.ImageModel} every explainer uses: an ancestors-only
 * forward pass and an input-only backward pass in reverse topological order, channels-last inside, on the model's
 * own thread and workspace. It offers the capabilities that checks ask for by type
 * ({@link org.xai4j.ReinitializableModel}) and computes only the channel an objective reads when the objective says
 * so ({@link org.xai4j.Objective#meanOfOneChannel()}). {@link org.xai4j.engine.Nd4jImageModel#toSameDiff()} exports the
 * same network as a SameDiff graph. Front ends (Keras/DL4J files, ONNX, face-api) build NetworkSpecs; none of them is
 * in this package.
 */
package org.xai4j.engine;
