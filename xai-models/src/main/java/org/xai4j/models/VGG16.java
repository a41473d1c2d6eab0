package org.xai4j.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * VGG16 trained on ImageNet (Simonyan and Zisserman, 2014): 224x224 RGB input, 1000 classes, Keras "caffe"
 * preprocessing ({@link Preprocessing#CAFFE_IMAGENET}).
 *
 * <p>The 1000 labels ship with xai4j as {@code imagenet_class_index.json} (the keras.applications file: class index
 * to WordNet id and short name), so a loaded model names its classes ({@code "tench"}, {@code "African_elephant"}).
 */
public final class VGG16 {

    /** Number of ImageNet classes. */
    public static final int NUM_CLASSES = 1000;

    private static final String CLASS_INDEX = "imagenet_class_index.json";
    private static List<String> names;
    private static List<String> wordNetIds;

    private VGG16() { }

    /** The keras.applications VGG16 architecture: 224x224, 1000 classes. */
    public static VggArchitecture architecture() {
        return VggArchitecture.vgg16(NUM_CLASSES);
    }

    /**
     * A builder with the VGG16 defaults: {@link #architecture()}, {@link Preprocessing#CAFFE_IMAGENET},
     * {@link InputSpace#PIXELS}, the ImageNet labels (when the class count is 1000; {@code class_<i>} otherwise).
     */
    public static VggAdapter.Builder builder() {
        return new VggAdapter.Builder("VGG16", architecture(), Preprocessing.CAFFE_IMAGENET,
                n -> n == NUM_CLASSES ? imageNetLabels() : VggAdapter.numberedLabels(n));
    }

    /** The 1000 ImageNet class names in class-index order (e.g. index 386 is {@code "African_elephant"}). */
    public static synchronized List<String> imageNetLabels() {
        if (names == null) {
            readClassIndex();
        }
        return names;
    }

    /** The WordNet ids of the 1000 ImageNet classes in class-index order (index 0 is {@code "n01440764"}). */
    public static synchronized List<String> imageNetWordNetIds() {
        if (wordNetIds == null) {
            readClassIndex();
        }
        return wordNetIds;
    }

    private static void readClassIndex() {
        try (InputStream in = VGG16.class.getResourceAsStream(CLASS_INDEX)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CLASS_INDEX + " is missing from the xai-models jar");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<String> n = new ArrayList<>(NUM_CLASSES);
            List<String> ids = new ArrayList<>(NUM_CLASSES);
            for (int i = 0; i < NUM_CLASSES; i++) {
                JsonNode entry = root.get(Integer.toString(i));
                if (entry == null || entry.size() != 2) {
                    throw new IllegalStateException("resource " + CLASS_INDEX + " has no entry for class " + i);
                }
                ids.add(entry.get(0).asText());
                n.add(entry.get(1).asText());
            }
            names = List.copyOf(n);
            wordNetIds = List.copyOf(ids);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + CLASS_INDEX, e);
        }
    }
}
