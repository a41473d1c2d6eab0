package org.xai4j.study;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;

/**
 * What the sections share about one input of one network: its prediction, the integrated gradients and the Grad-CAM
 * map of the predicted class.
 *
 * @param input       the input
 * @param predicted   the predicted class
 * @param probability its probability
 * @param attribution integrated gradients of the predicted class (one example), with its completeness figures
 * @param gradCam     the Grad-CAM map {@code [H, W]} of the last conv layer
 */
record Explained(StudyInput input, int predicted, double probability, Attribution attribution, INDArray gradCam) {

    /**
     * Integrated gradients.
     *
     * @return {@code [1, 3, H, W]}
     */
    INDArray ig() {
        return attribution.values();
    }

    /**
     * The convergence delta.
     *
     * @return {@code sum(ig) - (F(x) - F(x'))}
     */
    double delta() {
        return attribution.convergenceDelta()[0];
    }

    /**
     * What a complete attribution sums to.
     *
     * @return {@code F(x) - F(x')}
     */
    double outputDifference() {
        return attribution.outputDifference()[0];
    }

    /**
     * The points adaptive integration used.
     *
     * @return the steps
     */
    int igSteps() {
        return attribution.steps();
    }

    /**
     * The attribution's relative completeness error.
     *
     * @return {@code |delta| / |F(x) - F(x')|}, NaN when the output does not change along the path
     */
    double relativeError() {
        return attribution.relativeError(0);
    }
}
