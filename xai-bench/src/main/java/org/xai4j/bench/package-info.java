/**
 * JMH benchmarks of xai4j's kernels: forward and input gradient of VGG-shaped models and ResNet-50, the Riemann-sum
 * kernels of integrated gradients, and explainers end to end. Build with {@code mvn -pl xai-bench -am package
 * -DskipTests}; {@code python/side_by_side.py} runs them next to their Captum and PyTorch anchors (see the README).
 */
package org.xai4j.bench;
