package org.xai4j.explainers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The options given to one {@link ExplanationMethod}, checked against the method table: only options the method
 * declares, each value checked by its {@link MethodOption}. {@link #get} answers the given value or the method's
 * declared default, so defaults live in the table and nowhere else. Immutable.
 */
public final class MethodSettings {

    private final ExplanationMethod method;
    private final Map<MethodOption<?>, Object> given;

    private MethodSettings(ExplanationMethod method, Map<MethodOption<?>, Object> given) {
        this.method = method;
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /**
     * Checks options against a method.
     *
     * @param method the method
     * @param given  option values
     * @return the settings
     * @throws IllegalArgumentException if an option does not apply to the method (the message names the methods it
     *                                  applies to) or the method's own checks refuse a combination
     */
    static MethodSettings of(ExplanationMethod method, Map<MethodOption<?>, Object> given) {
        Objects.requireNonNull(method, "method must not be null");
        for (Map.Entry<MethodOption<?>, Object> e : given.entrySet()) {
            if (!method.takes(e.getKey())) {
                throw new IllegalArgumentException(e.getKey().name() + " does not apply to " + method.id()
                        + "; it applies to " + String.join(", ", ExplanationMethod.idsTaking(e.getKey())));
            }
        }
        MethodSettings settings = new MethodSettings(method, given);
        method.validate(settings);
        return settings;
    }

    /**
     * The method these settings are for.
     *
     * @return the method
     */
    public ExplanationMethod method() {
        return method;
    }

    /**
     * The given value, else the method's default.
     *
     * @param option an option of the method
     * @param <T>    its type
     * @return the value, or null when neither was given (the method then does what its table entry says)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(MethodOption<T> option) {
        if (given.containsKey(option)) {
            return (T) given.get(option);
        }
        return (T) method.defaultValue(option);
    }

    /**
     * Whether the caller gave a value (rather than the default applying).
     *
     * @param option an option
     * @return true if given
     */
    public boolean isGiven(MethodOption<?> option) {
        return given.containsKey(option);
    }

    /**
     * The given values only.
     *
     * @return an unmodifiable map in the order given
     */
    public Map<MethodOption<?>, Object> given() {
        return given;
    }

    @Override public boolean equals(Object o) {
        return o instanceof MethodSettings s && method.equals(s.method) && given.equals(s.given);
    }

    @Override public int hashCode() {
        return Objects.hash(method, given);
    }

    @Override public String toString() {
        StringBuilder s = new StringBuilder(method.id());
        given.forEach((k, v) -> s.append(", ").append(k.name()).append('=').append(v));
        return s.toString();
    }
}
