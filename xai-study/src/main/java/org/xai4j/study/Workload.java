package org.xai4j.study;

/**
 * How much work the study does; written to {@code summary.json} as {@code config}.
 *
 * @param quick               whether this is the small configuration
 * @param featureSteps        activation-maximization steps per image
 * @param featureChannels     neurons shown per layer of blocks 1-4
 * @param lastLayerNeurons    neurons shown for the last conv layer
 * @param inputs              inputs per network (correct and misclassified ones)
 * @param scan                held-out samples scanned to find them
 * @param igPointsPerInterval Gauss-Legendre points per path interval of adaptive integrated gradients
 * @param igMaxSteps          the most points per image
 * @param igTolerance         the completeness tolerance, relative to |F(x) - F(x')|
 * @param randomizationSteps  Gauss-Legendre points of the fixed-rule integrated gradients the randomization test
 *                            re-runs on every randomized network (rank correlations, not completeness, are measured)
 * @param perEmotion          images per emotion for the localization scores
 * @param curveSteps          steps of the deletion and insertion curves
 */
record Workload(boolean quick, int featureSteps, int featureChannels, int lastLayerNeurons, int inputs, int scan,
                int igPointsPerInterval, int igMaxSteps, double igTolerance, int randomizationSteps, int perEmotion,
                int curveSteps) {

    static Workload standard(double igTolerance) {
        return new Workload(false, 48, 16, 32, 4, 56, 8, 256, igTolerance, 32, 3, 16);
    }

    static Workload small(double igTolerance) {
        return new Workload(true, 4, 4, 4, 2, 14, 8, 16, igTolerance, 4, 1, 4);
    }

    /** Less feature visualization for full-size networks (224x224 VGG16 is ~1000x the toy's cost per step). */
    Workload forLargeInputs() {
        return new Workload(quick, Math.min(featureSteps, 32), Math.min(featureChannels, 8),
                Math.min(lastLayerNeurons, 16), inputs, scan, igPointsPerInterval, igMaxSteps, igTolerance,
                randomizationSteps, perEmotion, curveSteps);
    }
}
