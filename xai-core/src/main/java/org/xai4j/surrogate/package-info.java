/**
 * Surrogate-model attribution: LIME (a sparse weighted linear model fitted to the model's outputs on random
 * coalitions of features), following Captum's {@code Lime}, and the weighted linear regressions (least squares and
 * lasso, as scikit-learn fits them for Captum) that LIME and KernelSHAP share.
 */
package org.xai4j.surrogate;
