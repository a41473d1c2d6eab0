/**
 * What the engine lets another module replace: the kernels of convolutions, windowed pooling and element-wise
 * activations ({@link org.xai4j.engine.spi.KernelProvider}, found with {@link java.util.ServiceLoader}). The engine's
 * own kernels are ND4J's ops; module xai-onednn provides oneDNN 3.x primitives on channels-last arrays, which an
 * application enables by putting that module on its class path, the way it chooses its ND4J backend. The system
 * property {@value org.xai4j.engine.spi.KernelProvider#PROPERTY} names the kernels to use ({@code nd4j} for ND4J's
 * own) and overrides that choice. Kernels read and write the engine's arrays in place when
 * {@link org.xai4j.engine.spi.KernelArrays#isDense} holds and copy them otherwise.
 */
package org.xai4j.engine.spi;
