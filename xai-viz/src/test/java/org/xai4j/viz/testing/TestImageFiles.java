package org.xai4j.viz.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/**
 * Image files for tests of image loaders, valid and damaged, written byte by byte where ImageIO cannot write them
 * (a PNG header without pixels, a 10000x10000 PNG streamed without ever holding the image).
 */
public final class TestImageFiles {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private TestImageFiles() {
    }

    /**
     * Bytes allocated so far by this thread, to bound what a loader allocates.
     *
     * @return bytes, or -1 where the JVM cannot tell
     */
    public static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            if (!sun.isThreadAllocatedMemoryEnabled()) {
                sun.setThreadAllocatedMemoryEnabled(true);
            }
            return sun.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * An RGB image of seeded random colors (seed 42).
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @return the image
     */
    public static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /**
     * Encodes an image with ImageIO.
     *
     * @param image  the image
     * @param format an ImageIO format name ({@code png}, {@code jpg}, {@code gif}, {@code bmp})
     * @return the file's bytes
     */
    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(image, format, out)).as("writer for " + format).isTrue();
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The first half of a file: a truncated download.
     *
     * @param full the whole file
     * @return its first half
     */
    public static byte[] half(byte[] full) {
        return Arrays.copyOf(full, full.length / 2);
    }

    /**
     * A PNG signature, an IHDR declaring an 8-bit RGB image of the given size and IEND: no pixel data at all.
     *
     * @param width  the declared width
     * @param height the declared height
     * @return the file's bytes
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(PNG_SIGNATURE);
            writeChunk(out, "IHDR", ihdr(width, height, 2));
            writeChunk(out, "IEND", new byte[0]);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Streams an RGB PNG whose left half is red and right half blue, row by row, so that the test never holds the
     * image (the rows compress to almost nothing).
     *
     * @param out    where to write
     * @param width  width in pixels
     * @param height height in pixels
     * @throws IOException if writing fails
     */
    public static void writeHalfRedHalfBluePng(OutputStream out, int width, int height) throws IOException {
        byte[] row = new byte[1 + 3 * width]; // filter type 0, then RGB triples
        for (int x = 0; x < width; x++) {
            row[1 + 3 * x + (x < width / 2 ? 0 : 2)] = (byte) 0xFF;
        }
        writeRepeatedRowPng(out, width, height, 2, row);
    }

    /**
     * Streams a grayscale PNG whose left half is black and right half white, row by row (grayscale decodes faster
     * than RGB).
     *
     * @param out    where to write
     * @param width  width in pixels
     * @param height height in pixels
     * @throws IOException if writing fails
     */
    public static void writeHalfBlackHalfWhitePng(OutputStream out, int width, int height) throws IOException {
        byte[] row = new byte[1 + width]; // filter type 0, then the pixels
        Arrays.fill(row, 1 + width / 2, row.length, (byte) 0xFF);
        writeRepeatedRowPng(out, width, height, 0, row);
    }

    private static void writeRepeatedRowPng(OutputStream out, int width, int height, int colorType, byte[] row)
            throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(PNG_SIGNATURE);
        writeChunk(data, "IHDR", ihdr(width, height, colorType));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        } finally {
            deflater.end();
        }
        writeChunk(data, "IDAT", compressed.toByteArray());
        writeChunk(data, "IEND", new byte[0]);
        data.flush();
    }

    private static byte[] ihdr(int width, int height, int colorType) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(header);
        data.writeInt(width);
        data.writeInt(height);
        data.write(new byte[] {8, (byte) colorType, 0, 0, 0}); // 8 bits, deflate, no filter, no interlace
        return header.toByteArray();
    }

    private static void writeChunk(DataOutputStream out, String type, byte[] payload) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(payload);
        out.writeInt(payload.length);
        out.write(typeBytes);
        out.write(payload);
        out.writeInt((int) crc.getValue());
    }
}
