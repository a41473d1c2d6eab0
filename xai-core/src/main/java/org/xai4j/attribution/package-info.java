/**
 * Gradient-based attribution: integrated gradients (with Riemann and Gauss-Legendre rules, baselines and an adaptive
 * mode), saliency, input times gradient, and noise tunnels (SmoothGrad) over any of them.
 */
package org.xai4j.attribution;
