package org.xai4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.LayerSelectors;
import org.xai4j.engine.ImageModel;
import org.xai4j.io.OutputFolder;
import org.xai4j.models.ImageClassifier;
import org.xai4j.viz.RgbImage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: it runs, then prints its result as exactly one JSON line on stdout. Out-of-memory
 * errors become failures (exit status 1) with one line, like any other.
 */
abstract class CliCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @ParentCommand
    Xai4j app;

    @Override public final Integer call() throws Exception {
        Map<String, Object> result;
        try {
            result = run();
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("out of memory (" + Xai4j.oneLine(e) + "); give the JVM more with "
                    + "XAI4J_JAVA_OPTS=-Xmx... or use a smaller --internal-batch", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json(result));
        out.flush();
        return 0;
    }

    /**
     * Does the command's work.
     *
     * @return what it wrote, for the JSON line
     */
    abstract Map<String, Object> run() throws Exception;

    /** A progress display for this command (close it). */
    Progress progress() {
        return app.progress(spec);
    }

    static String json(Map<String, Object> result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON: " + e.getMessage(), e);
        }
    }

    /** Refuses an output folder that cannot be written, before any work. */
    static void checkOutput(Path out, boolean force) {
        try {
            OutputFolder.check(out, force);
        } catch (DirectoryNotEmptyException e) {
            throw new UsageException("output folder " + out.toAbsolutePath().normalize()
                    + " exists and is not empty; use --force to replace it");
        } catch (NotDirectoryException e) {
            throw new UsageException("output " + out.toAbsolutePath().normalize() + " exists and is not a folder");
        } catch (IOException e) {
            throw new UsageException("cannot use output folder " + out + ": " + Xai4j.oneLine(e), e);
        }
    }

    /** Opens the output folder (written into a hidden sibling, moved into place by {@code commit}). */
    static OutputFolder openOutput(Path out, boolean force) {
        checkOutput(out, force);
        try {
            return OutputFolder.open(out, force);
        } catch (IOException e) {
            throw new UsageException("cannot create the output folder next to " + out.toAbsolutePath().normalize()
                    + ": " + Xai4j.oneLine(e), e);
        }
    }

    /**
     * Reads an image file as a classifier sees it (shorter side resized, center cropped).
     *
     * @param what how the message names the file, e.g. {@code image} or {@code baseline image}
     * @throws UsageException naming the file and what was expected, if it is missing or cannot be decoded
     */
    static RgbImage readImage(ImageClassifier classifier, Path file, String what) {
        try {
            return classifier.readImage(file);
        } catch (IOException e) {
            // the loader's message already starts with "cannot read image FILE: "
            String problem = Xai4j.oneLine(e).replace("cannot read image " + file + ": ", "");
            throw new UsageException("cannot read " + what + " " + file + ": " + problem, e);
        }
    }

    /** The given layer, checked to be spatial, or the default layer of the CAMs. */
    static String spatialLayer(ImageModel model, String layer) {
        String chosen = layer != null ? layer : LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
        List<String> spatial = LayerSelectors.spatialLayers(model);
        if (!spatial.contains(chosen)) {
            throw new UsageException("unknown layer '" + chosen + "'; the model's spatial layers are "
                    + String.join(", ", spatial));
        }
        return chosen;
    }

    /** A name safe in a file name. */
    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The rounded seconds since {@code startNanos}, for the JSON line. */
    static double secondsSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0;
    }

    /** An image shown large enough to read: small model inputs are enlarged by a whole factor to about 256 pixels. */
    static RgbImage displayed(RgbImage image) {
        int k = Math.max(1, 256 / Math.max(image.height(), image.width()));
        return org.xai4j.viz.transform.ImageTransforms.enlarge(image, k);
    }
}
