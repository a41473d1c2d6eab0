package org.xai4j.explainers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xai4j.activation.ScoreCam;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.segmentation.Segmentation;

/**
 * One option of the method table: its name (the same in the Java API, a command line's {@code --name} and a
 * configuration file), its type, how it is parsed from text and what values it accepts. Which methods take an option,
 * and with what default, is declared by each {@link ExplanationMethod}; an option is written once here and read by
 * the library, the command lines, Spark and the study.
 *
 * @param <T> the value type
 */
public final class MethodOption<T> {

    /** Turns a command-line or configuration value into the option's value. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * Parses one value.
         *
         * @param text    the text
         * @param context what parsing needs of the model and the caller (image baselines, sizes)
         * @return the value
         * @throws IllegalArgumentException naming the option, the bad text and what was expected
         */
        T parse(String text, ParseContext context);
    }

    /** Checks a value; throws IllegalArgumentException naming the option and what was expected. */
    @FunctionalInterface
    public interface Check<T> {
        /**
         * Checks one value.
         *
         * @param value the value, never null
         */
        void check(T value);
    }

    /** What parsing may need beyond the text: the model's input shape and a way to read image baselines. */
    public interface ParseContext {
        /** A context that knows no model: image-file and blur baselines are refused with a message saying why. */
        ParseContext NONE = new ParseContext() { };

        /**
         * One example's shape {@code [channels, height, width]}.
         *
         * @return the shape, or null when no model is known yet
         */
        default long[] inputShape() {
            return null;
        }

        /**
         * An image file as a baseline, read as the model reads its inputs.
         *
         * @param file the image file
         * @return the baseline
         * @throws IllegalArgumentException if the file cannot be read
         */
        default Baseline imageBaseline(Path file) {
            throw new IllegalArgumentException("baseline '" + file + "' is an image file, which needs a model to read "
                    + "it at; expected zero, noise, constant:VALUE or blur:SIGMA here");
        }
    }

    private final String name;
    private final Class<?> type;
    private final String paramLabel;
    private final String description;
    private final boolean repeatable;
    private final Parser<T> parser;
    private final Check<T> check;

    private MethodOption(String name, Class<?> type, String paramLabel, String description, boolean repeatable,
                         Parser<T> parser, Check<T> check) {
        this.name = name;
        this.type = type;
        this.paramLabel = paramLabel;
        this.description = description;
        this.repeatable = repeatable;
        this.parser = parser;
        this.check = check;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The options. Add one here when a new method needs one; the command lines pick it up from ALL.

    /** Integration points of integrated gradients (with {@link #TOLERANCE}: points per path interval). */
    public static final MethodOption<Integer> STEPS = integer("steps", "N", "integration points", 1);
    /** The integration rule of integrated gradients. */
    public static final MethodOption<IntegrationRule> RULE = new MethodOption<>("rule", IntegrationRule.class,
            "RULE", "integration rule: " + lowerNames(IntegrationRule.values()), false,
            (text, context) -> enumValue(IntegrationRule.class, "integration rule", text), value -> { });
    /** Adaptive integrated gradients: the relative completeness tolerance. */
    public static final MethodOption<Double> TOLERANCE = new MethodOption<>("tolerance", Double.class, "FRACTION",
            "adaptive integration: add points until |delta| <= FRACTION * |F(x) - F(baseline)| (e.g. 0.01)", false,
            (text, context) -> parseDouble("tolerance", text), value -> {
                if (!(value > 0) || !Double.isFinite(value)) {
                    throw new IllegalArgumentException("tolerance must be positive and finite, got " + value);
                }
            });
    /** Adaptive integrated gradients: the most points per example and baseline. */
    public static final MethodOption<Integer> MAX_STEPS = integer("max-steps", "N",
            "with --tolerance: the most integration points", 1);
    /** Baselines (reference inputs), averaged over when several are given. */
    @SuppressWarnings("unchecked")
    public static final MethodOption<List<Baseline>> BASELINE = new MethodOption<>("baseline", List.class,
            "zero|noise|blur|blur:SIGMA|constant:V|FILE", "the baseline; repeat to average several", true,
            (text, context) -> List.of(parseBaseline(text, context)), value -> {
                if (value.isEmpty() || value.stream().anyMatch(Objects::isNull)) {
                    throw new IllegalArgumentException("baseline: give at least one baseline and no null ones, got "
                            + value);
                }
            });
    /** The spatial layer a layer method maps. */
    public static final MethodOption<String> LAYER = new MethodOption<>("layer", String.class, "NAME",
            "the spatial layer to map (default: the last spatial layer before global pooling)", false,
            (text, context) -> text.strip(), value -> {
                if (value.isBlank()) {
                    throw new IllegalArgumentException("layer must not be blank");
                }
            });
    /** How many inputs go through the model at once; bounds memory. */
    public static final MethodOption<Integer> INTERNAL_BATCH = integer("internal-batch", "N",
            "inputs per model pass (bounds memory)", 1);
    /** Random samples (noisy copies, permutations, coalitions, ...). */
    public static final MethodOption<Integer> SAMPLES = integer("samples", "N", "random samples per image", 1);
    /** Noise standard deviation as a fraction of each image's value range. */
    public static final MethodOption<Double> NOISE_LEVEL = new MethodOption<>("noise-level", Double.class, "FRACTION",
            "noise standard deviation as a fraction of the image's value range", false,
            (text, context) -> parseDouble("noise-level", text), value -> {
                if (!(value >= 0) || !Double.isFinite(value)) {
                    throw new IllegalArgumentException("noise-level must be a finite fraction >= 0, got " + value);
                }
            });
    /** The seed of a method's random draws. */
    public static final MethodOption<Long> SEED = new MethodOption<>("seed", Long.class, "N",
            "seed of the random draws", false, (text, context) -> {
                try {
                    return Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("seed must be an integer, got '" + text + "'");
                }
            }, value -> { });

    /** The side of occlusion's square window, in pixels. */
    public static final MethodOption<Integer> WINDOW = integer("window", "N", "occlusion window: N x N pixels over all "
            + "channels", 1);
    /** The step of occlusion's window, in pixels. */
    public static final MethodOption<Integer> STRIDE = integer("stride", "S", "occlusion window step in pixels", 1);
    /** How pixels are grouped into the features that perturbation methods switch on and off. */
    public static final MethodOption<Segmentation> SEGMENTS = new MethodOption<>("segments", Segmentation.class,
            "grid:N|slic:K", "features: N x N-pixel grid cells, or K SLIC superpixels", false,
            (text, context) -> Segmentation.parse(text.strip()), value -> { });
    /** Which definition of Score-CAM to compute. */
    public static final MethodOption<ScoreCam.Variant> SCORE_CAM_VARIANT = new MethodOption<>("scorecam-variant",
            ScoreCam.Variant.class, "pytorch_grad_cam|paper", "Score-CAM's definition: pytorch_grad_cam (softmax of the "
            + "masked logits over channels) or paper (increase of the class probability over a black image)", false,
            (text, context) -> enumValue(ScoreCam.Variant.class, "Score-CAM variant",
                    text.strip().equalsIgnoreCase("pytorch") ? "pytorch_grad_cam" : text), value -> { });

    /** LRP's epsilon rule: the stabilizer added to every denominator. */
    public static final MethodOption<Double> EPSILON = new MethodOption<>("epsilon", Double.class, "E",
            "LRP's epsilon rule stabilizer", false, (text, context) -> parseDouble("epsilon", text), value -> {
                if (!(value >= 0) || !Double.isFinite(value)) {
                    throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + value);
                }
            });

    /** Every option, in the order command lines list them. */
    public static final List<MethodOption<?>> ALL = List.of(STEPS, RULE, TOLERANCE, MAX_STEPS, BASELINE, LAYER,
            INTERNAL_BATCH, SAMPLES, NOISE_LEVEL, SEED, WINDOW, STRIDE, SEGMENTS, SCORE_CAM_VARIANT, EPSILON);

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The option's name, e.g. {@code internal-batch}; a command line spells it {@code --internal-batch}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value type.
     *
     * @return the class of the values
     */
    public Class<?> type() {
        return type;
    }

    /**
     * How a command line shows the value, e.g. {@code N}.
     *
     * @return the label
     */
    public String paramLabel() {
        return paramLabel;
    }

    /**
     * What the option means, without the methods and defaults (see {@link ExplanationMethod#describe}).
     *
     * @return a sentence fragment
     */
    public String description() {
        return description;
    }

    /**
     * Whether the option may be given several times (its values are then collected in a list).
     *
     * @return true for list options
     */
    public boolean repeatable() {
        return repeatable;
    }

    /**
     * Parses a value from text.
     *
     * @param text    the text
     * @param context what parsing needs of the model
     * @return the checked value
     * @throws IllegalArgumentException naming the option, the text and what was expected
     */
    public T parse(String text, ParseContext context) {
        Objects.requireNonNull(text, name + ": text must not be null");
        T value = parser.parse(text, Objects.requireNonNull(context, "context must not be null"));
        check.check(value);
        return value;
    }

    /**
     * Checks a value given programmatically.
     *
     * @param value the value
     * @return the value
     * @throws NullPointerException     if the value is null
     * @throws IllegalArgumentException if the value is out of range (the message names the option)
     */
    public T check(T value) {
        Objects.requireNonNull(value, name + " must not be null");
        check.check(value);
        return value;
    }

    /**
     * The option of a name.
     *
     * @param name an option name such as {@code steps} (a leading {@code --} is ignored)
     * @return the option
     * @throws IllegalArgumentException if there is no such option (the message lists them)
     */
    public static MethodOption<?> named(String name) {
        String wanted = name.strip().replaceFirst("^--", "").toLowerCase(Locale.ROOT);
        for (MethodOption<?> option : ALL) {
            if (option.name.equals(wanted)) {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown option '" + name + "'; expected one of "
                + String.join(", ", ALL.stream().map(MethodOption::name).toList()));
    }

    @Override public String toString() {
        return "--" + name;
    }

    private static MethodOption<Integer> integer(String name, String label, String description, int minimum) {
        return new MethodOption<>(name, Integer.class, label, description, false, (text, context) -> {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'");
            }
        }, value -> {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
            }
        });
    }

    private static double parseDouble(String name, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
        }
    }

    /** An enum constant by its lower-case name ({@code gauss_legendre}, {@code gauss-legendre}). */
    static <E extends Enum<E>> E enumValue(Class<E> type, String option, String text) {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + option + " '" + text + "'; expected one of "
                + lowerNames(type.getEnumConstants()));
    }

    static String lowerNames(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** {@code zero}, {@code noise}, {@code blur} (sigma = the longer side / 16), {@code blur:S}, {@code constant:V}, or an image file. */
    static Baseline parseBaseline(String text, ParseContext context) {
        String spec = text.strip();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.equals("zero")) {
            return Baseline.zero();
        }
        if (lower.equals("noise")) {
            return Baseline.uniformNoise(0, 1, 0);
        }
        if (lower.equals("blur")) {
            long[] shape = context.inputShape();
            if (shape == null) {
                throw new IllegalArgumentException("baseline 'blur' takes its sigma from the input size, which is not "
                        + "known here; give blur:SIGMA");
            }
            return Baseline.gaussianBlur(Math.max(shape[1], shape[2]) / 16.0);
        }
        if (lower.startsWith("blur:")) {
            return Baseline.gaussianBlur(parseDouble("baseline blur sigma", spec.substring(5)));
        }
        if (lower.startsWith("constant:")) {
            return Baseline.constant(parseDouble("baseline constant", spec.substring(9)));
        }
        Path file;
        try {
            file = Path.of(spec);
        } catch (RuntimeException e) {
            file = null;
        }
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("unknown baseline '" + text + "'; expected zero, noise, blur, blur:SIGMA, "
                    + "constant:VALUE or an image file");
        }
        return context.imageBaseline(file);
    }

    /** Collects repeated list values: {@code [a] + [b] = [a, b]}. */
    @SuppressWarnings("unchecked")
    static Object append(Object previous, Object next) {
        List<Object> all = new ArrayList<>((List<Object>) previous);
        all.addAll((List<Object>) next);
        return List.copyOf(all);
    }
}
