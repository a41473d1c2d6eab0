package org.xai4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xai4j.ProgressListener;
import org.xai4j.attribution.Baseline;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.MethodOption;
import org.xai4j.models.ImageClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The method options of a command ({@code --steps}, {@code --layer}, ...), generated from the method table: one
 * command-line option per {@link MethodOption}, whose help lists the methods that take it with their defaults. The
 * values are kept as text and handed to {@link Explainer.Builder#opt(String, String, MethodOption.ParseContext)}, so
 * the library parses and checks them, and its messages reach the user unchanged.
 */
public final class MethodOptions {

    /** Implemented by the commands that take method options. */
    public interface Holder {
        /**
         * The command's method options.
         *
         * @return the options the parser fills
         */
        MethodOptions methodOptions();
    }

    /** Parses without a model, for {@link #check}: what needs the model is stood in for. */
    private static final MethodOption.ParseContext CHECK_ONLY = new MethodOption.ParseContext() {
        @Override public long[] inputShape() {
            return new long[] {3, 16, 16};
        }

        @Override public Baseline imageBaseline(Path file) {
            return Baseline.zero();
        }
    };

    private final Map<MethodOption<?>, List<String>> given = new LinkedHashMap<>();

    /** Empty; the command's {@link Transformer} fills it while parsing. */
    public MethodOptions() { }

    /**
     * Adds an option per table entry to a command whose user object is a {@link Holder} (picocli's model transformer,
     * named in the command's {@code @Command(modelTransformer = ...)}).
     */
    public static final class Transformer implements CommandLine.IModelTransformer {
        @Override public CommandSpec transform(CommandSpec spec) {
            MethodOptions options = ((Holder) spec.userObject()).methodOptions();
            for (MethodOption<?> option : MethodOption.ALL) {
                OptionSpec.Builder b = OptionSpec.builder("--" + option.name()).paramLabel(option.paramLabel())
                        .description(help(option));
                if (option.repeatable()) {
                    b.type(List.class).auxiliaryTypes(String.class).arity("1").setter(new CommandLine.Model.ISetter() {
                        @Override @SuppressWarnings("unchecked") public <T> T set(T value) {
                            options.given.put(option, (List<String>) value);
                            return null;
                        }
                    }).getter(new CommandLine.Model.IGetter() {
                        @Override @SuppressWarnings("unchecked") public <T> T get() {
                            return (T) options.given.get(option);
                        }
                    });
                } else {
                    b.type(String.class).arity("1").setter(new CommandLine.Model.ISetter() {
                        @Override public <T> T set(T value) {
                            options.given.put(option, value == null ? null : List.of((String) value));
                            return null;
                        }
                    });
                }
                spec.addOption(b.build());
            }
            return spec;
        }

        private static String help(MethodOption<?> option) {
            List<String> uses = new ArrayList<>();
            for (ExplanationMethod m : ExplanationMethod.values()) {
                if (m.takes(option)) {
                    uses.add(m.describe(option));
                }
            }
            return capitalized(option.description()) + (option.repeatable() ? " (repeatable)" : "") + ". Methods: "
                    + String.join(", ", uses) + ".";
        }

        private static String capitalized(String s) {
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }

    /** The names of the table's methods, for {@code --method}'s help and completion. */
    public static final class MethodNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() {
            return ExplanationMethod.ids().iterator();
        }
    }

    /** {@code --method}: a name of the method table, any case. */
    public static final class MethodConverter implements CommandLine.ITypeConverter<ExplanationMethod> {
        @Override public ExplanationMethod convert(String value) {
            try {
                return ExplanationMethod.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(Xai4j.oneLine(e));
            }
        }
    }

    /**
     * Whether an option was given.
     *
     * @param option the option
     * @return true if given
     */
    public boolean isGiven(MethodOption<?> option) {
        return given.get(option) != null;
    }

    /**
     * The given options as text, by option name: a serializable value that a Spark job ships to its executors.
     *
     * @return an immutable map in the order given
     */
    public Map<String, List<String>> texts() {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        given.forEach((option, values) -> {
            if (values != null) {
                texts.put(option.name(), List.copyOf(values));
            }
        });
        return Map.copyOf(texts);
    }

    /**
     * Checks the options against a method before any model is loaded, so a mistyped command fails at once: image
     * baselines are only checked to exist and {@code blur} to parse, since reading them needs the model.
     *
     * @param method the method
     * @throws UsageException with the library's message
     */
    public void check(ExplanationMethod method) {
        explainer(method, texts(), CHECK_ONLY, ProgressListener.NONE);
    }

    /**
     * An explainer with the given options, parsed and checked by the library.
     *
     * @param method     the method
     * @param classifier the model (image baselines are read at its input size)
     * @param progress   receives progress
     * @return the explainer
     * @throws UsageException with the library's message for an option the method does not take or a bad value
     */
    public Explainer explainer(ExplanationMethod method, ImageClassifier classifier, ProgressListener progress) {
        MethodOption.ParseContext context = new MethodOption.ParseContext() {
            @Override public long[] inputShape() {
                return classifier.inputShape();
            }

            @Override public Baseline imageBaseline(Path file) {
                return Baseline.image(classifier.toInput(CliCommand.readImage(classifier, file, "baseline image")));
            }
        };
        return explainer(method, texts(), context, progress);
    }

    /**
     * An explainer with options given as text, parsed and checked by the library.
     *
     * @param method     the method
     * @param texts    option values by option name ({@link #texts()})
     * @param context  what parsing needs of the model ({@link MethodOption.ParseContext#NONE} without one)
     * @param progress receives progress
     * @return the explainer
     * @throws UsageException with the library's message for an option the method does not take or a bad value
     */
    public static Explainer explainer(ExplanationMethod method, Map<String, List<String>> texts,
                                      MethodOption.ParseContext context, ProgressListener progress) {
        Explainer.Builder b = Explainer.builder().setMethod(method).optProgressListener(progress);
        try {
            for (Map.Entry<String, List<String>> e : texts.entrySet()) {
                for (String text : e.getValue()) {
                    b.opt(e.getKey(), text, context);
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(Xai4j.oneLine(e), e);
        }
    }
}
