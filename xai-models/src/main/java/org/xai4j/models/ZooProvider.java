package org.xai4j.models;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.zoo.PretrainedType;
import org.xai4j.models.zoo.ZooVggSource;

/**
 * The DL4J zoo's pretrained VGG16 from its local cache: {@code zoo:vgg16} (ImageNet, with the ImageNet labels and
 * Keras "caffe" preprocessing) or {@code zoo:vggface} (VGGFace preprocessing).
 */
public final class ZooProvider implements ModelProvider {

    @Override public String name() {
        return "DL4J zoo VGG16";
    }

    @Override public List<String> schemes() {
        return List.of("zoo");
    }

    @Override public List<String> names() {
        return List.of("zoo:vgg16", "zoo:vggface");
    }

    @Override public void validate(ModelSettings settings) {
        if (!names().contains(settings.source())) {
            throw new IllegalArgumentException("unknown model '" + settings.source() + "'; expected "
                    + ModelProviders.known());
        }
        long[] shape = settings.inputShape();
        if (shape != null && shape[0] != 3) {
            throw new IllegalArgumentException(settings.source() + " takes 3 channels, not " + shape[0]);
        }
    }

    /**
     * The zoo weights of a name: {@code zoo:vgg16} the ImageNet VGG16, {@code zoo:vggface} the VGGFace one.
     *
     * @param name a name of {@link #names()}
     * @return the source of the weights (read from the DL4J zoo's local cache)
     * @throws IllegalArgumentException if the name is not a zoo model
     */
    public static ZooVggSource zooSource(String name) {
        return switch (name) {
            case "zoo:vgg16" -> ZooVggSource.builder().setType(PretrainedType.IMAGENET).build();
            case "zoo:vggface" -> ZooVggSource.builder().setType(PretrainedType.VGGFACE).build();
            default -> throw new IllegalArgumentException("unknown zoo model '" + name
                    + "'; expected zoo:vgg16 or zoo:vggface");
        };
    }

    @Override public ImageClassifier load(ModelSettings settings) throws ModelLoadException {
        boolean imagenet = settings.source().equals("zoo:vgg16");
        VggAdapter.Builder builder = imagenet ? VGG16.builder() : VGGFace.builder();
        builder.setSource(zooSource(settings.source()));
        if (settings.preprocessing() != null) {
            builder.optPreprocessing(settings.preprocessing());
        }
        long[] shape = settings.inputShape();
        if (shape != null) {
            builder.optInputSize((int) shape[1], (int) shape[2]);
        }
        if (settings.labels() != null) {
            builder.optLabelsFile(Path.of(settings.labels()));
        }
        return builder.build().load();
    }

    @Override public String toString() {
        return name();
    }
}
