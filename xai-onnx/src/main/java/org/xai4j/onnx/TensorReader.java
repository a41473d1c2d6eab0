package org.xai4j.onnx;

import com.google.protobuf.ByteString;
import org.xai4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.xai4j.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the values of a {@link TensorProto}, from its typed fields, its {@code raw_data} or an external file, checking
 * the declared shape against the bytes actually present before allocating anything: a small file cannot make the
 * importer allocate gigabytes. External data must live inside the model's folder: absolute locations, {@code ..}
 * segments and symbolic links that lead out of the folder are refused.
 */
final class TensorReader {

    /** The most elements one tensor may hold (what a Java array indexes). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Path modelFolder;
    private final String file;
    private final long maxFileBytes;

    TensorReader(Path modelFile, long maxFileBytes) {
        Path parent = modelFile.toAbsolutePath().getParent();
        this.modelFolder = parent;
        this.file = modelFile.toString();
        this.maxFileBytes = maxFileBytes;
    }

    ConstTensor read(TensorProto t) throws OnnxImportException {
        String name = t.getName();
        long[] shape = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getDims(i);
            if (shape[i] < 0) {
                throw error(name, "has a negative dimension " + t.getDimsList());
            }
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw error(name, "declares a shape " + t.getDimsList() + " whose size overflows");
            }
        }
        if (count > MAX_ELEMENTS) {
            throw error(name, "declares " + count + " elements " + t.getDimsList() + "; at most " + MAX_ELEMENTS
                    + " are supported");
        }
        int n = (int) count;
        int type = t.getDataType();
        int width = byteWidth(type, name);
        if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return decode(type, shape, n, external(t, (long) n * width), name);
        }
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() != (long) n * width) {
                throw error(name, "declares shape " + t.getDimsList() + " (" + n + " x " + width + " bytes) but holds "
                        + raw.size() + " bytes of raw data");
            }
            return decode(type, shape, n, raw.asReadOnlyByteBuffer(), name);
        }
        return switch (type) {
            case 1, 10 -> {
                // FLOAT in float_data; FLOAT16 as raw bit patterns in int32_data.
                int present = type == 1 ? t.getFloatDataCount() : t.getInt32DataCount();
                checkCount(name, present, n, t);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = type == 1 ? t.getFloatData(i) : halfToFloat((short) t.getInt32Data(i));
                }
                yield ConstTensor.ofDoubles(shape, v);
            }
            case 11 -> {
                checkCount(name, t.getDoubleDataCount(), n, t);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getDoubleData(i);
                }
                yield ConstTensor.ofDoubles(shape, v);
            }
            case 7 -> {
                checkCount(name, t.getInt64DataCount(), n, t);
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt64Data(i);
                }
                yield ConstTensor.ofLongs(shape, v);
            }
            case 2, 3, 4, 5, 6, 9 -> {
                checkCount(name, t.getInt32DataCount(), n, t);
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt32Data(i);
                }
                yield ConstTensor.ofLongs(shape, v);
            }
            case 12, 13 -> {
                checkCount(name, t.getUint64DataCount(), n, t);
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getUint64Data(i);
                }
                yield ConstTensor.ofLongs(shape, v);
            }
            default -> throw error(name, "has unsupported data type " + type);
        };
    }

    private void checkCount(String name, int present, int expected, TensorProto t) throws OnnxImportException {
        if (present != expected) {
            throw error(name, "declares shape " + t.getDimsList() + " (" + expected + " values) but holds " + present);
        }
    }

    /** Bytes per element of an ONNX data type, for the types the importer reads. */
    private int byteWidth(int type, String name) throws OnnxImportException {
        return switch (type) {
            case 1, 6, 12 -> 4;          // FLOAT, INT32, UINT32
            case 2, 3, 9 -> 1;           // UINT8, INT8, BOOL
            case 4, 5, 10 -> 2;          // UINT16, INT16, FLOAT16
            case 7, 11, 13 -> 8;         // INT64, DOUBLE, UINT64
            default -> throw error(name, "has unsupported data type " + type + " (supported: FLOAT, DOUBLE, FLOAT16, "
                    + "INT8/16/32/64, UINT8/16/32/64, BOOL)");
        };
    }

    private ConstTensor decode(int type, long[] shape, int n, ByteBuffer bytes, String name) throws OnnxImportException {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (type == 1 || type == 10 || type == 11) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (type) {
                    case 1 -> b.getFloat();
                    case 10 -> halfToFloat(b.getShort());
                    default -> b.getDouble();
                };
            }
            return ConstTensor.ofDoubles(shape, v);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case 2, 9 -> Byte.toUnsignedLong(b.get());
                case 3 -> b.get();
                case 4 -> Short.toUnsignedLong(b.getShort());
                case 5 -> b.getShort();
                case 6 -> b.getInt();
                case 12 -> Integer.toUnsignedLong(b.getInt());
                case 7, 13 -> b.getLong();
                default -> throw error(name, "has unsupported data type " + type);
            };
        }
        return ConstTensor.ofLongs(shape, v);
    }

    /** The bytes of an external tensor, after checking that its file lies inside the model folder and holds them. */
    private ByteBuffer external(TensorProto t, long expected) throws OnnxImportException {
        String name = t.getName();
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { }
                }
            } catch (NumberFormatException ex) {
                throw error(name, "has external data " + e.getKey() + " '" + e.getValue() + "', not a number");
            }
        }
        if (location == null || location.isEmpty()) {
            throw error(name, "is stored externally but names no location");
        }
        if (offset < 0 || (length >= 0 && length != expected)) {
            throw error(name, "declares external offset " + offset + " and length " + length + "; expected offset >= 0 and "
                    + "length " + expected + " for its shape " + t.getDimsList());
        }
        Path relative;
        try {
            relative = Path.of(location);
        } catch (RuntimeException e) {
            throw error(name, "has an invalid external-data location '" + location + "'");
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw error(name, "has an absolute external-data location '" + location + "'; only paths inside the model's "
                    + "folder are allowed");
        }
        for (Path segment : relative) {
            if (segment.toString().equals("..")) {
                throw error(name, "has an external-data location '" + location + "' with a '..' segment; only paths "
                        + "inside the model's folder are allowed");
            }
        }
        Path resolved = modelFolder.resolve(relative).normalize();
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS) && !Files.exists(resolved)) {
            throw error(name, "refers to external data '" + location + "', which does not exist next to the model ("
                    + resolved + ")");
        }
        Path real;
        Path folder;
        try {
            real = resolved.toRealPath();
            folder = modelFolder.toRealPath();
        } catch (IOException e) {
            throw error(name, "refers to external data '" + location + "', which cannot be resolved: " + e.getMessage());
        }
        if (!real.startsWith(folder)) {
            throw error(name, "refers to external data '" + location + "', which leads out of the model's folder " + folder
                    + " (to " + real + ")");
        }
        if (!Files.isRegularFile(real)) {
            throw error(name, "refers to external data '" + location + "', which is not a regular file");
        }
        try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxFileBytes) {
                throw error(name, "refers to external data '" + location + "' of " + size + " bytes, more than the limit of "
                        + maxFileBytes);
            }
            if (offset > size || size - offset < expected) {
                throw error(name, "needs " + expected + " bytes at offset " + offset + " of external data '" + location
                        + "', which holds only " + size + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) expected);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw error(name, "external data '" + location + "' ended early");
                }
            }
            return buffer.flip();
        } catch (IOException e) {
            throw error(name, "cannot read external data '" + location + "': " + e.getMessage());
        }
    }

    private OnnxImportException error(String tensor, String what) {
        return new OnnxImportException("ONNX file " + file + ": tensor '" + tensor + "' " + what);
    }

    /** IEEE 754 binary16 bits to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f;
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Math.scalb(1 + mantissa / 1024f, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }
}
