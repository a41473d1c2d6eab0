package org.xai4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xai4j.models.dl4j.ModelZipSource;
import org.xai4j.models.keras.Hdf5Access;
import org.xai4j.models.keras.KerasH5Source;
import org.xai4j.models.zoo.ZooVggSource;

/**
 * The corrupt-input matrix of issue #7 for the model loaders: every broken or mismatched file raises a
 * {@link ModelLoadException} whose message names the file and says what was wrong or expected, and the file is left
 * as it was.
 *
 * <p>Keras files come from the committed fixtures ({@code src/test/python/make_keras_fixtures.py}): the missing kernel
 * and the truncated file are committed; the other damaged variants are made here from copies, by cutting bytes,
 * unlinking HDF5 objects through the bytedeco HDF5 bindings DL4J ships, or editing the architecture JSON.
 */
class CorruptModelFileTest {

    /** Holds a sub-folder per case. */
    @TempDir
    static Path dir;
    static Path functional;
    static Path weightsOnly;
    static Path json;
    static String jsonText;
    static Path modelZip;

    @BeforeAll
    static void fixtures() throws IOException {
        functional = TestData.kerasFixture("mini_vgg16_functional.h5");
        weightsOnly = TestData.kerasFixture("mini_vgg16_weights_only.h5");
        json = TestData.kerasFixture("mini_vgg16_functional.json");
        jsonText = Files.readString(json, StandardCharsets.UTF_8);
        modelZip = dir.resolve("tiny-mln.zip");
        ModelSerializer.writeModel(TestData.tinyMultiLayerNetwork(3), modelZip.toFile(), false);
    }

    @AfterEach
    void resetZooDirectory() {
        DL4JResources.resetBaseDirectoryLocation();
    }

    /** Builds the damaged file(s) of a case and the source that loads them. */
    interface Setup {
        Loading create(Path caseDir) throws Exception;
    }

    /** What to load, and the file the message must name. */
    record Loading(Load load, Path blamed) {
    }

    /** A model load that is expected to fail. */
    interface Load {
        Object load() throws ModelLoadException;
    }

    /** One corrupt input: how to make it and the phrases its message must contain besides the file. */
    record Case(String name, Setup setup, List<String> phrases) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case keras(String name, String fileName, FileMaker maker, String... phrases) {
        return new Case(name, caseDir -> {
            Path file = maker.make(caseDir.resolve(fileName));
            return new Loading(() -> KerasH5Source.builder().setFile(file).build().load(), file);
        }, List.of(phrases));
    }

    private static Case kerasJson(String name, FileMaker jsonMaker, FileMaker weightsMaker, boolean blameJson,
                                  String... phrases) {
        return new Case(name, caseDir -> {
            Path modelJson = jsonMaker.make(caseDir.resolve("model.json"));
            Path weights = weightsMaker.make(caseDir.resolve("weights.h5"));
            return new Loading(() -> KerasH5Source.builder().setFile(modelJson).optWeights(weights).build().load(), blameJson ? modelJson : weights);
        }, List.of(phrases));
    }

    private static Case zip(String name, String fileName, FileMaker maker, String... phrases) {
        return new Case(name, caseDir -> {
            Path file = maker.make(caseDir.resolve(fileName));
            return new Loading(() -> ModelZipSource.builder().setFile(file).build().load(), file);
        }, List.of(phrases));
    }

    private static Case adapter(String name, String fixture, VggAdapter.Builder builder, String... phrases) {
        return new Case(name, caseDir -> {
            Path file = Files.copy(TestData.kerasFixture(fixture), caseDir.resolve(fixture));
            return new Loading(() -> builder.setSource(KerasH5Source.builder().setFile(file).build()).build().load(), file);
        }, List.of(phrases));
    }

    /** Writes a file (a model, weights or architecture JSON) at the given path and returns it. */
    interface FileMaker {
        Path make(Path target) throws Exception;
    }

    static FileMaker bytes(byte[] content) {
        return target -> Files.write(target, content);
    }

    static FileMaker copyOf(Path source) {
        return target -> Files.copy(source, target);
    }

    static FileMaker cut(Path source, int length) {
        return target -> Files.write(target, Arrays.copyOf(Files.readAllBytes(source), length));
    }

    static FileMaker cutBy(Path source, int missing) {
        return target -> {
            byte[] all = Files.readAllBytes(source);
            return Files.write(target, Arrays.copyOf(all, all.length - missing));
        };
    }

    /** A copy of {@code source} with the HDF5 objects at {@code paths} unlinked. */
    static FileMaker without(Path source, String... paths) {
        return target -> {
            Files.copy(source, target);
            unlink(target, paths);
            return target;
        };
    }

    /** The fixture's architecture JSON with {@code from} replaced by {@code to} (which must occur). */
    static FileMaker jsonWith(String from, String to) {
        return target -> {
            assertThat(jsonText).as("fixture JSON").contains(from);
            return Files.writeString(target, jsonText.replace(from, to), StandardCharsets.UTF_8);
        };
    }

    static FileMaker jsonText(String text) {
        return target -> Files.writeString(target, text, StandardCharsets.UTF_8);
    }

    static FileMaker theJson() {
        return target -> Files.copy(json, target);
    }

    static Stream<Case> corruptModels() {
        String block4 = "\"name\": \"block4_conv1\", \"trainable\": true, \"dtype\": \"float32\", \"filters\": ";
        return Stream.of(
                // Keras full-model files
                keras("zero-byte .h5", "empty.h5", bytes(new byte[0]),
                        "is not an HDF5 file (no HDF5 signature; 0 bytes)", "expected a Keras .h5 file"),
                keras("text renamed .h5", "notes.h5", bytes("weights: see README\n".getBytes(StandardCharsets.UTF_8)),
                        "is not an HDF5 file", "expected a Keras .h5 file"),
                keras("PNG renamed .h5", "photo.h5", bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10,
                        0, 0, 0, 13, 'I', 'H', 'D', 'R'}), "is not an HDF5 file", "expected a Keras .h5 file"),
                keras("DL4J zip renamed .h5", "model.h5", target -> Files.copy(modelZip, target),
                        "is not an HDF5 file", "expected a Keras .h5 file"),
                keras("HDF5 signature only (8 bytes)", "cut8.h5", cut(functional, 8),
                        "is truncated: its 8 bytes end inside the HDF5 superblock", "expected a complete Keras .h5"),
                keras("cut inside the superblock (40 bytes)", "cut40.h5", cut(functional, 40),
                        "is truncated: its 40 bytes end inside the HDF5 superblock"),
                keras("committed truncated fixture (16384 bytes)", "mini_vgg16_truncated.h5",
                        copyOf(TestData.kerasFixture("mini_vgg16_truncated.h5")),
                        "is truncated: its HDF5 superblock records 103712 bytes but the file has 16384"),
                keras("last byte missing", "cut-1.h5", cutBy(functional, 1),
                        "is truncated: its HDF5 superblock records 103712 bytes but the file has 103711"),
                keras("committed fixture without a kernel", "mini_vgg16_missing_weight.h5",
                        copyOf(TestData.kerasFixture("mini_vgg16_missing_weight.h5")),
                        "layer 'block4_conv2' (Conv2D) is missing its kernel weights",
                        "expected datasets like model_weights/block4_conv2/block4_conv2/kernel:0"),
                keras("bias dataset unlinked", "no-bias.h5", without(functional, "model_weights/fc1/fc1/bias:0"),
                        "layer 'fc1' (Dense) is missing its bias weights", "model_weights/fc1/fc1/bias:0"),
                keras("kernel and bias unlinked", "no-weights.h5", without(functional,
                        "model_weights/block1_conv1/block1_conv1/kernel:0",
                        "model_weights/block1_conv1/block1_conv1/bias:0"),
                        "layer 'block1_conv1' (Conv2D) is missing its kernel and bias weights"),
                keras("layer group unlinked", "no-group.h5", without(functional, "model_weights/predictions"),
                        "layer 'predictions' (Dense) has no weights: the file has no group model_weights/predictions"),
                keras("weights-only file as a full model", "weights.h5", copyOf(weightsOnly),
                        "has no model_config attribute: it is a weights-only file",
                        "KerasH5Source.builder().setFile(modelJson).optWeights(weightsH5).build()"),
                // Keras architecture JSON + weights file
                kerasJson("weights file without a kernel", theJson(),
                        without(weightsOnly, "block5_conv3/block5_conv3/kernel:0"), false,
                        "layer 'block5_conv3' (Conv2D) is missing its kernel weights"),
                kerasJson("full model file as the weights file", theJson(), copyOf(functional), false,
                        "is a full model file", "load it alone with KerasH5Source.builder().setFile(modelH5).build()"),
                kerasJson("JSON of a wider block 4 (different architecture)", jsonWith(block4 + "8", block4 + "12"),
                        copyOf(weightsOnly), false,
                        "layer 'block4_conv1' (Conv2D) has a kernel of shape [3, 3, 8, 8]",
                        "expects [3, 3, 8, 12]", "the weights belong to a different architecture"),
                kerasJson("JSON with other dense widths (different architecture)",
                        jsonWith("\"units\": 32", "\"units\": 16"), copyOf(weightsOnly), false,
                        "layer 'fc1' (Dense) has a kernel of shape [16, 32]", "expects [16, 16]",
                        "different architecture"),
                kerasJson("JSON with another input size (different architecture)",
                        jsonWith("[null, 64, 34, 3]", "[null, 32, 34, 3]"), copyOf(weightsOnly), false,
                        "layer 'fc1' (Dense) has a kernel of shape [16, 32]", "expects [8, 32]"),
                kerasJson("truncated JSON", target -> Files.writeString(target,
                        jsonText.substring(0, jsonText.length() / 2)), copyOf(weightsOnly), true,
                        "does not hold valid Keras model JSON"),
                kerasJson("zero-byte JSON", jsonText(""), copyOf(weightsOnly), true,
                        "is not a Keras model configuration (expected a JSON object with class_name and config)"),
                kerasJson("JSON of something else", jsonText("{\"class_name\": \"Tokenizer\", \"config\": {}}"),
                        copyOf(weightsOnly), true,
                        "describes a 'Tokenizer' model; expected a Keras Functional (Model) or Sequential model"),
                // Keras files of a different architecture, loaded through the VGG adapters
                adapter("wider block 4, no block5_conv3, as VGG16", "mini_vgg16_wrong_architecture.h5",
                        VGG16.builder().optArchitecture(TestData.MINI),
                        "not a VGG16 network", "should be 'block4_conv1'", "but it maps 8 -> 12 channels"),
                adapter("mini network as full-size VGG16", "mini_vgg16_functional.h5",
                        VGG16.builder().optArchitecture(VggArchitecture.vgg16(5)),
                        "not a VGG16 network", "3 -> 64 channels, but it maps 3 -> 4 channels"),
                adapter("5-class network as 1000-class VGG16", "mini_vgg16_functional.h5", VGG16.builder(),
                        "the network has 5 output classes", "VGG16 expects 1000"),
                adapter("7-class VGGFace network as 5-class VGG16", "mini_vggface_functional.h5",
                        VGG16.builder().optArchitecture(TestData.MINI),
                        "the network has 7 output classes (layer 'fc8')", "expects 5"),
                // DL4J model zips
                zip("zero-byte .zip", "empty.zip", bytes(new byte[0]),
                        "is empty (0 bytes); expected a DL4J model zip written by ModelSerializer"),
                zip("text renamed .zip", "notes.zip", bytes("not a zip".getBytes(StandardCharsets.UTF_8)),
                        "is not a zip file (it starts with bytes 6e 6f 74 20", "expected a DL4J model zip"),
                zip("Keras .h5 renamed .zip", "model.zip", copyOf(functional),
                        "is not a zip file but an HDF5 file", "KerasH5Source"),
                zip("zip cut in half", "half.zip", target -> Files.write(target,
                        Arrays.copyOf(Files.readAllBytes(modelZip), (int) Files.size(modelZip) / 2)),
                        "is truncated or damaged: it starts like a zip file",
                        "expected a complete DL4J model zip written by ModelSerializer"),
                zip("zip without its last 10 bytes", "cut.zip", target -> cutBy(modelZip, 10).make(target),
                        "is truncated or damaged"),
                zip("zip with an undecodable configuration.json", "garbled.zip", CorruptModelFileTest::garbledZip,
                        "is damaged: its configuration.json entry cannot be decompressed"),
                zip("zip whose configuration.json is not JSON", "text-config.zip",
                        target -> zipOf(target, "configuration.json", "confs: [".getBytes(StandardCharsets.UTF_8),
                                "coefficients.bin", new byte[16]),
                        "its configuration.json is not valid JSON"),
                zip("zip of something else", "photos.zip",
                        target -> zipOf(target, "readme.txt", "hello".getBytes(StandardCharsets.UTF_8)),
                        "is a zip file but not a DL4J model: it has no configuration.json entry"),
                zip("zip with a configuration but garbage parameters", "garbage-params.zip",
                        CorruptModelFileTest::garbageCoefficients,
                        "cannot restore the MultiLayerNetwork", "expected a complete model zip"),
                // the DL4J zoo cache
                new Case("zero-byte zoo cache file", caseDir -> {
                    DL4JResources.setBaseDirectory(caseDir.toFile());
                    ZooVggSource zoo = ZooVggSource.builder().setType(PretrainedType.IMAGENET).optChecksum(0).build();
                    Path file = zoo.cacheFile().toPath();
                    Files.createDirectories(file.getParent());
                    Files.write(file, new byte[0]);
                    return new Loading(zoo::load, file);
                }, List.of("cannot restore the DL4J zoo VGG16 IMAGENET model", "is empty (0 bytes)",
                        "download it again from https://")),
                new Case("truncated zoo cache file, checksum checked", caseDir -> {
                    DL4JResources.setBaseDirectory(caseDir.toFile());
                    ZooVggSource zoo = ZooVggSource.builder().setType(PretrainedType.IMAGENET).build();
                    Path file = zoo.cacheFile().toPath();
                    Files.createDirectories(file.getParent());
                    cut(modelZip, 3000).make(file);
                    return new Loading(zoo::load, file);
                }, List.of("has Adler-32 checksum", "but the zoo expects 3501732770", "download it again")),
                new Case("truncated zoo cache file, checksum skipped", caseDir -> {
                    DL4JResources.setBaseDirectory(caseDir.toFile());
                    ZooVggSource zoo = ZooVggSource.builder().setType(PretrainedType.IMAGENET).optChecksum(0).build();
                    Path file = zoo.cacheFile().toPath();
                    Files.createDirectories(file.getParent());
                    cut(modelZip, 3000).make(file);
                    return new Loading(zoo::load, file);
                }, List.of("is truncated or damaged")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptModels")
    void corruptModelNamesTheFileAndWhatIsWrong(Case c) throws Exception {
        Path caseDir = Files.createTempDirectory(dir, "case-");
        Loading loading = c.setup().create(caseDir);
        byte[] before = Files.readAllBytes(loading.blamed());
        assertThatThrownBy(() -> loading.load().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(loading.blamed().toAbsolutePath().toString())
                .satisfies(e -> {
                    for (String phrase : c.phrases()) {
                        assertThat(e.getMessage()).contains(phrase);
                    }
                });
        // loaders only read: the damaged file is left exactly as it was
        assertThat(Files.readAllBytes(loading.blamed())).isEqualTo(before);
    }

    /** Unlinks HDF5 objects (datasets or groups) in place, as h5py's {@code del f[path]} does. */
    static void unlink(Path h5, String... paths) {
        Hdf5Access.run(() -> {
            H5File f = new H5File(h5.toAbsolutePath().toString(), hdf5.H5F_ACC_RDWR());
            try {
                for (String path : paths) {
                    f.unlink(path);
                }
            } finally {
                f.deallocate();
            }
            return null;
        });
    }

    private static Path zipOf(Path target, Object... namesAndContents) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                zip.write((byte[]) namesAndContents[i + 1]);
                zip.closeEntry();
            }
        }
        return target;
    }

    /** The tiny model's configuration.json and coefficients.bin, with the deflated configuration overwritten. */
    private static Path garbledZip(Path target) throws IOException {
        byte[] config = entry(modelZip, ModelSerializer.CONFIGURATION_JSON);
        zipOf(target, ModelSerializer.CONFIGURATION_JSON, config,
                ModelSerializer.COEFFICIENTS_BIN, entry(modelZip, ModelSerializer.COEFFICIENTS_BIN));
        byte[] bytes = Files.readAllBytes(target);
        // the first entry's data follows its 30-byte local header, name and (empty) extra field
        int nameLength = ModelSerializer.CONFIGURATION_JSON.length();
        int start = 30 + nameLength;
        Arrays.fill(bytes, start, start + 64, (byte) 0xFF);
        return Files.write(target, bytes);
    }

    /** A valid configuration.json with random bytes as coefficients.bin. */
    private static Path garbageCoefficients(Path target) throws IOException {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        return zipOf(target, ModelSerializer.CONFIGURATION_JSON, entry(modelZip, ModelSerializer.CONFIGURATION_JSON),
                ModelSerializer.COEFFICIENTS_BIN, junk);
    }

    private static byte[] entry(Path zip, String name) throws IOException {
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(name);
            assertThat(entry).as(name + " in " + zip).isNotNull();
            return file.getInputStream(entry).readAllBytes();
        }
    }
}
