package org.xai4j.spark.internal;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.spark.ModelSource;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model as the executors get it: its {@link ModelSource}, the broadcast bytes of its files (for
 * {@link ModelSource.Distribution#BROADCAST}), and an identity key: the source and, for broadcast files, the SHA-256
 * of their bytes, so that a changed file is a different model.
 */
public final class ShippedModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final String key;
    private final Broadcast<Map<String, byte[]>> files;

    private ShippedModel(ModelSource source, String key, Broadcast<Map<String, byte[]>> files) {
        this.source = source;
        this.key = key;
        this.files = files;
    }

    /**
     * Prepares a model on the driver: reads and broadcasts its files where the source says so.
     *
     * @param spark  the Spark context
     * @param source the model
     * @param io     file access with the job's Hadoop configuration
     * @return the shipped model
     * @throws IOException naming the file if a model file cannot be read
     */
    public static ShippedModel prepare(JavaSparkContext spark, ModelSource source, HadoopFiles io) throws IOException {
        if (source.isNamed() || source.distribution() == ModelSource.Distribution.SHARED_PATH) {
            return new ShippedModel(source, source.toString(), null);
        }
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        for (String role : new String[] {"model", "weights", "labels"}) {
            String file = fileOf(source, role);
            if (file != null) {
                byte[] content = io.read(file, HadoopFiles.MAX_MODEL_BYTES);
                bytes.put(role, content);
                digest.update(role.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(content);
            }
        }
        String key = source + "#sha256=" + HexFormat.of().formatHex(digest.digest());
        return new ShippedModel(source, key, spark.broadcast(bytes));
    }

    /**
     * The identity of the model: equal keys load equal models.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * The source.
     *
     * @return the model source
     */
    public ModelSource source() {
        return source;
    }

    /**
     * Loads the model in this JVM: from the broadcast bytes written to a temporary folder (deleted once loaded), from
     * the shared paths, or by name.
     *
     * @return the classifier
     * @throws ModelLoadException naming the model if it cannot be loaded
     * @throws IOException        if the temporary files cannot be written
     */
    ImageClassifier load() throws ModelLoadException, IOException {
        if (source.isNamed()) {
            return source.loader(null, null, null).load();
        }
        if (files == null) {
            return source.loader(localPath(source.source()), localPathOrNull(source.weights()),
                    localPathOrNull(source.labels())).load();
        }
        Path dir = Files.createTempDirectory("xai4j-model-");
        try {
            Map<String, byte[]> bytes = files.value();
            Map<String, Path> written = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
                // each file keeps its name, whose extension tells the loader the format
                Path sub = Files.createDirectories(dir.resolve(e.getKey()));
                Path file = sub.resolve(fileName(fileOf(source, e.getKey())));
                Files.write(file, e.getValue());
                written.put(e.getKey(), file);
            }
            return source.loader(written.get("model"), written.get("weights"), written.get("labels")).load();
        } finally {
            deleteTree(dir);
        }
    }

    private static String fileOf(ModelSource source, String role) {
        return switch (role) {
            case "model" -> source.source();
            case "weights" -> source.weights();
            default -> source.labels();
        };
    }

    /**
     * The last segment of a path or URI: the file name, whose extension tells the loader the format.
     *
     * @param pathOrUri a path or URI
     * @return the name
     */
    public static String fileName(String pathOrUri) {
        return new org.apache.hadoop.fs.Path(pathOrUri).getName();
    }

    private static Path localPathOrNull(String path) {
        return path == null ? null : localPath(path);
    }

    /** A local path from a plain path or a {@code file:} URI. */
    static Path localPath(String path) {
        return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(ShippedModel.class).warn("cannot delete temporary model files in {}: {}",
                    dir, e.getMessage());
        }
    }

    @Override public String toString() {
        return "ShippedModel[" + key + (files == null ? "" : ", broadcast") + "]";
    }
}
