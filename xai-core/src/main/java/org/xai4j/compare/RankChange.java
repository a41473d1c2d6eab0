package org.xai4j.compare;

/**
 * How a neuron's spike rank (0 = largest spike) differs between the reference model and another model.
 *
 * @param neuron        the neuron (channel)
 * @param model         the other model's name
 * @param referenceRank its rank in the reference (first) model
 * @param rank          its rank in {@code model}
 */
public record RankChange(int neuron, String model, int referenceRank, int rank) {

    /** {@code rank - referenceRank}: negative when the neuron rises in {@code model}. */
    public int shift() { return rank - referenceRank; }

    @Override public String toString() {
        return "neuron " + neuron + " in " + model + ": rank " + referenceRank + " -> " + rank;
    }
}
