package org.xai4j.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A minimal {@code --key value} / {@code --flag} command-line parser; unknown options are usage errors. */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * Parses arguments.
     *
     * @param args    the command line
     * @param options the options that take a value (without {@code --})
     * @param flags   the options without a value
     * @return the parsed arguments
     * @throws UsageException for an unknown option, a missing value or a positional argument
     */
    static Args parse(String[] args, Set<String> options, Set<String> flags) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'; options start with --");
            }
            String key = a.substring(2);
            String inline = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                inline = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (flags.contains(key)) {
                if (inline != null) {
                    throw new UsageException("option --" + key + " takes no value");
                }
                parsed.values.put(key, "true");
            } else if (options.contains(key)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + key + " needs a value");
                    }
                    value = args[++i];
                }
                parsed.values.put(key, value);
            } else {
                throw new UsageException("unknown option --" + key + "; expected one of "
                        + String.join(", ", options.stream().map(o -> "--" + o).sorted().toList()) + ", "
                        + String.join(", ", flags.stream().map(o -> "--" + o).sorted().toList()));
            }
        }
        return parsed;
    }

    boolean flag(String key) {
        return values.containsKey(key);
    }

    String get(String key) {
        return values.get(key);
    }

    String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new UsageException("missing required option --" + key);
        }
        return v;
    }

    int intValue(String key, int defaultValue, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + key + " must be in " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be an integer, got '" + v + "'");
        }
    }
}
