package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.toy.ToyModelTrainer;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.viz.RgbImage;

class StudyConfigTest {

    private static final StudyImage GREY = new StudyImage("gray", new RgbImage(new float[3 * 8 * 8], 8, 8));

    @Test
    void theDefaultIsTheToyWorldWithEveryRole() {
        StudyConfig config = StudyConfig.builder().build();
        assertThat(config.mode()).isEqualTo("toy world");
        assertThat(config.roles()).containsExactly(StudyRole.OBJECTS, StudyRole.FACES, StudyRole.EMOTIONS);
        assertThat(config.images()).isEmpty();
        assertThat(config.igTolerance()).isEqualTo(0.01);
        assertThat(config.quick()).isFalse();
        assertThat(config.workload().igTolerance()).isEqualTo(0.01);
        assertThat(config.toString()).contains("toy world").doesNotContain("face-api");
        assertThat(config.faceApi()).as("the real-network section is on by default").isTrue();
        StudyConfig without = StudyConfig.builder().optFaceApi(false).build();
        assertThat(without.faceApi()).isFalse();
        assertThat(without.toString()).contains("no face-api section");
    }

    @Test
    void imagesWithoutNetworksRunTheToyModelsAndWithNetworksOnlyTheirRoles() {
        assertThat(StudyConfig.builder().optImages(List.of(GREY)).build().mode()).isEqualTo("toy models, user images");
        try (TinyVgg tiny = new TinyVgg(32)) {
            StudyConfig config = StudyConfig.builder().optImages(List.of(GREY)).optModel(StudyRole.FACES, tiny.vgg)
                    .build();
            assertThat(config.mode()).isEqualTo("real networks");
            assertThat(config.roles()).containsExactly(StudyRole.FACES);
            assertThat(config.models()).containsEntry(StudyRole.FACES, tiny.vgg);
        }
    }

    @Test
    void refusesWhatCannotRun() {
        assertThatThrownBy(() -> StudyConfig.builder().optImages(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one image");
        for (double tolerance : new double[] {0, 1, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> StudyConfig.builder().optIgTolerance(tolerance).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance")
                    .hasMessageContaining(Double.toString(tolerance));
        }
        assertThatThrownBy(() -> StudyConfig.builder().optModel(null, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("role");
        assertThatThrownBy(() -> StudyConfig.builder().optImages(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("images");
        assertThatThrownBy(() -> new Study(null)).isInstanceOf(NullPointerException.class);
        try (TinyVgg tiny = new TinyVgg(32)) {
            assertThatThrownBy(() -> StudyConfig.builder().optModel(StudyRole.OBJECTS, tiny.vgg).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 32, 32]")
                    .hasMessageContaining("[3, 64, 64]").hasMessageContaining("optImages");
        }
    }

    /** An untrained mini-VGG of the toy architecture at another input size. */
    private static final class TinyVgg implements AutoCloseable {
        final ImageClassifier vgg;

        TinyVgg(int size) {
            VggArchitecture a = new VggArchitecture(size, size, new int[] {1, 1, 1, 1, 1}, new int[] {2, 2, 2, 2, 2},
                    new int[] {4}, false, 3);
            vgg = ToyModels.toClassifier("Tiny", ToyModelTrainer.buildNetwork(a, 1, 1e-3, 0), a,
                    List.of("a", "b", "c"));
        }

        @Override public void close() {
            vgg.model().close();
        }
    }
}
