package org.xai4j.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Study} wrote.
 *
 * @param folder              the report folder ({@code index.html}, {@code summary.json}, PNG figures)
 * @param mode                {@code toy world}, {@code toy models, user images} or {@code real networks}
 * @param models              the networks' names, in report order
 * @param figures             the number of PNG figures written
 * @param maxIgRelativeError  the largest completeness error of the report's integrated gradients relative to
 *                            {@code |F(x) - F(x')|} (NaN when no image had {@code F(x) != F(x')})
 * @param seconds             wall time of the run
 * @param summary             every number of the report, as {@code summary.json} holds it: nested unmodifiable maps
 *                            and lists of strings, numbers, booleans and nulls
 */
public record StudyResult(Path folder, String mode, List<String> models, int figures, double maxIgRelativeError,
                          double seconds, Map<String, Object> summary) {

    /**
     * Checks the components and stores unmodifiable copies.
     *
     * @throws NullPointerException if a component is null
     */
    public StudyResult {
        Objects.requireNonNull(folder, "folder must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        models = List.copyOf(Objects.requireNonNull(models, "models must not be null"));
        summary = unmodifiableMap(Objects.requireNonNull(summary, "summary must not be null"));
    }

    /**
     * The report's page.
     *
     * @return {@code folder/index.html}
     */
    public Path index() {
        return folder.resolve("index.html");
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "StudyResult[folder=%s, mode=%s, models=%s, figures=%d, "
                + "maxIgRelativeError=%.4f, seconds=%.1f]", folder, mode, models, figures, maxIgRelativeError, seconds);
    }

    @SuppressWarnings("unchecked")
    private static Object unmodifiable(Object value) {
        if (value instanceof Map<?, ?> map) {
            return unmodifiableMap((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(unmodifiable(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static Map<String, Object> unmodifiableMap(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, unmodifiable(v)));
        return Collections.unmodifiableMap(copy);
    }
}
