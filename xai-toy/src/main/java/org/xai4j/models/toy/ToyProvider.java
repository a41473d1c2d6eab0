package org.xai4j.models.toy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.ModelProvider;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.VggAdapter;

/**
 * The toy mini-VGGs shipped with xai4j: {@code toy:object}, {@code toy:face}, {@code toy:emotion} (with their own
 * labels, {@value ToyModels#SIZE}x{@value ToyModels#SIZE} input in [0, 1]).
 */
public final class ToyProvider implements ModelProvider {

    @Override public String name() {
        return "xai4j toy mini-VGG";
    }

    @Override public List<String> schemes() {
        return List.of("toy");
    }

    @Override public List<String> names() {
        return List.of("toy:object", "toy:face", "toy:emotion");
    }

    @Override public void validate(ModelSettings settings) {
        String named = settings.source();
        if (!names().contains(named)) {
            throw new IllegalArgumentException("unknown model '" + named + "'; expected " + ModelProviders.known());
        }
        Preprocessing p = settings.preprocessing();
        if (p != null && p != Preprocessing.UNIT && p != Preprocessing.NONE) {
            throw new IllegalArgumentException(named + " takes pixels in [0, 1] (unit preprocessing), not " + p);
        }
        long[] toyShape = {3, ToyModels.SIZE, ToyModels.SIZE};
        if (settings.inputShape() != null && !Arrays.equals(settings.inputShape(), toyShape)) {
            throw new IllegalArgumentException(named + " has input shape " + Arrays.toString(toyShape) + ", not "
                    + Arrays.toString(settings.inputShape()));
        }
    }

    @Override public ImageClassifier load(ModelSettings settings) throws ModelLoadException {
        String named = settings.source();
        Supplier<ImageClassifier> toy = switch (named) {
            case "toy:object" -> ToyModels::objectVgg;
            case "toy:face" -> ToyModels::faceVgg;
            default -> ToyModels::emotionVgg;
        };
        ImageClassifier classifier;
        try {
            classifier = toy.get();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ModelLoadException("cannot load the shipped model " + named + ": " + e.getMessage(), e);
        }
        if (settings.labels() == null) {
            return classifier;
        }
        try {
            List<String> labels = VggAdapter.readLabels(Path.of(settings.labels()), classifier.labels().size());
            return new ImageClassifier(classifier.name(), classifier.model(), labels, classifier.preprocessing(),
                    classifier.inputShape(), classifier.inputSpace());
        } catch (ModelLoadException e) {
            classifier.close();
            throw e;
        }
    }

    @Override public String toString() {
        return name();
    }
}
