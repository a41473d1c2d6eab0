package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {

    @TempDir
    Path tmp;

    @Test
    void writesAVersion1LittleEndianFloat32Array() throws IOException {
        float[] data = {1f, -2.5f, 3f, 4f, 5f, 6f};
        Path file = tmp.resolve("a.npy");
        Npy.write(file, data, 2, 3);
        assertThat(ExplainTest.readNpy(file, 2, 3)).containsExactly(data);
    }

    @Test
    void oneDimensionalShapesHaveATrailingComma() {
        assertThat(Npy.headerDict(5)).isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }");
    }

    @Test
    void nd4jReadsItBack() throws IOException {
        float[] data = new float[4 * 5 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        Path file = tmp.resolve("b.npy");
        Npy.write(file, data, 4, 5, 3);
        INDArray read = Nd4j.createFromNpyFile(file.toFile());
        assertThat(read.shape()).containsExactly(4, 5, 3);
        assertThat(read.getFloat(1, 2, 1)).isEqualTo(data[1 * 15 + 2 * 3 + 1]);
    }

    @Test
    void rejectsAShapeThatDoesNotMatch() {
        assertThatThrownBy(() -> Npy.write(tmp.resolve("c.npy"), new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
