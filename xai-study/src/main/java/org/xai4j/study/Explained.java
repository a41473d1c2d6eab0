package org.xai4j.study;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the sections share about one input of one network: its prediction, the integrated gradients and the Grad-CAM
 * map of the predicted class.
 *
 * @param input            the input
 * @param predicted        the predicted class
 * @param probability      its probability
 * @param ig               integrated gradients {@code [1, 3, H, W]}
 * @param delta            the convergence delta {@code sum(ig) - (F(x) - F(x'))}
 * @param outputDifference {@code F(x) - F(x')}
 * @param igSteps          the points adaptive integration used
 * @param gradCam          the Grad-CAM map {@code [H, W]} of the last conv layer
 */
record Explained(StudyInput input, int predicted, double probability, INDArray ig, double delta,
                 double outputDifference, int igSteps, INDArray gradCam) {

    /** {@code |delta| / |F(x) - F(x')|}, NaN when the output does not change along the path. */
    double relativeError() {
        return outputDifference == 0 ? Double.NaN : Math.abs(delta) / Math.abs(outputDifference);
    }
}
