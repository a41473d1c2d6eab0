package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.transfer.EmotionNetwork;
import org.xai4j.models.transfer.EmotionTransfer;

/** The trainer's network builder gives the shared architecture, which converts and transfers; settings are checked. */
class ToyModelTrainerTest {

    @Test
    void builtNetworkHasTheSharedVggLayoutAndTransfers() {
        VggArchitecture face = ToyModels.faceArchitecture();
        ComputationGraph network = ToyModelTrainer.buildNetwork(face, 1, 1e-3, 0.2);
        assertThat(network.getConfiguration().getTopologicalOrderStr()).contains("block1_conv1", "block5_conv3",
                "block5_pool", "fc1", "fc2", "predictions");
        ImageClassifier model = ToyModels.toClassifier("untrained", network, face, FaceWorld.identityNames());
        INDArray x = ToyModels.faceWorld(FaceTask.IDENTITY).dataset(0, 2).features();
        assertThat(model.model().probabilities(x).shape()).containsExactly(2, 8);

        EmotionNetwork emotion = EmotionTransfer.builder().setBaseNetwork(network).optBaseArchitecture(face)
                .optClasses(Emotion.displayNames()).build();
        assertThat(emotion.retrainedLayer()).isEqualTo("block5_conv3");
        assertThat(emotion.frozenLayers()).hasSize(12).startsWith("block1_conv1").endsWith("block5_conv2");
        assertThat(emotion.architecture()).isEqualTo(ToyModels.emotionArchitecture());
        assertThat(ToyModels.toClassifier("emotion", emotion.graph(), emotion.architecture(), Emotion.displayNames())
                .model().layerNames()).contains("batch_normalization", "dropout", "predictions");
    }

    @Test
    void settingsAreValidated() {
        assertThat(ToyModelTrainer.Settings.builder().optSamples(10, 5, 5).build().trainSamples()).isEqualTo(10);
        assertThat(ToyModelTrainer.Settings.builder().optEpochs(7, 5, 3).build().emotionMaxEpochs()).isEqualTo(3);
        assertThatThrownBy(() -> ToyModelTrainer.Settings.builder().optSamples(2_000_000, 5, 5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disjoint");
        assertThatThrownBy(() -> ToyModelTrainer.Settings.builder().optEpochs(0, 1, 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ToyModelTrainer.buildNetwork(ToyModels.emotionArchitecture(), 1, 1e-3, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToyModelTrainer(null)).isInstanceOf(NullPointerException.class);
    }
}
