package org.xai4j.models.transfer;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * The outcome of {@link FineTuner#train()}.
 *
 * @param network                  the trained network, holding the parameters of the best epoch
 * @param epochs                   epochs run
 * @param bestEpoch                the epoch (1-based) whose parameters were kept
 * @param bestValidationAccuracy   validation accuracy at the best epoch
 * @param bestValidationLoss       validation cross-entropy at the best epoch
 * @param stoppedEarly             whether training stopped because the monitored metric stopped improving
 * @param history                  per-epoch statistics
 * @param trainingExamples         number of training images
 * @param validationExamples       number of validation images
 */
public record FineTuneResult(ComputationGraph network, int epochs, int bestEpoch, double bestValidationAccuracy,
                             double bestValidationLoss, boolean stoppedEarly, List<EpochStats> history,
                             int trainingExamples, int validationExamples) {

    /** Copies the history. */
    public FineTuneResult {
        history = List.copyOf(history);
    }

    /**
     * Statistics of one epoch.
     *
     * @param epoch              1-based epoch number
     * @param trainingLoss       mean training loss over the epoch's minibatches
     * @param validationLoss     mean cross-entropy on the validation images
     * @param validationAccuracy fraction of validation images classified correctly
     */
    public record EpochStats(int epoch, double trainingLoss, double validationLoss, double validationAccuracy) { }
}
