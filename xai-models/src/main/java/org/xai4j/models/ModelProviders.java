package org.xai4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model-provider registry: every {@link ModelProvider} on the class path, found with {@link ServiceLoader}, and
 * the one place where a model source is told apart: {@code scheme:name} goes to the provider of that scheme, anything
 * else is a file and goes to the provider of its extension.
 */
public final class ModelProviders {

    /** {@code scheme:rest}, with a scheme of two or more characters so that {@code C:\models} stays a file. */
    private static final Pattern SCHEME = Pattern.compile("([a-z][a-z0-9+.-]+):(?!//).*");

    private static final List<ModelProvider> PROVIDERS = discover();

    private ModelProviders() { }

    private static List<ModelProvider> discover() {
        List<ModelProvider> found = new ArrayList<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class, ModelProviders.class.getClassLoader())) {
            found.add(p);
        }
        return List.copyOf(found);
    }

    /**
     * Every registered provider.
     *
     * @return the providers
     */
    public static List<ModelProvider> all() {
        return PROVIDERS;
    }

    /**
     * The scheme of a model name.
     *
     * @param source a source
     * @return the scheme ({@code toy} for {@code toy:object}), or null for a file
     */
    public static String schemeOf(String source) {
        Matcher m = SCHEME.matcher(source.strip().toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : null;
    }

    /**
     * The provider of a source.
     *
     * @param source a model name or file
     * @return its provider
     * @throws NullPointerException     if the source is null
     * @throws IllegalArgumentException if no provider takes it (the message lists the names and extensions known)
     */
    public static ModelProvider forSource(String source) {
        Objects.requireNonNull(source, "source must not be null");
        String scheme = schemeOf(source);
        String lower = source.strip().toLowerCase(Locale.ROOT);
        for (ModelProvider p : PROVIDERS) {
            if (scheme != null ? p.schemes().contains(scheme) : p.extensions().stream().anyMatch(lower::endsWith)) {
                return p;
            }
        }
        throw new IllegalArgumentException((scheme != null ? "unknown model '" + source + "'"
                : "unsupported model file " + source) + "; expected " + known());
    }

    /**
     * What sources are known, for messages: {@code one of [toy:object, ...] or a file ending in .h5, ...}.
     *
     * @return the text
     */
    public static String known() {
        List<String> names = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        for (ModelProvider p : PROVIDERS) {
            names.addAll(p.names());
            extensions.addAll(p.extensions());
        }
        return "one of " + names + " or a model file ending in " + String.join(", ", extensions);
    }
}
