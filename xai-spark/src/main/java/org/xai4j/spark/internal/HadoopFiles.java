package org.xai4j.spark.internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.io.Npy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.UUID;

/**
 * Reads and writes files of any Hadoop file system (local, HDFS, S3, ...) with the job's Hadoop configuration, which
 * travels to the executors with this object.
 */
public final class HadoopFiles implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The largest image file read into memory: larger ones are reported, not read. */
    public static final long MAX_IMAGE_BYTES = 512L << 20;

    /** The largest model file read into memory (the largest Java array). */
    public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private transient Configuration conf;

    /**
     * Wraps a configuration.
     *
     * @param conf the job's Hadoop configuration (copied)
     */
    public HadoopFiles(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public Configuration conf() {
        return conf;
    }

    /**
     * Reads a whole file.
     *
     * @param path     a path or URI
     * @param maxBytes the largest size read
     * @return its bytes
     * @throws IOException naming the file if it is missing, a directory, too large or unreadable
     */
    public byte[] read(String path, long maxBytes) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        org.apache.hadoop.fs.FileStatus status = fs.getFileStatus(p);
        long length = status.getLen();
        if (status.isDirectory()) {
            throw new IOException(path + " is a directory; expected a file");
        }
        if (length > maxBytes) {
            throw new IOException(path + " has " + length + " bytes; files over " + maxBytes + " bytes are not read");
        }
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }

    /**
     * Writes an array as a {@code .npy} file so that the file appears complete or not at all: directly with
     * {@link Npy#write} on a local file system, else through a local temporary file copied next to the target under a
     * hidden name and renamed.
     *
     * @param dir   the folder (created if missing)
     * @param name  the file name
     * @param array a FLOAT or DOUBLE array
     * @throws IOException if writing fails
     */
    public void writeNpy(String dir, String name, INDArray array) throws IOException {
        Path folder = new Path(dir);
        FileSystem fs = folder.getFileSystem(conf);
        fs.mkdirs(folder);
        Path target = new Path(folder, name);
        if (fs instanceof LocalFileSystem local) {
            Npy.write(local.pathToFile(target).toPath(), array);
            return;
        }
        java.nio.file.Path local = Files.createTempFile("xai4j-", ".npy");
        try {
            Npy.write(local, array);
            Path hidden = new Path(folder, "." + name + "." + UUID.randomUUID() + ".tmp");
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), hidden);
            fs.delete(target, false);
            if (!fs.rename(hidden, target)) {
                fs.delete(hidden, false);
                throw new IOException("cannot move " + hidden + " to " + target);
            }
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
