package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ToyDatasetTest {

    @Test
    void convertsObjectsToNchwFeaturesAndOneHotLabels() {
        ObjectWorld world = new ObjectWorld(5, 32);
        ToyDataset ds = ToyDataset.from(world, 100, 9);
        assertThat(ds.size()).isEqualTo(9);
        assertThat(ds.features().shape()).containsExactly(9, 3, 32, 32);
        assertThat(ds.features().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(ds.labels().shape()).containsExactly(9, 6);
        assertThat(ds.labelNames()).isEqualTo(ObjectClass.displayNames());
        int[] labels = ds.labelIndices();
        for (int i = 0; i < 9; i++) {
            ToySample s = ds.samples().get(i);
            assertThat(labels[i]).isEqualTo(s.label());
            INDArray row = ds.labels().getRow(i);
            assertThat(row.sumNumber().doubleValue()).isEqualTo(1.0);
            assertThat(row.getDouble(s.label())).isEqualTo(1.0);
            assertThat(row.argMax().getInt(0)).isEqualTo(s.label());
            for (int[] p : new int[][] {{0, 0, 0}, {1, 5, 17}, {2, 31, 31}, {0, 16, 3}}) {
                assertThat(ds.features().getFloat(i, p[0], p[1], p[2])).isEqualTo(s.pixel(p[0], p[1], p[2]));
            }
        }
        assertThat(ds.features().minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        assertThat(ds.features().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void facesCanBeLabelledByIdentityOrEmotion() {
        FaceWorld world = new FaceWorld(9, 32, FaceTask.EMOTION);
        ToyDataset byEmotion = world.dataset(0, 14);
        ToyDataset byIdentity = new FaceWorld(9, 32, FaceTask.IDENTITY).dataset(0, 14);
        assertThat(byEmotion.labels().shape()).containsExactly(14, 7);
        assertThat(byIdentity.labels().shape()).containsExactly(14, 8);
        assertThat(byEmotion.features()).isEqualTo(byIdentity.features());
        for (int i = 0; i < 14; i++) {
            assertThat(byEmotion.labels().getRow(i).argMax().getInt(0)).isEqualTo(i % 7);
            assertThat(byIdentity.labels().getRow(i).argMax().getInt(0)).isEqualTo(i % 8);
        }
        // balanced: every emotion column sums to 2
        assertThat(byEmotion.labels().sum(0).toFloatVector()).containsOnly(2f);
    }

    @Test
    void masksAreAlignedWithFeatures() {
        FaceWorld world = new FaceWorld(2, 32, FaceTask.EMOTION);
        ToyDataset ds = world.dataset(0, 4);
        INDArray mouth = ds.masks(FaceWorld.MASK_MOUTH);
        assertThat(mouth.shape()).containsExactly(4, 1, 32, 32);
        for (int i = 0; i < 4; i++) {
            assertThat(mouth.get(NDArrayIndex.point(i)).sumNumber().intValue())
                    .isEqualTo(ds.samples().get(i).mask(FaceWorld.MASK_MOUTH).count());
        }
        assertThatThrownBy(() -> ds.masks("object")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object");
    }

    @Test
    void wrapsAsDl4jDataSet() {
        ToyDataset ds = new ObjectWorld(1, 16).dataset(0, 3);
        DataSet d = ds.toDataSet();
        assertThat(d.getFeatures()).isSameAs(ds.features());
        assertThat(d.getLabels()).isSameAs(ds.labels());
        assertThat(d.numExamples()).isEqualTo(3);
    }

    @Test
    void rejectsInvalidInput() {
        ObjectWorld world = new ObjectWorld(1, 16);
        assertThatThrownBy(() -> ToyDataset.from(world, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count").hasMessageContaining("0");
        assertThatThrownBy(() -> ToyDataset.from(null, 0, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("world");
        assertThatThrownBy(() -> ToyDataset.fromSamples(List.of(), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        List<ToySample> samples = world.batch(0, 6);
        assertThatThrownBy(() -> ToyDataset.fromSamples(samples, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        List<ToySample> mixed = List.of(world.sample(0), new ObjectWorld(1, 32).sample(1));
        assertThatThrownBy(() -> ToyDataset.fromSamples(mixed, ObjectClass.displayNames()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16x16");
    }
}
