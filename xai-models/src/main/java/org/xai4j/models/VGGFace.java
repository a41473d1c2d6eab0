package org.xai4j.models;

/**
 * VGGFace (Parkhi, Vedaldi and Zisserman, 2015; the keras-vggface {@code VGGFace(model='vgg16')}): the VGG16
 * architecture trained to recognize 2622 identities, 224x224 input, {@link Preprocessing#VGGFACE} preprocessing.
 *
 * <p>The identity names are not shipped; pass them with {@link VggAdapter.Builder#optLabelsFile} (one name per line,
 * 2622 lines), or the classes are called {@code class_0 ... class_2621}.
 */
public final class VGGFace {

    /** Number of VGGFace identities. */
    public static final int NUM_CLASSES = 2622;

    private VGGFace() { }

    /** The VGGFace (VGG16) architecture: 224x224, 2622 classes. */
    public static VggArchitecture architecture() {
        return VggArchitecture.vgg16(NUM_CLASSES);
    }

    /** A builder with the VGGFace defaults: {@link #architecture()}, {@link Preprocessing#VGGFACE}, numbered labels. */
    public static VggAdapter.Builder builder() {
        return new VggAdapter.Builder("VGGFace", architecture(), Preprocessing.VGGFACE, VggAdapter::numberedLabels);
    }
}
