package org.xai4j.spark.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The {@code --name value} and {@code --flag} options of this module's commands. */
public final class Options {

    /** A command line that cannot be run; the message says what to change. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * A usage error.
         *
         * @param message what is wrong
         */
        public UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> given = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();

    private Options() { }

    /**
     * Parses a command line.
     *
     * @param args   the arguments
     * @param valued the names of options with a value
     * @param flags  the names of options without one
     * @return the options
     * @throws UsageException for an unknown option, a missing value or a stray argument
     */
    public static Options parse(String[] args, Set<String> valued, Set<String> flags) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name != null && flags.contains(name)) {
                o.given.put(name, "");
            } else if (name != null && valued.contains(name)) {
                if (i + 1 == args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                o.given.put(name, args[++i]);
                o.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(args[i]);
            } else {
                Set<String> all = new TreeSet<>(valued);
                all.addAll(flags);
                throw new UsageException((name == null ? "unexpected argument '" : "unknown option '") + args[i]
                        + "'; the options are --" + String.join(", --", all));
            }
        }
        return o;
    }

    /**
     * Spark logs at INFO by default; a command run as a plain {@code main} logs warnings, and xai4j's progress, unless
     * a log4j2 configuration was given. Under spark-submit logging is already configured and this does nothing. Call
     * it first thing in {@code main}.
     */
    public static void quietSparkLogging() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:org/xai4j/spark/log4j2-command.properties");
        }
    }

    /**
     * Whether a flag or option was given.
     *
     * @param name the name without dashes
     * @return true if given
     */
    public boolean has(String name) {
        return given.containsKey(name);
    }

    /**
     * An option's value.
     *
     * @param name     the name
     * @param fallback the value when absent
     * @return the value
     */
    public String get(String name, String fallback) {
        return given.getOrDefault(name, fallback);
    }

    /**
     * Every value of an option given several times, in order.
     *
     * @param name the name
     * @return the values; empty when absent
     */
    public List<String> all(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    /**
     * A required option's value.
     *
     * @param name the name
     * @return the value
     * @throws UsageException if absent
     */
    public String require(String name) {
        String v = given.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    /**
     * An integer option in a range.
     *
     * @param name     the name
     * @param fallback the value when absent
     * @param min      the smallest allowed value
     * @param max      the largest allowed value
     * @return the value
     * @throws UsageException if not an integer in range
     */
    public int intValue(String name, int fallback, int min, int max) {
        String v = given.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new UsageException("--" + name + " must be in " + min + ".." + max + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * Exactly one of several options.
     *
     * @param names the alternatives
     * @return the one given
     * @throws UsageException if none or several are given
     */
    public String oneOf(List<String> names) {
        List<String> present = names.stream().filter(given::containsKey).toList();
        if (present.size() != 1) {
            throw new UsageException("give exactly one of --" + String.join(", --", names)
                    + (present.isEmpty() ? "" : "; got --" + String.join(", --", present)));
        }
        return present.get(0);
    }
}
