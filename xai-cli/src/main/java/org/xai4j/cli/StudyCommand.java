package org.xai4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.ModelProvider;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.NetworkFileProvider;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.VGG16;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggAdapter;
import org.xai4j.models.ZooProvider;
import org.xai4j.study.Study;
import org.xai4j.study.StudyConfig;
import org.xai4j.study.StudyImage;
import org.xai4j.study.StudyResult;
import org.xai4j.study.StudyRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xai4j study}: the seed study ({@link Study}) as a report folder. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the VGG explainability study (learned features, activation maps and spikes, integrated "
                + "gradients, Grad-CAM, sanity checks, localization) and writes a report folder: index.html, PNG "
                + "figures, summary.json. By default on the embedded toy world and its three trained mini-VGGs."})
final class StudyCommand extends CliCommand {

    @Option(names = "--quick", description = "A small run: 2 images per network, few steps (a first look, tests).")
    boolean quick;

    @Option(names = "--images", paramLabel = "DIR", description = "Explain the PNG/JPEG images of this folder "
            + "instead of the toy world's samples (default with real networks: four shipped public-domain photos).")
    Path images;

    @Option(names = "--model", paramLabel = "ROLE=MODEL", mapFallbackValue = "", description = "A network of the "
            + "study, by its role: objects=, faces= or emotions= followed by a VGG16-shaped Keras .h5 or DL4J .zip, or "
            + "zoo:vgg16 (objects) / zoo:vggface (faces) from the DL4J zoo's local cache; repeat for each role "
            + "(default: the toy world's three mini-VGGs).")
    Map<StudyRole, String> models;

    @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "" + StudyConfig.DEFAULT_IG_TOLERANCE,
            description = "The report's integrated gradients add points until |delta| <= FRACTION * "
                    + "|F(x) - F(baseline)| (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--face-api", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "The section on real trained networks: face-api's expression and identity networks on its "
                    + "shipped demo photos (default on; --no-face-api leaves it out).")
    boolean faceApi;

    @Mixin
    OutputOptions output;

    @Override Map<String, Object> run() throws IOException {
        Path out = output.out("xai4j-study");
        checkOutput(out, output.force);
        List<ImageClassifier> loaded = new ArrayList<>();
        try (Progress progress = progress()) {
            StudyConfig.Builder config = StudyConfig.builder().optQuick(quick).optReplaceExisting(output.force)
                    .optProgressListener(progress).optFaceApi(faceApi);
            try {
                config.optIgTolerance(tolerance);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--tolerance: " + Xai4j.oneLine(e), e);
            }
            if (models != null) {
                for (Map.Entry<StudyRole, String> role : models.entrySet()) {
                    ImageClassifier model = vgg(role.getKey(), role.getValue());
                    loaded.add(model);
                    config.optModel(role.getKey(), model);
                }
            }
            if (images != null) {
                try {
                    config.optImages(StudyImage.readFolder(images));
                } catch (IOException e) {
                    throw new UsageException("--images: " + Xai4j.oneLine(e), e);
                }
            } else if (!loaded.isEmpty()) {
                config.optImages(StudyImage.shippedPhotos());
            }
            StudyConfig built;
            try {
                built = config.build();
            } catch (IllegalArgumentException e) {
                throw new UsageException(Xai4j.oneLine(e), e);
            }
            StudyResult result = new Study(built).run(out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("folder", result.folder().toString());
            json.put("index", result.index().toString());
            json.put("mode", result.mode());
            json.put("models", result.models());
            json.put("figures", result.figures());
            json.put("maxIgRelativeError", Double.isNaN(result.maxIgRelativeError()) ? null
                    : result.maxIgRelativeError());
            json.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
            return json;
        } finally {
            loaded.forEach(ImageClassifier::close);
        }
    }

    /**
     * The VGG of a role from a model name or file, named as every command names models: the registry tells a zoo
     * name from a file and loads zoo names (the zoo provider checks them as VGG16 or VGGFace); a file goes through the
     * role's VGG adapter, which checks it against the role's VGG16-shaped architecture and names its layers as the
     * study expects, so other sources are refused.
     */
    private static ImageClassifier vgg(StudyRole role, String spec) {
        String option = "--model " + role.name().toLowerCase(Locale.ROOT) + "=" + spec;
        if (spec.isBlank()) {
            throw new UsageException(option + ": give a model after the '='");
        }
        try {
            ModelProvider provider = ModelProviders.forSource(spec);
            if (provider instanceof ZooProvider) {
                String expected = role == StudyRole.OBJECTS ? "zoo:vgg16" : role == StudyRole.FACES ? "zoo:vggface" : null;
                if (!spec.equals(expected)) {
                    throw new UsageException(option + ": the zoo has " + (expected == null ? "no VGGEmotion; give a "
                            + ".h5 or .zip file" : "no such network for this role; expected " + expected));
                }
                return ImageClassifierLoader.builder().setSource(spec).build().load();
            }
            if (!(provider instanceof NetworkFileProvider)) {
                throw new UsageException(option + ": the study's networks are VGG16-shaped Keras .h5 or DL4J .zip files "
                        + "or zoo:vgg16 / zoo:vggface, not a " + provider.name());
            }
            VggAdapter.Builder builder = switch (role) {
                case OBJECTS -> VGG16.builder();
                case FACES -> VGGFace.builder();
                case EMOTIONS -> VGGEmotion.builder();
            };
            return builder.setSource(NetworkSource.fromFile(Path.of(spec))).build().load();
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new UsageException("cannot load " + option + ": " + Xai4j.oneLine(e), e);
        }
    }
}
