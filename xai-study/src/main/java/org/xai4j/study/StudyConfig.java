package org.xai4j.study;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xai4j.ProgressListener;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.toy.ToyModels;

/**
 * What a {@link Study} runs on and how much work it does.
 *
 * <ul>
 *   <li>By default: the shipped toy mini-VGGs (ObjectVGG, FaceVGG, EmotionVGG) on the toy worlds' held-out samples,
 *       whose ground-truth masks allow the localization checks ("toy world").</li>
 *   <li>{@link Builder#optImages}: the same models on your images ("toy models, user images").</li>
 *   <li>{@link Builder#optModel} with images: your networks, only the roles you give ("real networks"); without
 *       images, a network replaces a toy model on the toy world (it must take 64x64 inputs).</li>
 * </ul>
 *
 * <pre>{@code
 * StudyConfig config = StudyConfig.builder()
 *         .optModel(StudyRole.OBJECTS, vgg16)             // an ImageClassifier, e.g. VGG16.builder()...build().load()
 *         .optImages(StudyImage.readFolder(Path.of("photos")))
 *         .build();
 * }</pre>
 *
 * <p>Networks given here stay the caller's to close; the toy models the study loads itself are closed when it ends.
 */
public final class StudyConfig {

    /** The default completeness tolerance of the report's integrated gradients: 1% of |F(x) - F(x')|. */
    public static final double DEFAULT_IG_TOLERANCE = 0.01;

    private final Map<StudyRole, ImageClassifier> models;
    private final List<StudyImage> images;
    private final boolean quick;
    private final double igTolerance;
    private final boolean replaceExisting;
    private final ProgressListener progress;
    private final boolean faceApi;

    private StudyConfig(Builder b) {
        this.models = Collections.unmodifiableMap(new EnumMap<>(b.models));
        this.images = b.images;
        this.quick = b.quick;
        this.igTolerance = b.igTolerance;
        this.replaceExisting = b.replaceExisting;
        this.progress = b.progress;
        this.faceApi = b.faceApi;
    }

    /**
     * Starts configuring a study.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The networks given for roles (the others use the shipped toy models, or do not run; see the class comment).
     *
     * @return an unmodifiable map
     */
    public Map<StudyRole, ImageClassifier> models() {
        return models;
    }

    /**
     * The images to explain instead of the toy worlds' samples.
     *
     * @return the images, or empty for the toy world
     */
    public Optional<List<StudyImage>> images() {
        return Optional.ofNullable(images);
    }

    /**
     * Whether the study runs its small configuration (a few images, steps and neurons; for tests and a first look).
     *
     * @return true for the small configuration
     */
    public boolean quick() {
        return quick;
    }

    /**
     * The completeness tolerance of integrated gradients, relative to {@code |F(x) - F(x')|}.
     *
     * @return the tolerance
     */
    public double igTolerance() {
        return igTolerance;
    }

    /**
     * Whether an existing non-empty report folder is replaced.
     *
     * @return true to replace it
     */
    public boolean replaceExisting() {
        return replaceExisting;
    }

    /**
     * Receives the study's steps (what runs, steps done, steps planned) and can cancel it.
     *
     * @return the listener
     */
    public ProgressListener progressListener() {
        return progress;
    }

    /**
     * Whether the report has the real-network section: face-api's trained expression and identity networks on its
     * shipped demo photos (from the weights and photos shipped with xai4j; no network access).
     *
     * @return true to write it (the default)
     */
    public boolean faceApi() {
        return faceApi;
    }

    /**
     * What the study runs on, as the report says it.
     *
     * @return {@code toy world}, {@code toy models, user images} or {@code real networks}
     */
    public String mode() {
        return images == null ? "toy world" : models.isEmpty() ? "toy models, user images" : "real networks";
    }

    /** The roles that run: every role on the toy world or with toy models, else the given ones. */
    List<StudyRole> roles() {
        return images == null || models.isEmpty() ? List.of(StudyRole.values()) : List.copyOf(models.keySet());
    }

    /** The amounts of work of this configuration. */
    Workload workload() {
        return quick ? Workload.small(igTolerance) : Workload.standard(igTolerance);
    }

    @Override public String toString() {
        return "StudyConfig[mode=" + mode() + ", roles=" + roles() + (models.isEmpty() ? "" : ", models="
                + models.values().stream().map(ImageClassifier::name).toList()) + (images == null ? ""
                : ", images=" + images.size()) + (quick ? ", quick" : "") + ", igTolerance=" + igTolerance
                + (replaceExisting ? ", replaceExisting" : "") + (faceApi ? "" : ", no face-api section") + "]";
    }

    /** Builder: every setting is optional; {@link #build()} checks that the models fit the images. */
    public static final class Builder {
        private final Map<StudyRole, ImageClassifier> models = new EnumMap<>(StudyRole.class);
        private List<StudyImage> images;
        private boolean quick;
        private double igTolerance = DEFAULT_IG_TOLERANCE;
        private boolean replaceExisting;
        private ProgressListener progress = ProgressListener.NONE;
        private boolean faceApi = true;

        private Builder() { }

        /**
         * Whether to write the real-network section: face-api's expression and identity networks on its demo photos
         * (default true; it adds a few seconds to a minute, depending on {@link #optQuick}).
         *
         * @param faceApi false to leave the section out
         * @return this builder
         */
        public Builder optFaceApi(boolean faceApi) {
            this.faceApi = faceApi;
            return this;
        }

        /**
         * A network for a role, in xai4j's pixel space ({@code InputSpace.PIXELS}, as every provider gives it).
         *
         * @param role  the role
         * @param model the network, e.g. {@code VGG16.builder().setSource(...).build().load()}
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder optModel(StudyRole role, ImageClassifier model) {
            models.put(Objects.requireNonNull(role, "role must not be null"),
                    Objects.requireNonNull(model, "model must not be null"));
            return this;
        }

        /**
         * Explains these images instead of the toy worlds' samples (then no ground-truth masks: the localization
         * checks are skipped).
         *
         * @param images one or more images, e.g. {@link StudyImage#readFolder} or {@link StudyImage#shippedPhotos}
         * @return this builder
         * @throws NullPointerException if {@code images} or one of them is null
         */
        public Builder optImages(List<StudyImage> images) {
            this.images = List.copyOf(Objects.requireNonNull(images, "images must not be null"));
            return this;
        }

        /**
         * The small configuration: 2 inputs per network, 4 feature-visualization steps and neurons, a coarse
         * integrated-gradients budget (default false: the full study).
         *
         * @param quick true for the small configuration
         * @return this builder
         */
        public Builder optQuick(boolean quick) {
            this.quick = quick;
            return this;
        }

        /**
         * The completeness tolerance of the report's integrated gradients, which add points until
         * {@code |delta| <= tolerance * |F(x) - F(x')|} (default {@link StudyConfig#DEFAULT_IG_TOLERANCE}, 1%).
         *
         * @param tolerance a fraction in (0, 1)
         * @return this builder
         */
        public Builder optIgTolerance(double tolerance) {
            this.igTolerance = tolerance;
            return this;
        }

        /**
         * Whether an existing non-empty report folder is replaced (default false: refused).
         *
         * @param replace true to replace it
         * @return this builder
         */
        public Builder optReplaceExisting(boolean replace) {
            this.replaceExisting = replace;
            return this;
        }

        /**
         * Receives progress after every step (a section of one network, one image) and can cancel the study
         * between steps and within long steps ({@link ProgressListener#isCancelled()}); interrupting the thread
         * cancels it too.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder optProgressListener(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress listener must not be null");
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the configuration
         * @throws IllegalArgumentException if the images are empty, the tolerance is not in (0, 1), or a network for
         *                                  the toy world does not take its 64x64 images
         */
        public StudyConfig build() {
            if (images != null && images.isEmpty()) {
                throw new IllegalArgumentException("give at least one image, or none for the toy world");
            }
            if (!(igTolerance > 0 && igTolerance < 1)) {
                throw new IllegalArgumentException("integrated-gradients tolerance must be in (0, 1), got "
                        + igTolerance);
            }
            if (images == null) {
                long[] toy = {3, ToyModels.SIZE, ToyModels.SIZE};
                for (Map.Entry<StudyRole, ImageClassifier> e : models.entrySet()) {
                    long[] shape = e.getValue().model().inputShape();
                    if (!Arrays.equals(shape, toy)) {
                        throw new IllegalArgumentException(e.getKey() + " network " + e.getValue().name()
                                + " takes input " + Arrays.toString(shape) + " but the toy world's images are "
                                + Arrays.toString(toy) + "; give images with optImages");
                    }
                }
            }
            return new StudyConfig(this);
        }
    }
}
