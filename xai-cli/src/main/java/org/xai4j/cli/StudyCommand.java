package org.xai4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.zoo.PretrainedType;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.VGG16;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggAdapter;
import org.xai4j.models.VggModel;
import org.xai4j.models.zoo.ZooVggSource;
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

    @Option(names = "--vgg16", paramLabel = "h5|zip|zoo", description = "A VGG16 trained on objects (zoo: the DL4J "
            + "zoo's ImageNet weights from its local cache).")
    String vgg16;

    @Option(names = "--vggface", paramLabel = "h5|zip|zoo", description = "A VGGFace.")
    String vggface;

    @Option(names = "--vggemotion", paramLabel = "h5|zip", description = "A VGGFace with its last conv layer "
            + "retrained for emotions.")
    String vggemotion;

    @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "0.01", description = "The report's "
            + "integrated gradients add points until |delta| <= FRACTION * |F(x) - F(baseline)| (default "
            + "${DEFAULT-VALUE}).")
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
        List<VggModel> loaded = new ArrayList<>();
        try (Progress progress = progress()) {
            StudyConfig.Builder config = StudyConfig.builder().optQuick(quick).optReplaceExisting(output.force)
                    .optProgressListener(progress).optFaceApi(faceApi);
            try {
                config.optIgTolerance(tolerance);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--tolerance: " + Xai4j.oneLine(e), e);
            }
            String[][] roles = {{"vgg16", vgg16}, {"vggface", vggface}, {"vggemotion", vggemotion}};
            for (int i = 0; i < roles.length; i++) {
                if (roles[i][1] != null) {
                    VggModel model = vgg(roles[i][0], roles[i][1]);
                    loaded.add(model);
                    config.optModel(StudyRole.values()[i], model);
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
            loaded.forEach(m -> m.model().close());
        }
    }

    /** VGG16, VGGFace or VGGEmotion from {@code zoo} (the DL4J zoo cache), a Keras .h5 or a DL4J .zip. */
    private static VggModel vgg(String role, String spec) {
        if (spec.equals("zoo") && role.equals("vggemotion")) {
            throw new UsageException("there is no zoo VGGEmotion; give --vggemotion a .h5 or .zip file");
        }
        try {
            NetworkSource source = spec.equals("zoo")
                    ? ZooVggSource.builder().setType(role.equals("vgg16") ? PretrainedType.IMAGENET
                    : PretrainedType.VGGFACE).build()
                    : NetworkSource.fromFile(Path.of(spec));
            VggAdapter.Builder builder = switch (role) {
                case "vgg16" -> VGG16.builder();
                case "vggface" -> VGGFace.builder();
                default -> VGGEmotion.builder();
            };
            return builder.setSource(source).build().load();
        } catch (ModelLoadException | IllegalArgumentException e) {
            throw new UsageException("cannot load --" + role + " " + spec + ": " + Xai4j.oneLine(e), e);
        }
    }
}
