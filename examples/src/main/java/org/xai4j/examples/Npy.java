package org.xai4j.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes float32 arrays in the NumPy {@code .npy} format, version 1.0, little-endian {@code '<f4'}, C order. */
final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private Npy() {
    }

    /** The header dictionary for a C-ordered float32 array, e.g. {@code {'descr': '<f4', ...}}. */
    static String headerDict(long... shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    }

    /**
     * Writes {@code data} (row-major) with the given shape.
     *
     * @throws IllegalArgumentException if the shape does not match the data length
     */
    static void write(Path file, float[] data, long... shape) throws IOException {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got "
                    + data.length);
        }
        String dict = headerDict(shape);
        // magic (6) + version (2) + header length (2) + dict + padding + '\n', a multiple of 64
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(total - unpadded)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(total + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC);
        buf.putShort((short) headerBytes.length);
        buf.put(headerBytes);
        buf.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buf.array());
        }
    }
}
