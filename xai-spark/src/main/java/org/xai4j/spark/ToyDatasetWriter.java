package org.xai4j.spark;

import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.Mask;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToySample;
import org.xai4j.models.toy.ToyWorld;
import org.xai4j.spark.internal.Options;
import org.xai4j.viz.io.PngWriter;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Writes images of a toy world to a folder as a dataset {@link DatasetExplainer} reads: {@code images/*.png},
 * {@code masks/*.png} (white inside the ground-truth region) and {@code images.csv} with the columns {@code path},
 * {@code label} (class index) and {@code mask}. The folder is written under a hidden sibling name and moved into
 * place when complete.
 *
 * <pre>
 * java ... org.xai4j.spark.ToyDatasetWriter --world object --count 200 --out /tmp/toy-objects
 * </pre>
 * Options: {@code --world object|face|emotion} (the worlds of {@code toy:object}, {@code toy:face},
 * {@code toy:emotion}), {@code --count N} (default 200), {@code --from INDEX} (default the held-out test range,
 * {@link ToyModels#TEST_START}), {@code --mask REGION} (default the world's first region: {@code object} or
 * {@code face}), {@code --out DIR} (required, must not exist).
 */
public final class ToyDatasetWriter {

    /** The table of a written dataset. */
    public static final String TABLE = "images.csv";

    private ToyDatasetWriter() { }

    /**
     * Writes samples {@code from .. from + count - 1} of a world.
     *
     * @param world      the world
     * @param from       the first sample index
     * @param count      how many samples
     * @param maskRegion a region of {@link ToyWorld#maskRegions()}, or null for no masks
     * @param dir        the folder to create; it must not exist
     * @return the table file
     * @throws IOException              if the folder exists or cannot be written
     * @throws IllegalArgumentException if the region is not one of the world's
     */
    public static Path write(ToyWorld world, long from, int count, String maskRegion, Path dir) throws IOException {
        Objects.requireNonNull(world, "world must not be null");
        Objects.requireNonNull(dir, "dir must not be null");
        if (maskRegion != null && !world.maskRegions().contains(maskRegion)) {
            throw new IllegalArgumentException("unknown mask region '" + maskRegion + "'; this world has "
                    + world.maskRegions());
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "the dataset folder exists");
        }
        Path parent = Files.createDirectories(target.getParent());
        Path staging = parent.resolve("." + target.getFileName() + ".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging.resolve("images"));
            Files.createDirectories(staging.resolve("masks"));
            List<String> lines = new ArrayList<>();
            lines.add("path,label" + (maskRegion == null ? "" : ",mask"));
            for (long i = from; i < from + count; i++) {
                ToySample s = world.sample(i);
                String name = "sample-" + i + ".png";
                PngWriter.write(s.toBufferedImage(), staging.resolve("images").resolve(name));
                String line = target.resolve("images").resolve(name) + "," + s.label();
                if (maskRegion != null) {
                    String maskName = "sample-" + i + "-" + maskRegion + ".png";
                    PngWriter.write(maskImage(s.mask(maskRegion)), staging.resolve("masks").resolve(maskName));
                    line += "," + target.resolve("masks").resolve(maskName);
                }
                lines.add(line);
            }
            Files.write(staging.resolve(TABLE), lines, StandardCharsets.UTF_8);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target.resolve(TABLE);
        } catch (IOException | RuntimeException e) {
            try (var all = Files.walk(staging)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: the staging folder is hidden and named as such
            }
            throw e;
        }
    }

    /** A mask as a black and white image. */
    static BufferedImage maskImage(Mask mask) {
        BufferedImage image = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                image.getRaster().setSample(x, y, 0, mask.get(y, x) ? 255 : 0);
            }
        }
        return image;
    }

    /**
     * The world a toy model was trained on.
     *
     * @param name {@code object}, {@code face} or {@code emotion}
     * @return the world
     * @throws IllegalArgumentException for another name
     */
    public static ToyWorld world(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "object" -> ToyModels.objectWorld();
            case "face" -> ToyModels.faceWorld(FaceTask.IDENTITY);
            case "emotion" -> ToyModels.faceWorld(FaceTask.EMOTION);
            default -> throw new IllegalArgumentException("unknown toy world '" + name + "'; expected object, face or "
                    + "emotion");
        };
    }

    /**
     * Writes a toy dataset from the command line and prints the table's path.
     *
     * @param args the options of the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args, Set.of("world", "count", "from", "mask", "out"), Set.of());
            ToyWorld world = world(o.get("world", "object"));
            int count = o.intValue("count", 200, 1, 10_000_000);
            long from = Long.parseLong(o.get("from", Long.toString(ToyModels.TEST_START)));
            String mask = o.get("mask", world.maskRegions().get(0));
            out.println(write(world, from, count, mask, Path.of(o.require("out"))));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("toy-dataset: " + e.getMessage());
            return 2;
        }
    }
}
