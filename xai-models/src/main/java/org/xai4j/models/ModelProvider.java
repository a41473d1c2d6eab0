package org.xai4j.models;

import java.util.List;

/**
 * A source of models: a file format or a family of named models. {@link ModelProviders} finds the provider of a
 * source by its scheme ({@code toy:object}: scheme {@code toy}) or, for files, by its extension; providers outside
 * xai-models register with {@link java.util.ServiceLoader} ({@code META-INF/services/org.xai4j.models.ModelProvider}).
 * Adding a model source is one provider class plus that one line.
 *
 * <p>Every provider returns the same loaded type, an {@link ImageClassifier} that takes RGB pixels in [0, 1] with its
 * preprocessing embedded.
 */
public interface ModelProvider {

    /**
     * A short name for messages and help, e.g. {@code Keras HDF5 file}.
     *
     * @return the name
     */
    String name();

    /**
     * The schemes of the named models this provider loads ({@code toy} for {@code toy:object}).
     *
     * @return the schemes, lower case without the colon; empty for a file provider
     */
    default List<String> schemes() {
        return List.of();
    }

    /**
     * The file extensions this provider reads.
     *
     * @return the extensions, lower case with the dot ({@code .h5}); empty for a provider of named models
     */
    default List<String> extensions() {
        return List.of();
    }

    /**
     * The model names this provider knows, for messages and help.
     *
     * @return the full names, e.g. {@code toy:object}; empty for a file provider
     */
    default List<String> names() {
        return List.of();
    }

    /**
     * Whether the source is a file the provider reads (so Spark may broadcast its bytes).
     *
     * @return true for a file provider
     */
    default boolean readsFile() {
        return schemes().isEmpty();
    }

    /**
     * Whether these settings may carry a separate weights file.
     *
     * @param settings the settings
     * @return true if {@link ModelSettings#weights()} applies
     */
    default boolean takesWeights(ModelSettings settings) {
        return false;
    }

    /**
     * Checks settings without reading any file: known names, options the source accepts.
     *
     * @param settings the settings
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    void validate(ModelSettings settings);

    /**
     * Loads the model.
     *
     * @param settings checked settings
     * @return the classifier; the caller closes it
     * @throws ModelLoadException naming the source and what was expected
     */
    ImageClassifier load(ModelSettings settings) throws ModelLoadException;
}
