package org.xai4j.models.keras;

import org.xai4j.models.ModelLoadException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Checks that a file is a complete HDF5 file by reading its signature and superblock, before HDF5 opens it. */
final class Hdf5Files {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final long MAX_USER_BLOCK = 1L << 20;

    private Hdf5Files() { }

    /** Throws unless {@code file} is a regular, readable file. */
    static void checkReadable(Path file, String what) throws ModelLoadException {
        if (!Files.exists(file)) {
            throw new ModelLoadException(what + " " + file.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(what + " " + file.toAbsolutePath() + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException(what + " " + file.toAbsolutePath() + " is not readable");
        }
    }

    /**
     * Checks the HDF5 signature (at offset 0 or a user-block offset 512, 1024, ...) and that the file is as long as
     * the end-of-file address its superblock records.
     */
    static void checkHdf5(Path file) throws ModelLoadException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long offset = findSignature(channel, size);
            if (offset < 0) {
                throw new ModelLoadException(file.toAbsolutePath() + " is not an HDF5 file (no HDF5 signature; "
                        + size + " bytes); expected a Keras .h5 file written by model.save or model.save_weights");
            }
            ByteBuffer header = read(channel, offset, 64);
            if (header.limit() < 16) {
                throw new ModelLoadException(file.toAbsolutePath() + " is truncated: its " + size + " bytes end inside "
                        + "the HDF5 superblock (an interrupted download or copy?); expected a complete Keras .h5 file");
            }
            int version = header.get(8) & 0xff;
            int offsetsSize;
            int eofPosition;
            if (version == 0 || version == 1) {
                offsetsSize = header.get(13) & 0xff;
                eofPosition = (version == 0 ? 24 : 28) + 2 * offsetsSize;
            } else if (version == 2 || version == 3) {
                offsetsSize = header.get(9) & 0xff;
                eofPosition = 12 + 2 * offsetsSize;
            } else {
                return; // unknown superblock version: let HDF5 decide
            }
            if ((offsetsSize == 8 || offsetsSize == 4) && header.limit() < eofPosition + offsetsSize) {
                throw new ModelLoadException(file.toAbsolutePath() + " is truncated: its " + size + " bytes end inside "
                        + "the HDF5 superblock (an interrupted download or copy?); expected a complete Keras .h5 file");
            }
            if (offsetsSize != 8 && offsetsSize != 4) {
                throw new ModelLoadException(file.toAbsolutePath() + " has a damaged HDF5 superblock (" + size
                        + " bytes); expected a Keras .h5 file written by model.save or model.save_weights");
            }
            long base = offsetsSize == 8 ? header.getLong(eofPosition - 2 * offsetsSize)
                    : header.getInt(eofPosition - 2 * offsetsSize) & 0xffffffffL;
            long eof = offsetsSize == 8 ? header.getLong(eofPosition) : header.getInt(eofPosition) & 0xffffffffL;
            if (eof == -1L || offsetsSize == 4 && eof == 0xffffffffL) {
                return;
            }
            long needed = base + eof;
            if (size < needed) {
                throw new ModelLoadException(file.toAbsolutePath() + " is truncated: its HDF5 superblock records "
                        + needed + " bytes but the file has " + size + " (an interrupted download or copy?)");
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static long findSignature(FileChannel channel, long size) throws IOException {
        for (long offset = 0; offset + SIGNATURE.length <= size && offset <= MAX_USER_BLOCK;
             offset = offset == 0 ? 512 : offset * 2) {
            ByteBuffer b = read(channel, offset, SIGNATURE.length);
            boolean match = b.limit() == SIGNATURE.length;
            for (int i = 0; match && i < SIGNATURE.length; i++) {
                match = b.get(i) == SIGNATURE[i];
            }
            if (match) {
                return offset;
            }
        }
        return -1;
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        return b;
    }
}
