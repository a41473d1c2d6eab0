package org.xai4j.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.ImageModel;
import org.xai4j.Objective;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.compare.LayerComparison;
import org.xai4j.compare.NetworkComparison;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.deeplearning4j.zoo.PretrainedType;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.VGG16;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggAdapter;
import org.xai4j.models.VggModel;
import org.xai4j.models.zoo.ZooVggSource;
import org.xai4j.models.toy.Emotion;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.FaceWorld;
import org.xai4j.models.toy.Mask;
import org.xai4j.models.toy.ObjectWorld;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.models.toy.ToySample;
import org.xai4j.sanity.Localization;
import org.xai4j.sanity.LocalizationScores;
import org.xai4j.sanity.MapExplainer;
import org.xai4j.sanity.ModelRandomization;
import org.xai4j.sanity.PerturbationCurves;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.sanity.RandomizationResult;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.figure.BarChart;
import org.xai4j.viz.figure.PanelComparison;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.figure.TileScaling;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.nd4j.ImageArrays;
import org.xai4j.viz.transform.ImageTransforms;
import org.xai4j.viz.overlay.ChannelScaling;
import org.xai4j.viz.overlay.Overlays;

/**
 * The seed study ("Explainability in Deep Learning Image Classification Networks") as one command: learned features,
 * per-neuron activation maps with spike plots, integrated gradients, and beyond the seed Grad-CAM, sanity checks and
 * localisation against ground truth; written as a self-contained report folder ({@code index.html}, PNG figures,
 * {@code summary.json}).
 *
 * <pre>
 * mvn -q -pl examples exec:java                                  # toy world, ./xai4j-study
 * mvn -q -pl examples exec:java -Dexec.args="--out report --force --quick"
 * mvn -q -pl examples exec:java -Dexec.args="--vgg16 zoo --vggface vggface.h5 --vggemotion emotion.h5 --images photos/"
 * </pre>
 *
 * By default it runs on the embedded toy worlds and their three mini-VGGs (ObjectVGG, FaceVGG, EmotionVGG; see
 * {@link ToyModels}). With {@code --vgg16}, {@code --vggface}, {@code --vggemotion} ({@code zoo}, a Keras {@code .h5}
 * or a DL4J {@code .zip}) it runs on the real networks, on the images of {@code --images <dir>} (default: the
 * public-domain photos shipped in this module). The report is written to a temporary sibling folder and moved into
 * place when complete; a non-empty {@code --out} folder is replaced only with {@code --force}.
 */
public final class Study {

    private static final Set<String> OPTIONS = Set.of("out", "vgg16", "vggface", "vggemotion", "images");
    private static final Set<String> FLAGS = Set.of("force", "quick", "help");
    private static final String[] SHIPPED_IMAGES = {"astronaut.png", "chelsea.png", "coffee.png", "rocket.png"};

    /**
     * How much work the study does.
     *
     * @param featureSteps       activation-maximization steps per image
     * @param featureChannels    neurons shown per layer of blocks 1-4
     * @param lastLayerNeurons   neurons shown for the last conv layer
     * @param inputs             inputs per model (correct and misclassified ones)
     * @param scan               held-out samples scanned to find them
     * @param igSteps            integrated-gradients steps
     * @param perEmotion         images per emotion for the localisation scores
     * @param curveSteps         steps of the deletion and insertion curves
     */
    record Config(boolean quick, int featureSteps, int featureChannels, int lastLayerNeurons, int inputs, int scan,
                  int igSteps, int perEmotion, int curveSteps) {

        static Config standard() {
            return new Config(false, 48, 16, 32, 4, 56, 32, 3, 16);
        }

        static Config small() {
            return new Config(true, 4, 4, 4, 2, 14, 4, 1, 4);
        }

        /** Less feature visualization for full-size networks (224x224 VGG16 is ~1000x the toy's cost per step). */
        Config forLargeInputs() {
            return new Config(quick, Math.min(featureSteps, 32), Math.min(featureChannels, 8),
                    Math.min(lastLayerNeurons, 16), inputs, scan, igSteps, perEmotion, curveSteps);
        }
    }

    /** The toy models the default study runs on (a seam for tests). */
    @FunctionalInterface
    interface ToySource {
        /** The model {@code object}, {@code face} or {@code emotion}. */
        VggModel model(String key);

        static ToySource shipped() {
            return key -> switch (key) {
                case "object" -> ToyModels.objectVgg();
                case "face" -> ToyModels.faceVgg();
                default -> ToyModels.emotionVgg();
            };
        }
    }

    /** One image a model is run on; truth per model key (-1 unknown), ground-truth masks (toy only). */
    record Input(String name, RgbImage image, Map<String, Integer> truth, Map<String, Mask> masks) {
        INDArray batch() {
            return ImageArrays.toBatch(image);
        }
    }

    /** One network of the study with its inputs. */
    record Case(String key, VggModel model, List<Input> inputs) {
        String name() {
            return model.name();
        }
    }

    /** Per-input results shared between sections. */
    private record Explained(Input input, int predicted, double probability, INDArray ig, double delta,
                             INDArray gradCam) {
    }

    private final Config cfg;
    private final PrintStream out;
    private final long t0;
    private final AttributionVisualizer visualizer = AttributionVisualizer.builder().build();
    private Report report;
    private final Map<String, Double> accuracy = new LinkedHashMap<>();

    private Study(Config cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
        this.t0 = System.nanoTime();
    }

    private Study(Config cfg, PrintStream out, Study probe) {
        this.cfg = cfg;
        this.out = out;
        this.t0 = probe.t0;
        this.accuracy.putAll(probe.accuracy);
    }

    /** Silences the backend's INFO logging (call before the first ND4J use). */
    static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Runs the study and exits with its status (0 success, 2 usage error, 1 failure).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        quietLogging();
        System.exit(run(args, System.out, System.err, ToySource.shipped()));
    }

    static int run(String[] argv, PrintStream out, PrintStream err, ToySource toys) {
        System.setProperty("java.awt.headless", "true");
        try {
            Args args = Args.parse(argv, OPTIONS, FLAGS);
            if (args.flag("help")) {
                out.println("usage: study [--out <dir>] [--force] [--quick] [--vgg16 <h5|zip|zoo>] "
                        + "[--vggface <h5|zip|zoo>] [--vggemotion <h5|zip>] [--images <dir>]");
                return 0;
            }
            Config cfg = args.flag("quick") ? Config.small() : Config.standard();
            Path target = Path.of(args.get("out", "xai4j-study"));
            boolean force = args.flag("force");
            OutputFolder.check(target.toAbsolutePath().normalize(), force);
            Study probe = new Study(cfg, out);
            List<Case> cases = probe.cases(args, toys);
            boolean large = cases.stream().anyMatch(c -> c.model().model().inputShape()[1] > 64);
            Study study = large ? new Study(cfg.forLargeInputs(), out, probe) : probe;
            if (large) {
                study.progress("full-size networks: fewer feature images (%s); expect a long run on a CPU",
                        study.cfg);
            }
            try (OutputFolder folder = OutputFolder.open(target, force)) {
                study.report = new Report(folder.dir());
                study.write(cases, args);
                Path done = folder.commit();
                out.printf(Locale.ROOT, "[%6.1f s] report written to %s%n", study.elapsed(), done.resolve("index.html"));
                out.println(done);
            }
            return 0;
        } catch (UsageException e) {
            err.println("study: " + e.getMessage());
            return 2;
        } catch (Exception | OutOfMemoryError e) {
            err.println("study: failed: " + Explain.oneLine(e));
            return 1;
        }
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void progress(String format, Object... args) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", elapsed(), String.format(Locale.ROOT, format, args));
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------- inputs

    private List<Case> cases(Args args, ToySource toys) throws IOException {
        boolean real = args.get("vgg16") != null || args.get("vggface") != null || args.get("vggemotion") != null;
        List<Case> cases = new ArrayList<>();
        if (!real && args.get("images") == null) {
            progress("loading the toy mini-VGGs (ObjectVGG, FaceVGG, EmotionVGG)");
            VggModel object = toys.model("object");
            VggModel face = toys.model("face");
            VggModel emotion = toys.model("emotion");
            progress("choosing held-out inputs (correct and misclassified)");
            ObjectWorld objects = ToyModels.objectWorld();
            List<ToySample> objectSamples = objects.batch(ToyModels.TEST_START, cfg.scan());
            accuracy.put("object", accuracy(object, objectSamples, ToySample::label));
            cases.add(new Case("object", object, pick(object, objectSamples, "object")));
            FaceWorld faces = ToyModels.faceWorld(FaceTask.EMOTION);
            List<ToySample> faceSamples = faces.batch(ToyModels.TEST_START, cfg.scan());
            accuracy.put("face", accuracy(face, faceSamples, ToySample::identity));
            accuracy.put("emotion", accuracy(emotion, faceSamples, t -> t.emotion().ordinal()));
            List<Input> faceInputs = pick(emotion, faceSamples, "emotion");
            cases.add(new Case("face", face, faceInputs));
            cases.add(new Case("emotion", emotion, faceInputs));
            return cases;
        }
        List<RgbImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        readImages(args.get("images"), images, names);
        String[][] roles = {{"vgg16", "object"}, {"vggface", "face"}, {"vggemotion", "emotion"}};
        for (String[] role : roles) {
            VggModel m;
            if (real) {
                if (args.get(role[0]) == null) {
                    continue;
                }
                progress("loading %s from %s", role[0], args.get(role[0]));
                m = vgg(role[0], args.get(role[0]));
            } else {
                m = toys.model(role[1]);
            }
            int h = (int) m.model().inputShape()[1];
            int w = (int) m.model().inputShape()[2];
            List<Input> inputs = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                inputs.add(new Input(names.get(i), ImageTransforms.toInputSize(images.get(i), h, w), Map.of(),
                        Map.of()));
            }
            cases.add(new Case(role[1], m, inputs));
        }
        return cases;
    }

    /** VGG16, VGGFace or VGGEmotion from {@code zoo} (the DL4J zoo cache), a Keras .h5 or a DL4J .zip. */
    private static VggModel vgg(String role, String spec) {
        if (spec.equals("zoo") && role.equals("vggemotion")) {
            throw new UsageException("there is no zoo VGGEmotion; give --vggemotion a .h5 or .zip file");
        }
        try {
            NetworkSource source = spec.equals("zoo")
                    ? ZooVggSource.builder().setType(role.equals("vgg16") ? PretrainedType.IMAGENET : PretrainedType.VGGFACE).build()
                    : NetworkSource.fromFile(Path.of(spec));
            VggAdapter.Builder builder = switch (role) {
                case "vgg16" -> VGG16.builder();
                case "vggface" -> VGGFace.builder();
                default -> VGGEmotion.builder();
            };
            return builder.setSource(source).build().load();
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new UsageException("cannot load --" + role + " " + spec + ": " + Explain.oneLine(e), e);
        }
    }

    private static INDArray maskOf(Mask mask) {
        return mask.toArray();
    }

    /** The mean of the finite values (NaN if none). */
    private static double mean(List<Double> values) {
        return values.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private void readImages(String dir, List<RgbImage> images, List<String> names) throws IOException {
        ImageLoader loader = ImageLoader.builder().build();
        if (dir == null) {
            for (String name : SHIPPED_IMAGES) {
                URL url = Study.class.getResource("/images/" + name);
                if (url == null) {
                    throw new UsageException("the shipped image " + name + " is missing; pass --images <dir>");
                }
                try (InputStream in = url.openStream()) {
                    images.add(loader.read(in, name));
                }
                names.add(name.replaceFirst("\\.[^.]+$", ""));
            }
            return;
        }
        Path folder = Path.of(dir);
        if (!Files.isDirectory(folder)) {
            throw new UsageException("--images " + dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new UsageException("--images " + dir + " holds no png/jpg images");
        }
        for (Path f : files) {
            try {
                images.add(loader.read(f));
            } catch (IOException e) {
                throw new UsageException("cannot read image " + f + ": " + Explain.imageProblem(e, f), e);
            }
            names.add(f.getFileName().toString().replaceFirst("\\.[^.]+$", ""));
        }
    }

    private static INDArray samplesBatch(List<ToySample> samples, ImageModel model) {
        return ImageArrays.toBatch(samples.stream().map(Study::image).toList()).castTo(model.dataType());
    }

    private static RgbImage image(ToySample sample) {
        return new RgbImage(sample.pixels(), sample.height(), sample.width());
    }

    private static double accuracy(VggModel model, List<ToySample> samples,
                                   java.util.function.ToIntFunction<ToySample> truth) {
        int[] predicted = model.predict(samplesBatch(samples, model.model()));
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            correct += predicted[i] == truth.applyAsInt(samples.get(i)) ? 1 : 0;
        }
        return (double) correct / samples.size();
    }

    /** The held-out accuracies the toy models were shipped with ({@code toy-models.json}), if present. */
    private static Map<String, Object> shippedAccuracies() {
        Map<String, Object> out = new LinkedHashMap<>();
        try (InputStream in = ToyModels.class.getResourceAsStream(ToyModels.SUMMARY_JSON)) {
            if (in == null) {
                return out;
            }
            org.nd4j.shade.jackson.databind.JsonNode root = new org.nd4j.shade.jackson.databind.ObjectMapper()
                    .readTree(in);
            org.nd4j.shade.jackson.databind.JsonNode models = root.path("models");
            for (String name : List.of(ToyModels.OBJECT_VGG, ToyModels.FACE_VGG, ToyModels.EMOTION_VGG)) {
                org.nd4j.shade.jackson.databind.JsonNode m = models.path(name);
                if (m.has("heldOutAccuracy")) {
                    out.put(name, Report.num(m.path("heldOutAccuracy").asDouble()));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // informational only
        }
        return out;
    }

    /** Up to {@code inputs - 1} correct samples of distinct classes plus one misclassified, as the seed shows both. */
    private List<Input> pick(VggModel model, List<ToySample> samples, String truthKey) {
        int[] predicted = model.predict(samplesBatch(samples, model.model()));
        List<ToySample> correct = new ArrayList<>();
        List<ToySample> wrong = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < samples.size(); i++) {
            ToySample s = samples.get(i);
            if (predicted[i] == s.label()) {
                if (seen.add(s.label())) {
                    correct.add(s);
                }
            } else {
                wrong.add(s);
            }
        }
        List<ToySample> chosen = new ArrayList<>(correct.subList(0, Math.min(correct.size(),
                wrong.isEmpty() ? cfg.inputs() : cfg.inputs() - 1)));
        for (int i = 0; i < wrong.size() && chosen.size() < cfg.inputs(); i++) {
            chosen.add(wrong.get(i));
        }
        for (int i = 0; i < samples.size() && chosen.size() < cfg.inputs(); i++) {
            if (!chosen.contains(samples.get(i))) {
                chosen.add(samples.get(i));
            }
        }
        List<Input> inputs = new ArrayList<>();
        for (ToySample s : chosen) {
            inputs.add(toInput(s, truthKey));
        }
        return inputs;
    }

    private static Input toInput(ToySample s, String truthKey) {
        Map<String, Integer> truth = new LinkedHashMap<>();
        if (s.isFace()) {
            truth.put("face", s.identity());
            truth.put("emotion", s.emotion().ordinal());
        } else {
            truth.put("object", s.label());
        }
        String name = (s.isFace() ? FaceWorld.identityNames().get(s.identity()) + " " + s.emotion().displayName()
                : s.labelName()) + " #" + (s.index() - ToyModels.TEST_START);
        return new Input(name, image(s), truth, s.masks());
    }

    // ---------------------------------------------------------------------------------------------- report

    private void write(List<Case> cases, Args args) throws IOException {
        boolean real = args.get("vgg16") != null || args.get("vggface") != null || args.get("vggemotion") != null;
        Map<String, Object> s = report.summary();
        s.put("title", "Explainability in VGG networks, reproduced with xai4j");
        s.put("createdAt", Instant.now().toString());
        s.put("mode", real ? "real networks" : args.get("images") != null ? "toy models, user images" : "toy world");
        s.put("config", cfg);
        Map<String, Object> models = new LinkedHashMap<>();
        for (Case c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("inputShape", c.model().model().inputShape());
            m.put("classes", c.model().labels().size());
            m.put("preprocessing", c.model().preprocessing().name());
            m.put("lastConvLayer", lastConv(c.model().model()));
            if (accuracy.containsKey(c.key())) {
                m.put("accuracyOnScannedHeldOut", Report.num(accuracy.get(c.key())));
                m.put("scannedHeldOutSamples", cfg.scan());
            }
            Object shipped = real ? null : shippedAccuracies().get(c.name());
            if (shipped != null) {
                m.put("shippedHeldOutAccuracy", shipped);
            }
            models.put(c.key(), m);
        }
        s.put("models", models);
        report.paragraph("Models: " + String.join(", ", cases.stream().map(c -> c.name() + " ("
                + c.model().model().inputShape()[1] + "x" + c.model().model().inputShape()[2] + ", "
                + c.model().labels().size() + " classes" + (accuracy.containsKey(c.key()) ? String.format(Locale.ROOT,
                ", %.0f%% correct on the %d scanned held-out images", 100 * accuracy.get(c.key()), cfg.scan()) : "")
                + ")").toList()) + (cfg.quick() ? ". Quick configuration." : "."));

        sectionFeatures(cases);
        Map<String, List<Explained>> explained = new LinkedHashMap<>();
        for (Case c : cases) {
            explained.put(c.key(), explain(c));
        }
        sectionActivations(cases, explained);
        sectionIntegratedGradients(cases, explained);
        sectionBeyond(cases, explained);
        s.put("seconds", Report.num(elapsed()));
        report.finish("Explainability in VGG networks — xai4j study");
        progress("wrote %d figures", report.figureCount());
    }

    // ---- section 1

    private void sectionFeatures(List<Case> cases) throws IOException {
        report.heading(2, "1. Learned features");
        report.paragraph("Activation maximization from a gray image with small noise (Fourier parameterization, "
                + cfg.featureSteps() + " steps): images that maximally activate single neurons (the mean of one "
                + "channel) of the last conv layer of blocks 1-4, and a selection of neurons of the last conv layer.");
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, BufferedImage> lastGrids = new LinkedHashMap<>();
        Map<String, Map<String, String>> layerFiles = new LinkedHashMap<>();
        for (Case c : cases) {
            ImageModel model = c.model().model();
            Map<String, Object> perModel = new LinkedHashMap<>();
            Case sharedWith = c.key().equals("emotion") ? cases.stream().filter(o -> o.key().equals("face"))
                    .findFirst().orElse(null) : null;
            boolean shared = sharedWith != null && sameBody(sharedWith, c);
            report.heading(3, c.name());
            List<String> blockLayers = blockLastConvs(model);
            List<String> row = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int b = 0; b < blockLayers.size() - 1; b++) {
                String layer = blockLayers.get(b);
                String file;
                if (shared) {
                    file = layerFiles.get(sharedWith.key()).get(layer);
                } else {
                    int channels = (int) model.layerShape(layer)[0];
                    int[] selected = spread(channels, Math.min(channels, cfg.featureChannels()));
                    progress("features %s %s (%d neurons)", c.name(), layer, selected.length);
                    FeatureVisualization fv = visualize(model, layer, selected);
                    file = report.file("features/" + c.key() + "_" + layer + ".png",
                            featureGrid(fv, selected, c.name() + " " + layer));
                    perModel.put(layer, featureSummary(fv, selected));
                }
                layerFiles.computeIfAbsent(c.key(), k -> new LinkedHashMap<>()).put(layer, file);
                row.add(file);
                captions.add(c.name() + " " + layer + (shared ? " (identical to " + sharedWith.name()
                        + ": frozen in the transfer)" : ""));
            }
            report.row(row, captions);
            if (shared) {
                perModel.put("blocks1to4SharedWith", sharedWith.name());
            }
            String last = blockLayers.get(blockLayers.size() - 1);
            int channels = (int) model.layerShape(last)[0];
            int[] selected = spread(channels, Math.min(channels, cfg.lastLayerNeurons()));
            progress("features %s %s (%d of %d neurons)", c.name(), last, selected.length, channels);
            FeatureVisualization fv = visualize(model, last, selected);
            BufferedImage grid = featureGrid(fv, selected, c.name() + " " + last + " (" + selected.length + " of "
                    + channels + " neurons)");
            lastGrids.put(c.key(), grid);
            report.figure("features/" + c.key() + "_" + last + ".png", grid, c.name() + ", last conv layer "
                    + last + ": a selection of " + selected.length + " neurons.");
            perModel.put(last, featureSummary(fv, selected));
            summary.put(c.key(), perModel);
        }
        if (lastGrids.containsKey("face") && lastGrids.containsKey("emotion")) {
            report.heading(3, "FaceVGG vs EmotionVGG, last conv layer");
            report.figure("features/face_vs_emotion_last_conv.png", PanelComparison.builder()
                    .optTitle("Last conv layer, same neurons").add(name(cases, "face"), lastGrids.get("face"))
                    .add(name(cases, "emotion"), lastGrids.get("emotion")).build().render(),
                    "Learned features of the last conv layer: FaceVGG (left) and EmotionVGG (right, retrained).");
        }
        report.summary().put("features", summary);
    }

    private static String name(List<Case> cases, String key) {
        return cases.stream().filter(c -> c.key().equals(key)).findFirst().map(Case::name).orElse(key);
    }

    private FeatureVisualization visualize(ImageModel model, String layer, int[] channels) {
        return ActivationMaximization.builder().setModel(model).optSteps(cfg.featureSteps()).optSeed(0)
                .optJitter((int) Math.min(4, model.inputShape()[1] / 16)).optBatchSize(32).build().visualizeChannels(layer, channels);
    }

    private BufferedImage featureGrid(FeatureVisualization fv, int[] channels, String title) {
        TileGrid.Builder g = TileGrid.builder().optColumns(Math.min(8, channels.length)).optTitle(title).optTileSize(72, 72);
        for (int i = 0; i < fv.size(); i++) {
            g.add(ImageArrays.toImage(fv.images(), i).toBufferedImage(), "#" + channels[i]);
        }
        return g.build().render();
    }

    private static Map<String, Object> featureSummary(FeatureVisualization fv, int[] channels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("neurons", channels);
        m.put("meanInitialObjective", Report.num(java.util.Arrays.stream(fv.initialValues()).average().orElse(0)));
        m.put("meanFinalObjective", Report.num(java.util.Arrays.stream(fv.finalValues()).average().orElse(0)));
        return m;
    }

    /** Whether two models compute the same activations up to the last conv layer of block 4 (frozen transfer). */
    private static boolean sameBody(Case a, Case b) {
        List<String> la = blockLastConvs(a.model().model());
        List<String> lb = blockLastConvs(b.model().model());
        if (la.size() < 2 || !la.equals(lb) || a.inputs().isEmpty()
                || !java.util.Arrays.equals(a.model().model().inputShape(), b.model().model().inputShape())) {
            return false;
        }
        String layer = la.get(la.size() - 2);
        INDArray x = a.inputs().get(0).batch();
        INDArray ya = a.model().model().activations(x.castTo(a.model().model().dataType()), layer);
        INDArray yb = b.model().model().activations(x.castTo(b.model().model().dataType()), layer);
        double scale = Math.max(1e-12, ya.amaxNumber().doubleValue());
        return ya.sub(yb.castTo(ya.dataType())).amaxNumber().doubleValue() <= 1e-4 * scale;
    }

    /** The last convolution of every block, in order ({@code block1_conv2, ..., block5_conv3}). */
    static List<String> blockLastConvs(ImageModel model) {
        return LayerSelectors.lastConvolutionOfEachBlock(model);
    }

    static String lastConv(ImageModel model) {
        return LayerSelectors.lastConvolution(model);
    }

    /** {@code k} indices spread evenly over {@code 0..n-1}. */
    static int[] spread(int n, int k) {
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) ((long) i * n / k);
        }
        return idx;
    }

    // ---- shared computation: predictions, IG, Grad-CAM

    private List<Explained> explain(Case c) {
        ImageModel model = c.model().model();
        String layer = lastConv(model);
        progress("integrated gradients and Grad-CAM, %s, %d inputs", c.name(), c.inputs().size());
        List<Explained> list = new ArrayList<>();
        IntegratedGradients ig = integratedGradients(model);
        GradCam gradCam = GradCam.builder().setModel(model).optLayer(layer).build();
        for (Input in : c.inputs()) {
            INDArray x = in.batch().castTo(model.dataType());
            INDArray p = model.probabilities(x);
            int predicted = Predictions.argMax(p)[0];
            Attribution a = ig.attribute(x, Objective.classLogit(predicted));
            INDArray cam = gradCam.map(x, predicted).map(0);
            list.add(new Explained(in, predicted, p.getDouble(0, predicted), a.values(), a.maxAbsDelta(), cam));
        }
        return list;
    }

    private IntegratedGradients integratedGradients(ImageModel model) {
        return IntegratedGradients.builder().setModel(model).optSteps(cfg.igSteps())
                .optRule(IntegrationRule.GAUSS_LEGENDRE).optBaselines(Baseline.zero()).optInternalBatchSize(32).build();
    }

    private String title(Case c, Explained e) {
        Integer truth = e.input().truth().get(c.key());
        String pred = c.model().label(e.predicted());
        String t = e.input().name() + "\npred: " + pred + String.format(Locale.ROOT, " (%.2f)", e.probability());
        if (truth != null) {
            t += truth == e.predicted() ? " ✓" : " ✗ true: " + c.model().label(truth);
        }
        return t;
    }

    private int displayScale(RgbImage image) {
        return Math.max(1, 192 / Math.max(image.height(), image.width()));
    }

    private RgbImage display(RgbImage image) {
        int k = displayScale(image);
        return ImageTransforms.enlarge(image, k);
    }

    private BufferedImage overlay(AttributionMap map, RgbImage image) {
        return visualizer.render(map, display(image), VisualizationMethod.BLENDED_HEAT_MAP);
    }

    // ---- section 2

    private void sectionActivations(List<Case> cases, Map<String, List<Explained>> explained) throws IOException {
        report.heading(2, "2. Activation maps of the last conv layer");
        report.paragraph("Each input is passed through an activation model of the last conv layer. For every neuron we "
                + "show its activation map, the spike plot of per-neuron sums (top neuron highlighted) and the top "
                + "neuron's map over the image. Titles give the model's prediction.");
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, LayerActivations> byKey = new LinkedHashMap<>();
        for (Case c : cases) {
            ImageModel model = c.model().model();
            String layer = lastConv(model);
            report.heading(3, c.name() + " — " + layer);
            List<Explained> ex = explained.get(c.key());
            TileGrid.Builder inputs = TileGrid.builder().optColumns(Math.max(1, ex.size())).optTitle(c.name() + " inputs");
            for (Explained e : ex) {
                inputs.add(display(e.input().image()).toBufferedImage(), title(c, e));
            }
            report.figure("activations/" + c.key() + "_inputs.png", inputs.build().render(),
                    c.name() + ": the inputs, with the prediction (and the truth where known) in the titles.");
            INDArray batch = batchOf(c.inputs()).castTo(model.dataType());
            LayerActivations acts = NeuronActivations.builder().setModel(model).setLayer(layer).build().activations(batch);
            byKey.put(c.key(), acts);
            List<Object> perInput = new ArrayList<>();
            progress("activation maps %s %s", c.name(), layer);
            int[] tops = java.util.stream.IntStream.range(0, ex.size()).map(i -> acts.topK(i, 1)[0]).distinct()
                    .toArray();
            progress("features of the top neurons %s %s", c.name(), java.util.Arrays.toString(tops));
            FeatureVisualization topFeatures = visualize(model, layer, tops);
            Map<Integer, BufferedImage> featureOf = new LinkedHashMap<>();
            for (int k = 0; k < tops.length; k++) {
                featureOf.put(tops[k], display(ImageArrays.toImage(topFeatures.images(), k)).toBufferedImage());
            }
            for (int i = 0; i < ex.size(); i++) {
                Explained e = ex.get(i);
                int top = acts.topK(i, 1)[0];
                double[] spikes = acts.spikes(i);
                INDArray raw = acts.activations().get(NDArrayIndex.point(i)).dup('c');
                AttributionMap maps = ImageArrays.toMap(raw);
                String cap = e.input().name() + " → " + c.model().label(e.predicted());
                TileGrid.Builder g = TileGrid.builder().optColumns(Math.min(8, maps.channels()))
                        .optTileSize(40, 40).optScaling(TileScaling.PIXELATED)
                        .optTitle(c.name() + " " + layer + ": " + cap);
                List<BufferedImage> heat = Overlays.channelHeatMaps(maps, StandardColormap.VIRIDIS,
                        ChannelScaling.PER_CHANNEL);
                for (int n = 0; n < heat.size(); n++) {
                    g.add(heat.get(n), n == top ? "#" + n + " top" : "#" + n);
                }
                String base = "activations/" + c.key() + "_" + i;
                String mapsFile = report.file(base + "_maps.png", g.build().render());
                String spikeFile = report.file(base + "_spikes.png", spikeChart(spikes, top, c.name() + ": " + cap));
                String topFile = report.file(base + "_top.png", overlay(ImageArrays.toMap(acts.map(i, top)),
                        e.input().image()));
                String featureFile = report.file(base + "_top_feature.png", featureOf.get(top));
                report.row(List.of(featureFile, topFile, spikeFile, mapsFile), List.of(
                        "Neuron " + top + "'s learned feature (activation maximization)",
                        "Neuron " + top + " (top spike) over " + e.input().name(),
                        "Spike plot: per-neuron sums of the activation maps; neuron " + top + " highlighted.",
                        "All " + maps.channels() + " activation maps of " + layer + " (" + raw.size(1) + "x"
                                + raw.size(2) + ")."));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", e.input().name());
                m.put("predicted", c.model().label(e.predicted()));
                m.put("probability", Report.num(e.probability()));
                Integer truth = e.input().truth().get(c.key());
                if (truth != null) {
                    m.put("truth", c.model().label(truth));
                    m.put("correct", truth == e.predicted());
                }
                m.put("topNeurons", acts.topK(i, Math.min(5, acts.channels())));
                m.put("topSpike", Report.num(spikes[top]));
                perInput.add(m);
            }
            summary.put(c.key(), perInput);
        }
        if (byKey.containsKey("face") && byKey.containsKey("emotion")) {
            summary.put("faceVsEmotion", faceVsEmotion(cases, explained, byKey));
        }
        report.summary().put("activations", summary);
    }

    private BufferedImage spikeChart(double[] spikes, int top, String title) {
        return BarChart.builder().setValues(spikes).optTitle(title).optXAxisLabel("neuron").optYAxisLabel("spike total")
                .optHighlight(top).optHighlightLabel("neuron " + top).optSize(480, 240).build().render();
    }

    private Object faceVsEmotion(List<Case> cases, Map<String, List<Explained>> explained,
                                 Map<String, LayerActivations> byKey) throws IOException {
        Case face = cases.stream().filter(c -> c.key().equals("face")).findFirst().orElseThrow();
        Case emotion = cases.stream().filter(c -> c.key().equals("emotion")).findFirst().orElseThrow();
        report.heading(3, face.name() + " vs " + emotion.name() + " on the same faces");
        report.paragraph("The same faces through both networks' last conv layer: top neuron's map and spike plot. "
                + "Where ground-truth masks exist, the share of the top map's mass on the mouth, eyes, eyebrows and "
                + "the whole face is reported (the seed: VGGFace's maps are global, VGGEmotion's centre on mouth and "
                + "nose). Spike correlations: Pearson and Spearman correlation of the two spike vectors (neuron i of "
                + "both layers; the emotion layer was retrained, so low values mean the neurons were re-purposed).");
        LayerActivations fa = byKey.get("face");
        LayerActivations ea = byKey.get("emotion");
        List<Object> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        List<String> regions = List.of("mouth", "eyes", "eyebrows", "face");
        for (int i = 0; i < face.inputs().size(); i++) {
            Input in = face.inputs().get(i);
            int ft = fa.topK(i, 1)[0];
            int et = ea.topK(i, 1)[0];
            Explained fe = explained.get("face").get(i);
            Explained ee = explained.get("emotion").get(i);
            BufferedImage fig = PanelComparison.builder().optTitle(in.name())
                    .add(face.name() + ": neuron " + ft, overlay(ImageArrays.toMap(fa.map(i, ft)), in.image()))
                    .add(emotion.name() + ": neuron " + et + " → " + emotion.model().label(ee.predicted()),
                            overlay(ImageArrays.toMap(ea.map(i, et)), in.image()))
                    .add(face.name() + " spikes", spikeChart(fa.spikes(i), ft, ""))
                    .add(emotion.name() + " spikes", spikeChart(ea.spikes(i), et, ""))
                    .build().render();
            report.figure("activations/face_vs_emotion_" + i + ".png", fig, in.name() + ": " + face.name()
                    + " (predicts " + face.model().label(fe.predicted()) + ") vs " + emotion.name() + " (predicts "
                    + emotion.model().label(ee.predicted()) + ").");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", in.name());
            m.put("faceTopNeuron", ft);
            m.put("emotionTopNeuron", et);
            Map<String, ImageModel> pair = new LinkedHashMap<>();
            pair.put(face.name(), face.model().model());
            pair.put(emotion.name(), emotion.model().model());
            LayerComparison cmp = NetworkComparison.compare(pair, in.batch(), lastConv(face.model().model()));
            m.put("spikePearson", Report.num(cmp.pearson()[0][1]));
            m.put("spikeSpearman", Report.num(cmp.spearman()[0][1]));
            m.put("largestRankChanges", cmp.largestRankChanges(Math.min(5, cmp.neurons())).stream()
                    .map(r -> Map.of("neuron", r.neuron(), "faceRank", r.referenceRank(), "emotionRank", r.rank()))
                    .toList());
            List<String> cells = new ArrayList<>(List.of(in.name(), fmt(cmp.pearson()[0][1]),
                    fmt(cmp.spearman()[0][1])));
            if (!in.masks().isEmpty()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                Map<String, Object> em = new LinkedHashMap<>();
                INDArray fmap = fa.map(i, ft).reshape(1, fa.height(), fa.width());
                INDArray emap = ea.map(i, et).reshape(1, ea.height(), ea.width());
                for (String r : regions) {
                    Mask mask = in.masks().get(r);
                    if (mask != null) {
                        double fv = Localization.relevanceMass(fmap, maskOf(mask))[0];
                        double ev = Localization.relevanceMass(emap, maskOf(mask))[0];
                        fm.put(r, Report.num(fv));
                        em.put(r, Report.num(ev));
                        cells.add(fmt(fv) + " / " + fmt(ev));
                    }
                }
                m.put("faceTopMapMass", fm);
                m.put("emotionTopMapMass", em);
            }
            rows.add(m);
            table.add(cells);
        }
        List<String> header = new ArrayList<>(List.of("input", "spike Pearson", "spike Spearman"));
        if (!face.inputs().isEmpty() && !face.inputs().get(0).masks().isEmpty()) {
            regions.forEach(r -> header.add(r + " mass (face / emotion)"));
        }
        report.table(header, table);
        return rows;
    }

    private static INDArray batchOf(List<Input> inputs) {
        INDArray[] xs = inputs.stream().map(Input::batch).toArray(INDArray[]::new);
        return Nd4j.concat(0, xs);
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    // ---- section 3

    private void sectionIntegratedGradients(List<Case> cases, Map<String, List<Explained>> explained)
            throws IOException {
        report.heading(2, "3. Integrated gradients");
        report.paragraph("Integrated gradients of the predicted class's logit from a black baseline ("
                + cfg.igSteps() + " Gauss-Legendre steps), |attribution| summed over colour channels, over the image. "
                + "δ is the convergence delta: sum of attributions minus (F(x) − F(baseline)); small is good. Correct "
                + "and misclassified inputs are shown, as in the seed.");
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Case c : cases) {
            List<Explained> ex = explained.get(c.key());
            TileGrid.Builder g = TileGrid.builder().optColumns(Math.max(1, ex.size()))
                    .optTitle(c.name() + ": integrated gradients");
            for (Explained e : ex) {
                g.add(display(e.input().image()).toBufferedImage(), title(c, e));
            }
            List<Object> rows = new ArrayList<>();
            for (Explained e : ex) {
                g.add(overlay(ImageArrays.toMap(e.ig(), 0), e.input().image()), "IG → " + c.model().label(e.predicted())
                        + String.format(Locale.ROOT, "\nδ = %.2g", e.delta()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", e.input().name());
                m.put("target", c.model().label(e.predicted()));
                m.put("convergenceDelta", Report.num(e.delta()));
                m.put("attributionSum", Report.num(e.ig().sumNumber().doubleValue()));
                Integer truth = e.input().truth().get(c.key());
                if (truth != null) {
                    m.put("correct", truth == e.predicted());
                }
                rows.add(m);
            }
            report.figure("ig/" + c.key() + ".png", g.build().render(), c.name() + ": inputs (top) and integrated "
                    + "gradients of the predicted class (bottom), convergence delta in the captions.");
            summary.put(c.key(), rows);
        }
        report.summary().put("integratedGradients", summary);
    }

    // ---- section 4

    private void sectionBeyond(List<Case> cases, Map<String, List<Explained>> explained) throws IOException {
        report.heading(2, "4. Beyond the seed");
        Map<String, Object> summary = new LinkedHashMap<>();
        report.heading(3, "Grad-CAM next to integrated gradients");
        for (Case c : cases) {
            List<Explained> ex = explained.get(c.key());
            TileGrid.Builder g = TileGrid.builder().optColumns(3).optTitle(c.name() + ": input, IG, Grad-CAM ("
                    + lastConv(c.model().model()) + ")");
            for (Explained e : ex) {
                g.add(display(e.input().image()).toBufferedImage(), title(c, e));
                g.add(overlay(ImageArrays.toMap(e.ig(), 0), e.input().image()), "integrated gradients");
                g.add(overlay(ImageArrays.toMap(e.gradCam()), e.input().image()), "Grad-CAM");
            }
            report.figure("beyond/" + c.key() + "_gradcam_vs_ig.png", g.build().render(), c.name()
                    + ": integrated gradients (pixel-level) next to Grad-CAM (last conv layer, upsampled), both for "
                    + "the predicted class.");
        }
        summary.put("sanity", sanity(cases, explained));
        summary.put("localisation", localisation(cases, explained));
        report.summary().put("beyond", summary);
    }

    private Map<String, Object> sanity(List<Case> cases, Map<String, List<Explained>> explained) throws IOException {
        report.heading(3, "Sanity checks");
        report.paragraph("Cascading model-parameter randomisation (Adebayo et al. 2018): the weights are re-drawn layer "
                + "by layer from the output towards the input; a faithful explanation must change, so the Spearman rank "
                + "correlation between |map| of the trained and of the randomised network should fall. Deletion / "
                + "insertion (Petsiuk et al. 2018): the target class probability as the most relevant pixels are "
                + "blacked out / revealed; lower deletion and higher insertion area under the curve than a random "
                + "order are better.");
        Map<String, Object> summary = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        for (Case c : cases) {
            progress("sanity checks %s", c.name());
            ImageModel model = c.model().model();
            String layer = lastConv(model);
            List<Explained> ex = explained.get(c.key());
            if (ex.isEmpty()) {
                continue;
            }
            INDArray inputs = batchOf(c.inputs()).castTo(model.dataType());
            int[] targets = ex.stream().mapToInt(Explained::predicted).toArray();
            Map<String, Object> m = new LinkedHashMap<>();
            double igLast = Double.NaN;
            double camLast = Double.NaN;
            if (model instanceof Nd4jImageModel sd) {
                List<String> cascade = cascade(model);
                RandomizationResult igR = ModelRandomization.builder().setModel(sd).optLayers(cascade)
                        .setExplainer(MapExplainer.attribution(this::integratedGradients)).build().run(inputs, targets);
                RandomizationResult camR = ModelRandomization.builder().setModel(sd).optLayers(cascade)
                        .setExplainer(MapExplainer.activationMapper(mm -> GradCam.builder().setModel(mm)
                                .optLayer(layer).build())).build().run(inputs, targets);
                double[] igMean = igR.meanSpearman();
                double[] camMean = camR.meanSpearman();
                igLast = igMean[igMean.length - 1];
                camLast = camMean[camMean.length - 1];
                m.put("randomisationCascade", cascade);
                m.put("igSpearmanPerStep", java.util.Arrays.stream(igMean).mapToObj(Report::num).toList());
                m.put("gradCamSpearmanPerStep", java.util.Arrays.stream(camMean).mapToObj(Report::num).toList());
                report.figure("beyond/" + c.key() + "_randomisation.png", cascadeChart(c.name(), cascade, igMean,
                        camMean), c.name() + ": mean Spearman correlation between the maps of the trained network and "
                        + "of the network randomised down to each layer (integrated gradients left, Grad-CAM right).");
            } else {
                m.put("randomisation", "skipped: the model is not a Nd4jImageModel");
            }
            Map<String, INDArray> maps = new LinkedHashMap<>();
            maps.put("ig", Nd4j.concat(0, ex.stream().map(e -> PixelRelevance.ABSOLUTE_SUM.reduce(e.ig()))
                    .toArray(INDArray[]::new)));
            maps.put("gradCam", Nd4j.concat(0, ex.stream().map(e -> e.gradCam().reshape(1, e.gradCam().size(0),
                    e.gradCam().size(1))).toArray(INDArray[]::new)));
            java.util.Random mapRandom = new java.util.Random(7);
            double[] randomValues = new double[(int) (ex.size() * inputs.size(2) * inputs.size(3))];
            for (int k = 0; k < randomValues.length; k++) {
                randomValues[k] = mapRandom.nextDouble();
            }
            maps.put("random", Nd4j.create(randomValues, new long[] {ex.size(), inputs.size(2), inputs.size(3)},
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE));
            PerturbationCurves curves = PerturbationCurves.builder().setModel(model).optSteps(cfg.curveSteps()).build();
            Map<String, Object> deletion = new LinkedHashMap<>();
            Map<String, Object> insertion = new LinkedHashMap<>();
            Map<String, Double> del = new LinkedHashMap<>();
            Map<String, Double> ins = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : maps.entrySet()) {
                del.put(e.getKey(), curves.deletion(inputs, e.getValue(), targets).meanAuc());
                ins.put(e.getKey(), curves.insertion(inputs, e.getValue(), targets).meanAuc());
                deletion.put(e.getKey(), Report.num(del.get(e.getKey())));
                insertion.put(e.getKey(), Report.num(ins.get(e.getKey())));
            }
            m.put("igSpearmanFullyRandomised", Report.num(igLast));
            m.put("gradCamSpearmanFullyRandomised", Report.num(camLast));
            m.put("deletionAuc", deletion);
            m.put("insertionAuc", insertion);
            table.add(List.of(c.name(), fmt(igLast), fmt(camLast), fmt(del.get("ig")), fmt(del.get("gradCam")),
                    fmt(del.get("random")), fmt(ins.get("ig")), fmt(ins.get("gradCam")), fmt(ins.get("random"))));
            summary.put(c.key(), m);
        }
        report.table(List.of("model", "randomised ρ IG", "randomised ρ Grad-CAM", "deletion AUC IG",
                "deletion AUC Grad-CAM", "deletion AUC random", "insertion AUC IG", "insertion AUC Grad-CAM",
                "insertion AUC random"), table);
        return summary;
    }

    /** The layers randomised in turn: the dense layers from the output, then the last conv of each block downwards. */
    private List<String> cascade(ImageModel model) {
        List<String> layers = new ArrayList<>(LayerSelectors.ofKind(model, org.xai4j.LayerKind.DENSE));
        java.util.Collections.reverse(layers);
        List<String> convs = new ArrayList<>(blockLastConvs(model));
        java.util.Collections.reverse(convs);
        layers.addAll(convs);
        return cfg.quick() ? layers.subList(0, Math.min(2, layers.size())) : layers;
    }

    private BufferedImage cascadeChart(String model, List<String> cascade, double[] ig, double[] cam) {
        return PanelComparison.builder().optTitle(model + ": randomisation cascade (0 = " + cascade.get(0) + ", last = "
                        + cascade.get(cascade.size() - 1) + ")")
                .add("integrated gradients", correlationChart(ig, "IG"))
                .add("Grad-CAM", correlationChart(cam, "Grad-CAM")).build().render();
    }

    private static BufferedImage correlationChart(double[] rho, String what) {
        double[] v = java.util.Arrays.stream(rho).map(d -> Double.isFinite(d) ? d : 0).toArray();
        return BarChart.builder().setValues(v).optTitle("Spearman ρ, " + what).optXAxisLabel("layers randomised (cascade step)")
                .optYAxisLabel("ρ").optNoHighlight().optSize(420, 240).build().render();
    }

    private Map<String, Object> localisation(List<Case> cases, Map<String, List<Explained>> explained)
            throws IOException {
        report.heading(3, "Localisation against ground truth");
        Map<String, Object> summary = new LinkedHashMap<>();
        boolean any = cases.stream().anyMatch(c -> c.inputs().stream().anyMatch(i -> !i.masks().isEmpty()));
        if (!any) {
            report.paragraph("Skipped: these images have no ground-truth masks (the toy worlds do).");
            summary.put("skipped", "no ground-truth masks");
            return summary;
        }
        report.paragraph("Relevance mass (share of |IG|, or of the Grad-CAM map, inside a region; compare with the "
                + "region's share of the image, the chance level) and the pointing game (is the most relevant pixel "
                + "inside the region, within 15 pixels at 224x224 scaled to the image?).");
        List<List<String>> table = new ArrayList<>();
        for (Case c : cases) {
            String region = c.key().equals("object") ? ObjectWorld.MASK_OBJECT : FaceWorld.MASK_FACE;
            List<Double> mass = new ArrayList<>();
            List<Double> area = new ArrayList<>();
            List<Double> camMass = new ArrayList<>();
            int hits = 0;
            int n = 0;
            List<INDArray> igMaps = new ArrayList<>();
            List<INDArray> camMaps = new ArrayList<>();
            List<INDArray> masks = new ArrayList<>();
            for (Explained e : explained.get(c.key())) {
                Mask mask = e.input().masks().get(region);
                if (mask == null) {
                    continue;
                }
                igMaps.add(PixelRelevance.ABSOLUTE_SUM.reduce(e.ig()));
                camMaps.add(e.gradCam().reshape(1, e.gradCam().size(0), e.gradCam().size(1)));
                masks.add(maskOf(mask));
                area.add(mask.fraction());
                n++;
            }
            if (n == 0) {
                continue;
            }
            INDArray maskBatch = Nd4j.concat(0, masks.toArray(INDArray[]::new));
            double tolerance = tolerance(masks.get(0));
            LocalizationScores igScores = Localization.evaluate(Nd4j.concat(0, igMaps.toArray(INDArray[]::new)),
                    maskBatch, tolerance);
            LocalizationScores camScores = Localization.evaluate(Nd4j.concat(0, camMaps.toArray(INDArray[]::new)),
                    maskBatch, tolerance);
            for (double v : igScores.relevanceMass()) {
                mass.add(v);
            }
            for (double v : camScores.relevanceMass()) {
                camMass.add(v);
            }
            hits = (int) Math.round(igScores.pointingAccuracy() * n);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("region", region);
            m.put("images", n);
            m.put("igMass", Report.num(mean(mass)));
            m.put("gradCamMass", Report.num(mean(camMass)));
            m.put("areaFraction", Report.num(mean(area)));
            m.put("pointingGame", Report.num((double) hits / n));
            m.put("gradCamPointingGame", Report.num(camScores.pointingAccuracy()));
            m.put("pointingTolerancePixels", Report.num(tolerance));
            summary.put(c.key(), m);
            table.add(List.of(c.name(), region, Integer.toString(n), fmt(mean(mass)),
                    fmt(mean(camMass)), fmt(mean(area)), fmt((double) hits / n),
                    fmt(camScores.pointingAccuracy())));
        }
        report.table(List.of("model", "region", "images", "IG mass", "Grad-CAM mass", "area (chance)",
                "pointing game IG", "pointing game Grad-CAM"), table);
        Case emotion = cases.stream().filter(c -> c.key().equals("emotion") && !c.inputs().isEmpty()
                && !c.inputs().get(0).masks().isEmpty()).findFirst().orElse(null);
        if (emotion != null) {
            summary.put("emotionRegions", emotionRegions(emotion));
        }
        return summary;
    }

    /** The pointing-game tolerance: 15 pixels at 224x224 (Zhang et al.), scaled to the image. */
    private static double tolerance(INDArray mask) {
        return 15.0 * Math.max(mask.size(1), mask.size(2)) / 224.0;
    }

    /** IG mass of EmotionVGG on mouth, eyes, eyebrows and face, averaged over a few held-out faces per emotion. */
    private Object emotionRegions(Case c) throws IOException {
        ImageModel model = c.model().model();
        FaceWorld world = ToyModels.faceWorld(FaceTask.EMOTION);
        List<String> regions = List.of(FaceWorld.MASK_MOUTH, FaceWorld.MASK_EYEBROWS, FaceWorld.MASK_EYES,
                FaceWorld.MASK_FACE);
        report.paragraph(c.name() + ": integrated gradients of the true emotion on " + cfg.perEmotion()
                + " held-out face(s) per emotion; share of |IG| on each region (region's share of the image in "
                + "brackets), the expression regions' (mouth, eyebrows, eyes) share of the face's mass, and the "
                + "pointing game on the expression regions (strict: the top pixel must lie inside).");
        IntegratedGradients ig = integratedGradients(model);
        int emotions = Emotion.values().length;
        long start = ToyModels.TEST_START;
        Map<String, Object> out = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        TileGrid.Builder grid = TileGrid.builder().optColumns(emotions).optTitle(c.name()
                + ": IG of the true emotion, one face per emotion");
        List<BufferedImage> overlays = new ArrayList<>();
        List<String> overlayCaptions = new ArrayList<>();
        for (Emotion e : Emotion.values()) {
            progress("localisation %s %s (%d faces)", c.name(), e.displayName(), cfg.perEmotion());
            int offset = (int) Math.floorMod(e.ordinal() - start, (long) emotions);
            Map<String, List<Double>> mass = new LinkedHashMap<>();
            Map<String, List<Double>> area = new LinkedHashMap<>();
            int correct = 0;
            int expressionHits = 0;
            for (int j = 0; j < cfg.perEmotion(); j++) {
                ToySample s = world.sample(start + offset + (long) j * emotions);
                INDArray x = ImageArrays.toBatch(image(s)).castTo(model.dataType());
                correct += Predictions.predictedClasses(model, x)[0] == e.ordinal() ? 1 : 0;
                INDArray a = ig.attribute(x, Objective.classLogit(e.ordinal())).values();
                INDArray rel = PixelRelevance.ABSOLUTE_SUM.reduce(a);
                for (String r : regions) {
                    mass.computeIfAbsent(r, k -> new ArrayList<>())
                            .add(Localization.relevanceMass(rel, maskOf(s.mask(r)))[0]);
                    area.computeIfAbsent(r, k -> new ArrayList<>()).add(s.mask(r).fraction());
                }
                Mask expression = s.mask(FaceWorld.MASK_MOUTH).union(s.mask(FaceWorld.MASK_EYEBROWS), "expr")
                        .union(s.mask(FaceWorld.MASK_EYES), "expression");
                expressionHits += Localization.pointingGame(rel, maskOf(expression), 0)[0] ? 1 : 0;
                if (j == 0) {
                    overlays.add(overlay(ImageArrays.toMap(a, 0), image(s)));
                    overlayCaptions.add(String.format(Locale.ROOT, "%s\nmouth %.0f%% brows %.0f%%", e.displayName(),
                            100 * mass.get(FaceWorld.MASK_MOUTH).get(0), 100 * mass.get(FaceWorld.MASK_EYEBROWS).get(0)));
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> massOut = new LinkedHashMap<>();
            Map<String, Object> areaOut = new LinkedHashMap<>();
            List<String> row = new ArrayList<>(List.of(e.displayName(), correct + "/" + cfg.perEmotion()));
            for (String r : regions) {
                massOut.put(r, Report.num(mean(mass.get(r))));
                areaOut.put(r, Report.num(mean(area.get(r))));
                row.add(String.format(Locale.ROOT, "%s (%s)", fmt(mean(mass.get(r))),
                        fmt(mean(area.get(r)))));
            }
            double faceMass = mean(mass.get(FaceWorld.MASK_FACE));
            double expr = mean(mass.get(FaceWorld.MASK_MOUTH)) + mean(mass.get(FaceWorld.MASK_EYEBROWS))
                    + mean(mass.get(FaceWorld.MASK_EYES));
            double exprShareOfFace = faceMass > 0 ? expr / faceMass : Double.NaN;
            row.add(fmt(exprShareOfFace));
            row.add(expressionHits + "/" + cfg.perEmotion());
            m.put("images", cfg.perEmotion());
            m.put("correct", correct);
            m.put("igMass", massOut);
            m.put("areaFraction", areaOut);
            m.put("expressionShareOfFaceMass", Report.num(exprShareOfFace));
            m.put("pointingGameExpressionRegions", Report.num((double) expressionHits / cfg.perEmotion()));
            out.put(e.displayName(), m);
            table.add(row);
        }
        for (int i = 0; i < overlays.size(); i++) {
            grid.add(overlays.get(i), overlayCaptions.get(i));
        }
        report.figure("beyond/emotion_regions.png", grid.build().render(), c.name()
                + ": where integrated gradients put the evidence for each emotion (share of |IG| on mouth and "
                + "eyebrows in the captions).");
        List<String> header = new ArrayList<>(List.of("emotion", "correct"));
        regions.forEach(r -> header.add(r + " mass (area)"));
        header.add("(mouth+eyebrows+eyes) / face");
        header.add("pointing game, expression regions");
        report.table(header, table);
        return out;
    }
}
