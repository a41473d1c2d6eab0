package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.models.keras.KerasFixtures.assertMatches;
import static org.xai4j.models.keras.KerasFixtures.npy;
import static org.xai4j.models.keras.KerasFixtures.path;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * keras-vggface-named VGG16 ({@code conv1_1 ... conv5_3, pool1..pool5, flatten, fc6, fc6/relu, fc7,
 * fc7/relu, fc8, fc8/softmax}) in two forms with identical weights:
 * {@code mini_vggface_functional.h5} (what {@code VGGFace(model='vgg16')} + {@code model.save} gives)
 * and {@code mini_vggface_sequential.h5} (a Sequential with the same names).
 *
 * <p>Facts pinned here (DL4J 1.0.0-M2.1):
 * <ul>
 *   <li>Functional: imports directly; vertex names keep the '/' ({@code fc6/relu} is a vertex name);
 *       the separate Activation layers become ActivationLayer vertices; output vertex {@code fc8/softmax}.</li>
 *   <li>Sequential with '/' in layer names: {@code importKerasSequentialModelAndWeights} FAILS with
 *       {@code RuntimeException("H5Gopen2 failed")} (plus an HDF5-DIAG trace on stderr:
 *       "object 'conv1_1_input' doesn't exist"). When any layer name contains '/',
 *       {@code KerasModelUtils.importWeights} looks up a {@code model_weights/<name>} group for every
 *       DL4J layer, including the implicit InputLayer {@code conv1_1_input} that tf.keras lists in a
 *       Sequential config but never saves (Sequential {@code model.layers} excludes it). Adding that
 *       one empty group to a temporary copy fixes the import (shown below); the same model with '_'
 *       instead of '/' imports without the patch.</li>
 *   <li>Sequential -> MultiLayerNetwork: layer i has {@code getLayerName()} = Keras name (conv1_1 ...
 *       fc8/softmax); there is no layer for the InputLayer or for Flatten: flatten becomes the input
 *       preprocessor ({@code CnnToFeedForwardPreProcessor}, NHWC) of {@code fc6}.
 *       {@code feedForward(x, false)} is a list: index 0 = input, index i+1 = output of layer i.</li>
 *   <li>GOTCHA: with {@code train=false} an ActivationLayer works in place on its input array, so the
 *       activation recorded for the linear Dense before it ({@code fc6}, {@code fc7}, {@code fc8}) is
 *       overwritten with the post-activation values ({@code fc8} = softmax probabilities, not logits).
 *       {@code feedForward(x, true)} dups first and keeps them (the dropout the import attaches has
 *       p=1.0, so train mode changes nothing else for this network).</li>
 *   <li>With a training_config and enforceTrainingConfig=true (what the one-argument
 *       {@code importKerasSequentialModelAndWeights(path)} uses) DL4J appends a
 *       {@code LossLayer} named {@code <last layer>_loss} (here {@code fc8/softmax_loss}); with false it
 *       does not. With '/' names that extra layer also needs an (empty) group before the weights
 *       import, so use enforceTrainingConfig=false.</li>
 *   <li>A failed import does not close its HDF5 file: outside {@link Hdf5Access#run} the same file then
 *       cannot be reopened read-write in this JVM ("H5Fopen failed") until the garbage collector closes it.
 *       Through {@link Hdf5Access#run} it is closed when the import fails (the test below patches it again).</li>
 * </ul>
 */
class KerasVggFaceImportTest {

    private static final List<String> SEQUENTIAL_LAYERS = List.of(
            "conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2",
            "conv3_1", "conv3_2", "conv3_3", "pool3", "conv4_1", "conv4_2", "conv4_3", "pool4",
            "conv5_1", "conv5_2", "conv5_3", "pool5", "fc6", "fc6/relu", "fc7", "fc7/relu", "fc8", "fc8/softmax");

    @Test
    void functionalFormImportsWithSlashNamesAndMatchesReference() throws Exception {
        ComputationGraph g = Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vggface_functional.h5"), false));
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("input_1");
        assertThat(g.getConfiguration().getNetworkOutputs()).containsExactly("fc8/softmax");
        assertThat(g.getLayer("fc6/relu").conf().getLayer()).isInstanceOf(ActivationLayer.class);

        INDArray x = npy("mini_vggface_input.npy");
        Map<String, INDArray> acts = g.feedForward(x, false);
        assertMatches("vggface functional softmax", acts.get("fc8/softmax"), npy("mini_vggface_softmax.npy"));
        assertMatches("vggface functional conv5_3", acts.get("conv5_3"), npy("mini_vggface_conv5_3.npy"));
        // GOTCHA: in inference mode ActivationLayer applies its activation in place on its input, so
        // the map entry of the linear Dense before it is overwritten: "fc8" holds the softmax output.
        assertThat(KerasFixtures.maxAbsDiff(acts.get("fc8"), acts.get("fc8/softmax"))).isZero();
        // feedForward(x, true) dups the input of ActivationLayers (import dropout is p=1.0, i.e. off),
        // so the logits survive there.
        Map<String, INDArray> trainActs = g.feedForward(x, true);
        assertMatches("vggface functional logits (fc8, train=true)", trainActs.get("fc8"),
                npy("mini_vggface_logits.npy"));
        assertMatches("vggface functional softmax (train=true)", trainActs.get("fc8/softmax"),
                npy("mini_vggface_softmax.npy"));
    }

    @Test
    void sequentialWithSlashNamesFailsDirectImport() {
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                path("mini_vggface_sequential.h5"), false)))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("H5Gopen2 failed");
    }

    @Test
    void sequentialImportsAfterAddingTheUnsavedInputLayerGroup() throws Exception {
        File copy = KerasFixtures.freshCopy("mini_vggface_sequential.h5");
        String inputLayer = sequentialInputLayerName(copy);
        assertThat(inputLayer).isEqualTo("conv1_1_input");
        KerasFixtures.addEmptyLayerGroup(copy, "model_weights/" + inputLayer);

        MultiLayerNetwork net = Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                copy.getAbsolutePath(), false));
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            names.add(conf.getConf(i).getLayer().getLayerName());
        }
        assertThat(names).containsExactlyElementsOf(SEQUENTIAL_LAYERS);
        int fc6 = names.indexOf("fc6");
        assertThat(conf.getInputPreProcess(fc6)).isInstanceOf(CnnToFeedForwardPreProcessor.class);

        INDArray x = npy("mini_vggface_input.npy");
        List<INDArray> acts = net.feedForward(x, false); // [input, layer0, layer1, ...]
        assertMatches("vggface sequential softmax", net.output(x), npy("mini_vggface_softmax.npy"));
        // Same in-place gotcha as the Functional form: entry fc8 holds the softmax when train=false.
        assertThat(KerasFixtures.maxAbsDiff(acts.get(names.indexOf("fc8") + 1), net.output(x))).isZero();
        List<INDArray> trainActs = net.feedForward(x, true);
        assertMatches("vggface sequential logits (fc8, train=true)", trainActs.get(names.indexOf("fc8") + 1),
                npy("mini_vggface_logits.npy"));
        assertMatches("vggface sequential conv5_3", acts.get(names.indexOf("conv5_3") + 1),
                npy("mini_vggface_conv5_3.npy"));

        // The file is compiled (training_config): enforcing the training config appends a loss layer
        // "fc8/softmax_loss" before the weights are read, and with '/' in the names that layer needs a
        // group too.
        File copy2 = KerasFixtures.freshCopy("mini_vggface_sequential.h5");
        KerasFixtures.addEmptyLayerGroup(copy2, "model_weights/" + inputLayer);
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                copy2.getAbsolutePath())))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("H5Gopen2 failed");
        // DL4J left copy2 open when it failed; Hdf5Access closed it, so it can be reopened read-write and patched.
        KerasFixtures.addEmptyLayerGroup(copy2, "model_weights/fc8/softmax_loss");
        MultiLayerNetwork enforced = Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                copy2.getAbsolutePath()));
        int last = enforced.getnLayers() - 1;
        assertThat(enforced.getnLayers()).isEqualTo(SEQUENTIAL_LAYERS.size() + 1);
        assertThat(enforced.getLayerWiseConfigurations().getConf(last).getLayer()).isInstanceOf(LossLayer.class);
        assertThat(enforced.getLayerWiseConfigurations().getConf(last).getLayer().getLayerName())
                .isEqualTo("fc8/softmax_loss");
    }

    /** Name of the InputLayer in a tf.keras Sequential model_config (absent from model_weights). */
    private static String sequentialInputLayerName(File h5) throws Exception {
        String json = Hdf5Access.run(() -> {
            try (Hdf5Archive archive = new Hdf5Archive(h5.getAbsolutePath())) {
                return archive.readAttributeAsJson("model_config");
            }
        });
        JsonNode first = new ObjectMapper().readTree(json).path("config").path("layers").get(0);
        assertThat(first.path("class_name").asText()).isEqualTo("InputLayer");
        return first.path("config").path("name").asText();
    }
}
