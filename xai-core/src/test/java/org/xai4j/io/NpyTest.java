package org.xai4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The fixtures under {@code src/test/resources/org/xai4j/io} were written by NumPy 1.24 with
 * {@code /usr/bin/python3 make_fixtures.py} (in that folder); their values are {@code flat index * 0.25 - 3}.
 */
class NpyTest {

    @TempDir
    Path tmp;

    private static INDArray ramp(DataType type, long... shape) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25 - 3;
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static INDArray readResource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            return Npy.read(in, name);
        }
    }

    @Test
    void readsCOrderFloat32WrittenByNumpy() throws IOException {
        INDArray a = readResource("c_float32_2x3x4.npy");
        assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(a.ordering()).isEqualTo('c');
        assertAllClose(a, ramp(DataType.FLOAT, 2, 3, 4), 0, 0);
    }

    @Test
    void readsFortranOrderFloat64AsTheSameLogicalArray() throws IOException {
        INDArray a = readResource("fortran_float64_3x5.npy");
        assertThat(a.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(a.ordering()).isEqualTo('c');
        assertAllClose(a, ramp(DataType.DOUBLE, 3, 5), 0, 0);
    }

    @Test
    void readsBigEndianAndZeroDimensionalArrays() throws IOException {
        assertAllClose(readResource("bigendian_float32_7.npy"), ramp(DataType.FLOAT, 7), 0, 0);
        INDArray scalar = readResource("scalar_float64.npy");
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.getDouble(0)).isEqualTo(2.5);
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        Path file = tmp.resolve("a.npy");
        Npy.write(file, ramp(DataType.FLOAT, 2, 3, 4));
        assertThat(Files.readAllBytes(file)).isEqualTo(resource("c_float32_2x3x4.npy"));
        Npy.write(file, ramp(DataType.FLOAT, 7));
        // same values, little-endian: only the descr differs from the big-endian fixture
        byte[] bigEndian = resource("bigendian_float32_7.npy");
        byte[] written = Files.readAllBytes(file);
        assertThat(written).hasSameSizeAs(bigEndian);
        assertThat(new String(written, 0, 64, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(bigEndian, 0, 64, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'>f4'", "'<f4'"));
    }

    @Test
    void roundTripsFloatAndDoubleArraysOfAnyRankAndViews() throws IOException {
        Path file = tmp.resolve("b.npy");
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        Npy.write(file, doubles);
        INDArray back = Npy.read(file);
        assertThat(back.dataType()).isEqualTo(DataType.DOUBLE);
        assertAllClose(back, doubles, 0, 0);

        INDArray view = ramp(DataType.FLOAT, 4, 6).transpose(); // an 'f'-strided view
        Npy.write(file, view);
        assertAllClose(Npy.read(file), view.dup('c'), 0, 0);

        INDArray scalar = Nd4j.scalar(-1.5f);
        Npy.write(file, scalar);
        assertThat(Npy.read(file).getFloat(0)).isEqualTo(-1.5f);
    }

    @Test
    void headerIsPaddedToSixtyFourBytes() {
        for (long[] shape : new long[][] {{}, {5}, {1, 2, 3}, {100000, 100000, 3, 7, 11, 13, 17}}) {
            byte[] header = Npy.header("<f4", shape);
            assertThat(header.length % 64).as(Arrays.toString(shape)).isZero();
            assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
        }
        assertThat(new String(Npy.header("<f4", new long[] {5}), java.nio.charset.StandardCharsets.US_ASCII))
                .contains("'shape': (5,), }");
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("c.npy");
        Files.writeString(file, "old");
        Npy.write(file, ramp(DataType.DOUBLE, 3));
        assertAllClose(Npy.read(file), ramp(DataType.DOUBLE, 3), 0, 0);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("c.npy");
        }
    }

    @Test
    void badInputNamesTheFileAndWhatWasExpected() throws IOException {
        assertThatThrownBy(() -> Npy.write(tmp.resolve("d.npy"), Nd4j.createFromArray(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT").hasMessageContaining("FLOAT");
        assertThatThrownBy(() -> Npy.write(null, Nd4j.ones(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Npy.read(tmp.resolve("missing.npy"))).isInstanceOf(NoSuchFileException.class);

        Path text = tmp.resolve("text.npy");
        Files.writeString(text, "hello, world");
        assertThatThrownBy(() -> Npy.read(text)).isInstanceOf(IOException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("magic");

        Path ints = tmp.resolve("ints.npy");
        Files.write(ints, resource("int32_2.npy"));
        assertThatThrownBy(() -> Npy.read(ints)).hasMessageContaining("'<i4'").hasMessageContaining("float32");

        Path truncated = tmp.resolve("truncated.npy");
        byte[] full = resource("c_float32_2x3x4.npy");
        Files.write(truncated, Arrays.copyOf(full, full.length - 5));
        assertThatThrownBy(() -> Npy.read(truncated)).hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated");
    }
}
