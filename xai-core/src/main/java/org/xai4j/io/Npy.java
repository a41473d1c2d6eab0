package org.xai4j.io;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and writes ND4J arrays as NumPy {@code .npy} files (the format of {@code numpy.save} and {@code numpy.load},
 * <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>).
 *
 * <p>Written files are version 1.0 (2.0 when the header needs more than 65535 bytes), little-endian {@code '<f4'}
 * (float32) or {@code '<f8'} (float64) as the array's type, in C (row-major) order, with the header padded with
 * spaces and a newline to a multiple of 64 bytes, as NumPy does. A file is written next to its target and moved into
 * place when complete, so a failure never leaves a partial file.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, float32 and float64 in either byte order ({@code '<'}, {@code '>'},
 * {@code '='}, {@code '|'}) and both C and Fortran order; the result is a C-ordered array of the file's type.
 * Unlike {@link Nd4j#createFromNpyFile}, a malformed file fails with an {@link IOException} naming the file and what
 * was expected.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() { }

    /**
     * Writes an array, replacing any existing file.
     *
     * @param file  the target file, conventionally ending in {@code .npy}; its folder must exist
     * @param array a FLOAT or DOUBLE array of any shape (a view is copied in C order first)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the array is neither FLOAT nor DOUBLE
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path file, INDArray array) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(array, "array must not be null");
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("array has data type " + type + "; expected FLOAT or DOUBLE (cast it "
                    + "with castTo)");
        }
        byte[] header = header(type == DataType.FLOAT ? "<f4" : "<f8", array.shape());
        long count = array.length();
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(count * type.width())).order(ByteOrder.LITTLE_ENDIAN);
        INDArray c = array.dup('c');
        if (type == DataType.FLOAT) {
            data.asFloatBuffer().put(c.data().asFloat());
        } else {
            data.asDoubleBuffer().put(c.data().asDouble());
        }
        writeAtomically(file, header, data.array());
    }

    /**
     * Reads an array.
     *
     * @param file a {@code .npy} file holding float32 or float64 values
     * @return a C-ordered FLOAT or DOUBLE array of the file's shape (a 0-d file gives a scalar)
     * @throws NullPointerException if {@code file} is null
     * @throws NoSuchFileException  if the file does not exist
     * @throws IOException          naming the file, if it is not an {@code .npy} file, is truncated, or holds
     *                              another data type
     */
    public static INDArray read(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "npy file does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an array from a stream, e.g. a classpath resource; the stream is read to the end of the array, not closed.
     *
     * @param in         the {@code .npy} data
     * @param sourceName a name for error messages
     * @return a C-ordered FLOAT or DOUBLE array
     * @throws NullPointerException if an argument is null
     * @throws IOException          naming the source, if the data is malformed or truncated
     */
    public static INDArray read(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(sourceName, "sourceName must not be null");
        byte[] prefix = readFully(in, MAGIC.length + 2, sourceName, "the magic string and version");
        if (!Arrays.equals(Arrays.copyOf(prefix, MAGIC.length), MAGIC)) {
            throw malformed(sourceName, "it does not start with the magic string \\x93NUMPY");
        }
        int major = prefix[MAGIC.length];
        int lengthBytes = major == 1 ? 2 : major == 2 || major == 3 ? 4 : -1;
        if (lengthBytes < 0) {
            throw malformed(sourceName, "format version " + major + "." + prefix[MAGIC.length + 1]
                    + " is not one of 1.0, 2.0, 3.0");
        }
        ByteBuffer length = ByteBuffer.wrap(readFully(in, lengthBytes, sourceName, "the header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lengthBytes == 2 ? Short.toUnsignedInt(length.getShort()) : Integer.toUnsignedLong(length.getInt());
        if (headerLength > 1 << 24) {
            throw malformed(sourceName, "its header claims " + headerLength + " bytes");
        }
        String dict = new String(readFully(in, (int) headerLength, sourceName, "the header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, dict, sourceName, "descr");
        boolean fortran = group(FORTRAN, dict, sourceName, "fortran_order").equals("True");
        long[] shape = parseShape(group(SHAPE, dict, sourceName, "shape"), sourceName);

        DataType type = switch (descr.length() == 3 ? descr.substring(1) : descr) {
            case "f4" -> DataType.FLOAT;
            case "f8" -> DataType.DOUBLE;
            default -> throw malformed(sourceName, "it holds '" + descr + "' values; expected float32 ('<f4') or "
                    + "float64 ('<f8')");
        };
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN
                : descr.startsWith("=") ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count * type.width() > Integer.MAX_VALUE - 8) {
            throw malformed(sourceName, "its shape " + Arrays.toString(shape) + " is too large for one array");
        }
        ByteBuffer data = ByteBuffer.wrap(readFully(in, (int) (count * type.width()), sourceName,
                count + " values of shape " + Arrays.toString(shape))).order(order);
        INDArray array;
        if (type == DataType.FLOAT) {
            float[] values = new float[(int) count];
            data.asFloatBuffer().get(values);
            array = shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, fortran ? 'f' : 'c');
        } else {
            double[] values = new double[(int) count];
            data.asDoubleBuffer().get(values);
            array = shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, fortran ? 'f' : 'c');
        }
        return array.ordering() == 'c' ? array : array.dup('c');
    }

    /** The header, magic to newline, for a C-ordered array of {@code descr} values. */
    static byte[] header(String descr, long[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int lengthBytes = MAGIC.length + 2 + 2 + dict.length() + 1 > 65535 ? 4 : 2;
        int unpadded = MAGIC.length + 2 + lengthBytes + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] text = (dict + " ".repeat(total - unpadded) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) (lengthBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lengthBytes == 2) {
            header.putShort((short) text.length);
        } else {
            header.putInt(text.length);
        }
        header.put(text);
        return header.array();
    }

    private static void writeAtomically(Path file, byte[] header, byte[] data) throws IOException {
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 var out = Channels.newOutputStream(channel)) {
                out.write(header);
                out.write(data);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static long[] parseShape(String dims, String source) throws IOException {
        List<Long> shape = new ArrayList<>();
        for (String d : dims.split(",")) {
            if (d.isBlank()) {
                continue;
            }
            try {
                long v = Long.parseLong(d.strip().replaceFirst("[lL]$", ""));
                if (v < 0) {
                    throw new NumberFormatException();
                }
                shape.add(v);
            } catch (NumberFormatException e) {
                throw malformed(source, "its shape (" + dims + ") is not a tuple of non-negative integers");
            }
        }
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    private static String group(Pattern pattern, String dict, String source, String key) throws IOException {
        Matcher m = pattern.matcher(dict);
        if (!m.find()) {
            throw malformed(source, "its header " + dict.strip() + " has no valid '" + key + "' entry");
        }
        return m.group(1);
    }

    private static byte[] readFully(InputStream in, int n, String source, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw malformed(source, "it ends after " + bytes.length + " of the " + n + " bytes of " + what
                    + " (truncated)");
        }
        return bytes;
    }

    private static IOException malformed(String source, String problem) {
        return new IOException(String.format(Locale.ROOT, "cannot read npy file %s: %s; expected a NumPy .npy file "
                + "of float32 or float64 values", source, problem));
    }
}
