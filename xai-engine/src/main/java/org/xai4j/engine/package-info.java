/**
 * The model contract and its ND4J graph engine (module xai-engine). The contract is what every explainer talks to:
 * {@link org.xai4j.engine.ImageModel} (batched NCHW forward passes and input gradients), the scalar
 * {@link org.xai4j.engine.Objective}s whose gradients explainers need and their
 * {@link org.xai4j.engine.ObjectiveGradient}, {@link org.xai4j.engine.LayerInfo} and
 * {@link org.xai4j.engine.LayerKind} (layers chosen by what they compute), the capability
 * {@link org.xai4j.engine.ReinitializableModel}, {@link org.xai4j.engine.InsufficientMemoryException}, and the checks
 * and seeded random arrays explainers share with the engine ({@link org.xai4j.engine.InputChecks},
 * {@link org.xai4j.engine.RandomArrays}).
 *
 * <p>The engine runs on ND4J's oneDNN kernels: a network description ({@link org.xai4j.engine.NetworkSpec} of
 * {@link org.xai4j.engine.LayerSpec}s, any DAG), compiled into nodes ({@code NodeCompiler}, {@code CompiledGraph}) and
 * run by {@link org.xai4j.engine.Nd4jImageModel}: an ancestors-only forward pass and an input-only backward pass in
 * reverse topological order, channels-last inside, on the model's own thread and workspace ({@code ModelRuntime}). It
 * offers the capabilities that checks ask for by type and computes only the channel an objective reads when the
 * objective says so ({@link org.xai4j.engine.Objective#meanOfOneChannel()}).
 * {@link org.xai4j.engine.Nd4jImageModel#toSameDiff()} exports the same network as a SameDiff graph
 * ({@code SameDiffExport}). Convolutions, pooling and activations run on ND4J's ops unless a
 * {@link org.xai4j.engine.spi.KernelProvider} is on the class path (module xai-onednn); see
 * {@link org.xai4j.engine.Nd4jImageModel#kernelImplementations()}. Front ends (Keras/DL4J files, ONNX, face-api) build NetworkSpecs; none of them is in this
 * package, and the explainers are in xai-core.
 */
package org.xai4j.engine;
