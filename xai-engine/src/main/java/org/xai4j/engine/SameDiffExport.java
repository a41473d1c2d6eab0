package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled network as a SameDiff graph, for export and inspection ({@link Nd4jImageModel#toSameDiff()}): every node
 * adds its own ops ({@link Node#forward(SameDiff, List)}), so the export computes what the engine computes.
 */
final class SameDiffExport {

    private SameDiffExport() { }

    /**
     * Builds the graph: a placeholder {@code input} of shape {@code [-1, ...inputShape]}, the weights as constants,
     * one variable per node named after its output.
     *
     * @param graph the compiled network
     * @return a new graph that belongs to the caller
     */
    static SameDiff of(CompiledGraph graph) {
        SameDiff sameDiff = SameDiff.create();
        long[] shape = graph.spec().inputShape();
        Map<String, SDVariable> variables = new HashMap<>();
        variables.put(CompiledGraph.INPUT, sameDiff.placeHolder(CompiledGraph.INPUT, graph.dataType(), -1, shape[0],
                shape[1], shape[2]));
        int renamed = 0;
        for (Node node : graph.nodes()) {
            List<SDVariable> in = new ArrayList<>();
            for (String read : node.inputs) {
                in.add(variables.get(read));
            }
            // An earlier op's generated name ("mul", "maximum", ...) may equal this layer's name: move it aside.
            while (sameDiff.hasVariable(node.output)) {
                String free = node.output + "_op" + (++renamed);
                if (!sameDiff.hasVariable(free)) {
                    sameDiff.renameVariable(node.output, free);
                }
            }
            variables.put(node.output, node.forward(sameDiff, in));
        }
        return sameDiff;
    }
}
