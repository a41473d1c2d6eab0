/**
 * ONNX import: reads an image classifier saved as {@code .onnx} (as {@code torch.onnx.export} writes torchvision
 * models, opsets 11 to 17) into the engine's {@link org.xai4j.engine.NetworkSpec}, so that every xai4j method explains
 * it with the engine's own input gradients. Entry point: {@link org.xai4j.onnx.OnnxModels#read}.
 */
package org.xai4j.onnx;
