/**
 * JMH benchmarks of xai4j's kernels: forward and input gradient of VGG-shaped models, the Riemann-sum kernels of
 * integrated gradients, and explainers end to end. Build with {@code mvn -pl xai-bench -am package -DskipTests}.
 */
package org.xai4j.bench;
