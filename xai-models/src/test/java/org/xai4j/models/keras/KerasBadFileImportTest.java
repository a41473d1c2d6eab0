package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.models.keras.KerasFixtures.path;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * How DL4J 1.0.0-M2.1 fails on bad Keras files; our loader wraps these into clear messages.
 *
 * <table>
 *   <caption>Observed failures</caption>
 *   <tr><th>file / call</th><th>DL4J result</th></tr>
 *   <tr><td>mini_vgg16_truncated.h5 (first 16384 bytes), either import method</td>
 *       <td>{@code java.lang.RuntimeException: H5Fopen failed} (from org.bytedeco.hdf5.H5File; no cause;
 *       HDF5-DIAG "truncated file" trace on stderr). Plain RuntimeException: match on the message.</td></tr>
 *   <tr><td>mini_vgg16_missing_weight.h5 (no block4_conv2 kernel dataset)</td>
 *       <td>{@code InvalidKerasConfigurationException: "Parameter kernel does not exist in weights. For more
 *       information, see https://deeplearning4j.konduit.ai/keras-import/overview"}: the layer is NOT named,
 *       so the loader should check weight_names against the datasets itself to say which one.</td></tr>
 *   <tr><td>mini_vgg16_wrong_architecture.h5</td>
 *       <td>No error: a valid Keras file imports (block5_conv3 simply absent, block4 12 wide). The
 *       loader must validate layer names / shapes against the expected VGG16 layout.</td></tr>
 *   <tr><td>mini_vgg16_weights_only.h5 via importKerasModelAndWeights(h5)</td>
 *       <td>{@code InvalidKerasConfigurationException: "Model configuration attribute missing from
 *       <path> archive.. For more ..."}: the form of the official keras.applications / keras-vggface
 *       downloads; needs the JSON overload.</td></tr>
 *   <tr><td>Sequential file via importKerasModelAndWeights</td>
 *       <td>{@code InvalidKerasConfigurationException: "Expected model class name Model or Functional
 *       (found Sequential). ..."}</td></tr>
 *   <tr><td>Functional file via importKerasSequentialModelAndWeights</td>
 *       <td>{@code InvalidKerasConfigurationException: "Model class name must be Sequential (found
 *       Functional). ..."}</td></tr>
 *   <tr><td>Sequential with '/' in layer names (mini_vggface_sequential.h5)</td>
 *       <td>{@code RuntimeException: H5Gopen2 failed}: see {@link KerasVggFaceImportTest}.</td></tr>
 * </table>
 *
 * <p>Several of these failures leave an HDF5 group or file open; every import here runs through
 * {@link Hdf5Access#run}, which closes them under the HDF5 lock.
 */
class KerasBadFileImportTest {

    @Test
    void truncatedFileFailsToOpen() {
        assertThat(KerasFixtures.file("mini_vgg16_truncated.h5")).hasSize(16384);
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vgg16_truncated.h5"), false)))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("H5Fopen failed");
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                path("mini_vgg16_truncated.h5"), false)))
                .isExactlyInstanceOf(RuntimeException.class)
                .hasMessage("H5Fopen failed");
    }

    @Test
    void missingWeightDatasetFailsWithoutNamingTheLayer() {
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vgg16_missing_weight.h5"), false)))
                .isExactlyInstanceOf(InvalidKerasConfigurationException.class)
                .hasMessageStartingWith("Parameter kernel does not exist in weights.")
                .hasMessageNotContaining("block4_conv2");
    }

    @Test
    void wrongArchitectureImportsWithoutComplaint() throws Exception {
        ComputationGraph g = Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vgg16_wrong_architecture.h5"), false));
        assertThat(g.getConfiguration().getTopologicalOrderStr())
                .contains("block5_conv2", "block5_pool")
                .doesNotContain("block5_conv3");
        assertThat(((ConvolutionLayer) g.getLayer("block4_conv1").conf().getLayer()).getNOut()).isEqualTo(12);
    }

    @Test
    void weightsOnlyFileIsNotAFullModel() {
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vgg16_weights_only.h5"), false)))
                .isExactlyInstanceOf(InvalidKerasConfigurationException.class)
                .hasMessageStartingWith("Model configuration attribute missing from");
    }

    @Test
    void wrongImportMethodForModelClass() {
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vggface_sequential.h5"), false)))
                .isExactlyInstanceOf(InvalidKerasConfigurationException.class)
                .hasMessageStartingWith("Expected model class name Model or Functional (found Sequential)");
        assertThatThrownBy(() -> Hdf5Access.run(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                path("mini_vgg16_functional.h5"), false)))
                .isExactlyInstanceOf(InvalidKerasConfigurationException.class)
                .hasMessageStartingWith("Model class name must be Sequential (found Functional)");
    }
}
