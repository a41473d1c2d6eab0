package org.xai4j.explainers;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.xai4j.ActivationMapper;
import org.xai4j.AttributionMethod;
import org.xai4j.ProgressListener;
import org.xai4j.activation.AblationCam;
import org.xai4j.activation.EigenCam;
import org.xai4j.activation.EigenGradCam;
import org.xai4j.activation.FullGrad;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.GradCamElementWise;
import org.xai4j.activation.GradCamPlusPlus;
import org.xai4j.activation.HiResCam;
import org.xai4j.activation.LayerCam;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.activation.Normalization;
import org.xai4j.activation.ScoreCam;
import org.xai4j.activation.XGradCam;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.NoiseTunnel;
import org.xai4j.attribution.Saliency;
import org.xai4j.engine.ImageModel;
import org.xai4j.guided.Deconvolution;
import org.xai4j.guided.GuidedBackprop;
import org.xai4j.guided.GuidedGradCam;
import org.xai4j.perturbation.FeatureAblation;
import org.xai4j.perturbation.Occlusion;
import org.xai4j.propagation.DeepLift;
import org.xai4j.propagation.DeepLiftShap;
import org.xai4j.propagation.Lrp;
import org.xai4j.shapley.GradientShap;
import org.xai4j.shapley.KernelShap;
import org.xai4j.shapley.ShapleyValueSampling;
import org.xai4j.surrogate.Lime;

import static org.xai4j.explainers.MethodOption.BASELINE;
import static org.xai4j.explainers.MethodOption.EPSILON;
import static org.xai4j.explainers.MethodOption.INTERNAL_BATCH;
import static org.xai4j.explainers.MethodOption.LAYER;
import static org.xai4j.explainers.MethodOption.MAX_STEPS;
import static org.xai4j.explainers.MethodOption.NOISE_LEVEL;
import static org.xai4j.explainers.MethodOption.RULE;
import static org.xai4j.explainers.MethodOption.SCORE_CAM_VARIANT;
import static org.xai4j.explainers.MethodOption.SEGMENTS;
import static org.xai4j.explainers.MethodOption.STRIDE;
import static org.xai4j.explainers.MethodOption.WINDOW;
import static org.xai4j.explainers.MethodOption.SAMPLES;
import static org.xai4j.explainers.MethodOption.SEED;
import static org.xai4j.explainers.MethodOption.STEPS;
import static org.xai4j.explainers.MethodOption.TOLERANCE;

/**
 * The method table: every explanation method of xai4j, declared once with its name, family, what it returns, the
 * reference implementation it follows, the {@link MethodOption options} it takes with their defaults, and its factory.
 * {@link Explainer}, the command lines, Spark and the study all read this table: adding a method is its class plus one
 * registration below.
 *
 * <p>Names are what a command line or configuration file gives ({@code --method gradcampp}); {@link #fromId} ignores
 * case. Instances are unique, so they compare with {@code ==}.
 */
public final class ExplanationMethod implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What a method's map is, and what its target means. */
    public enum Output {
        /** One value per input element {@code [n, channels, height, width]}; targets are classes. */
        INPUT_ATTRIBUTION,
        /** A class activation map of a layer, upsampled to {@code [n, height, width]}; targets are classes. */
        CLASS_MAP,
        /** A neuron's activation map, upsampled to {@code [n, height, width]}; targets are channels of the layer. */
        NEURON_MAP
    }

    /** Method families, one package each. */
    public enum Family {
        /** Gradient-based input attributions ({@code org.xai4j.attribution}). */
        GRADIENT,
        /** Noise tunnels over a gradient method ({@code org.xai4j.attribution}). */
        NOISE_TUNNEL,
        /** Class activation maps ({@code org.xai4j.activation}). */
        CAM,
        /** Activations of single neurons ({@code org.xai4j.activation}). */
        ACTIVATION,
        /** Occlusion and ablation of input regions ({@code org.xai4j.perturbation}). */
        PERTURBATION,
        /** Shapley-value estimates ({@code org.xai4j.shapley}). */
        SHAPLEY,
        /** Local surrogate models ({@code org.xai4j.surrogate}). */
        SURROGATE,
        /** Gradients with overridden ReLU backward rules ({@code org.xai4j.guided}). */
        GUIDED,
        /** Relevance propagated by backward rules: DeepLift, LRP ({@code org.xai4j.propagation}). */
        PROPAGATION
    }

    /** Makes a configured input-attribution method for a model. */
    @FunctionalInterface
    public interface AttributionFactory {
        /**
         * Configures the method.
         *
         * @param model    the model
         * @param settings checked options (defaults filled in by {@link MethodSettings#get})
         * @param progress receives progress
         * @return the method
         */
        AttributionMethod create(ImageModel model, MethodSettings settings, ProgressListener progress);
    }

    /** Makes a configured layer-map method for a model and layer; maps are raw ({@link Normalization#NONE}). */
    @FunctionalInterface
    public interface MapperFactory {
        /**
         * Configures the method.
         *
         * @param model    the model
         * @param layer    the spatial layer to map
         * @param settings checked options
         * @param progress receives progress
         * @return the mapper
         */
        ActivationMapper create(ImageModel model, String layer, MethodSettings settings, ProgressListener progress);
    }

    /** Checks combinations of options that no single option can check. */
    @FunctionalInterface
    interface Validator {
        void validate(MethodSettings settings);
    }

    private static final List<ExplanationMethod> TABLE = new ArrayList<>();

    // ---------------------------------------------------------------------------------------------------------------
    // The registrations.

    /** Integrated gradients (Sundararajan et al. 2017; {@link IntegratedGradients}). */
    public static final ExplanationMethod IG = define("ig", Family.GRADIENT, Output.INPUT_ATTRIBUTION,
            "Captum IntegratedGradients", "integrated gradients")
            .option(STEPS, IntegratedGradients.DEFAULT_STEPS, IntegratedGradients.DEFAULT_STEPS + "; with --tolerance "
                    + IntegratedGradients.DEFAULT_ADAPTIVE_STEPS + " per path interval")
            .option(RULE, IntegrationRule.GAUSS_LEGENDRE)
            .option(TOLERANCE, null, "off: a fixed number of points")
            .option(MAX_STEPS, IntegratedGradients.DEFAULT_ADAPTIVE_MAX_STEPS)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, IntegratedGradients.DEFAULT_INTERNAL_BATCH_SIZE)
            .validator(ExplanationMethod::checkIntegratedGradients)
            .attribution((model, s, progress) -> {
                IntegratedGradients.Builder ig = IntegratedGradients.builder().setModel(model)
                        .optRule(s.get(RULE)).optInternalBatchSize(s.get(INTERNAL_BATCH))
                        .optProgressListener(progress);
                Double tolerance = s.get(TOLERANCE);
                if (tolerance != null) {
                    int perInterval = s.isGiven(STEPS) ? s.get(STEPS) : IntegratedGradients.DEFAULT_ADAPTIVE_STEPS;
                    ig.optSteps(perInterval).optAdaptive(tolerance, Math.max(s.get(MAX_STEPS), perInterval));
                } else {
                    ig.optSteps(s.get(STEPS));
                }
                List<Baseline> baselines = s.get(BASELINE);
                if (baselines != null) {
                    ig.optBaselines(baselines.toArray(Baseline[]::new));
                }
                return ig.build();
            });

    /** The signed input gradient (Simonyan et al. 2014; {@link Saliency}). */
    public static final ExplanationMethod SALIENCY = define("saliency", Family.GRADIENT, Output.INPUT_ATTRIBUTION,
            "Captum Saliency(abs=False)", "the signed input gradient")
            .attribution((model, s, progress) -> Saliency.builder().setModel(model).build());

    /** Input times gradient (Shrikumar et al. 2016; {@link InputXGradient}). */
    public static final ExplanationMethod INPUT_X_GRADIENT = define("inputxgrad", Family.GRADIENT,
            Output.INPUT_ATTRIBUTION, "Captum InputXGradient", "input times gradient")
            .attribution((model, s, progress) -> InputXGradient.builder().setModel(model).build());

    /** SmoothGrad: the mean saliency of noisy copies (Smilkov et al. 2017; {@link NoiseTunnel}). */
    public static final ExplanationMethod SMOOTHGRAD = noiseTunnel("smoothgrad", NoiseTunnel.Aggregation.SMOOTHGRAD,
            "the mean saliency of noisy copies");
    /** SmoothGrad-squared: the mean squared saliency of noisy copies. */
    public static final ExplanationMethod SMOOTHGRAD_SQUARED = noiseTunnel("smoothgrad_sq",
            NoiseTunnel.Aggregation.SMOOTHGRAD_SQUARED, "the mean squared saliency of noisy copies");
    /** VarGrad: the variance of the saliency of noisy copies (Adebayo et al. 2018). */
    public static final ExplanationMethod VARGRAD = noiseTunnel("vargrad", NoiseTunnel.Aggregation.VARGRAD,
            "the variance of the saliency of noisy copies");

    /** Grad-CAM (Selvaraju et al. 2017; {@link GradCam}). */
    public static final ExplanationMethod GRAD_CAM = cam("gradcam", "pytorch-grad-cam GradCAM", "Grad-CAM", 1)
            .mapper((model, layer, s, progress) -> GradCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Grad-CAM++ (Chattopadhay et al. 2018; {@link GradCamPlusPlus}). */
    public static final ExplanationMethod GRAD_CAM_PLUS_PLUS = cam("gradcampp", "pytorch-grad-cam GradCAMPlusPlus",
            "Grad-CAM++", 1)
            .mapper((model, layer, s, progress) -> GradCamPlusPlus.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Score-CAM (Wang et al. 2020; {@link ScoreCam}). */
    public static final ExplanationMethod SCORE_CAM = cam("scorecam", "pytorch-grad-cam ScoreCAM", "Score-CAM", 0)
            .option(INTERNAL_BATCH, ScoreCam.DEFAULT_BATCH_SIZE)
            .option(SCORE_CAM_VARIANT, ScoreCam.Variant.PYTORCH_GRAD_CAM)
            .mapper((model, layer, s, progress) -> ScoreCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).optBatchSize(s.get(INTERNAL_BATCH))
                    .optVariant(s.get(SCORE_CAM_VARIANT)).optProgressListener(progress).build());
    /** LayerCAM (Jiang et al. 2021; {@link LayerCam}). */
    public static final ExplanationMethod LAYER_CAM = cam("layercam", "pytorch-grad-cam LayerCAM", "LayerCAM", 1)
            .mapper((model, layer, s, progress) -> LayerCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** HiResCAM (Draelos and Carin 2020; {@link HiResCam}). */
    public static final ExplanationMethod HIRES_CAM = cam("hirescam", "pytorch-grad-cam HiResCAM", "HiResCAM", 1)
            .mapper((model, layer, s, progress) -> HiResCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Grad-CAM element-wise ({@link GradCamElementWise}). */
    public static final ExplanationMethod GRAD_CAM_ELEMENT_WISE = cam("gradcamelementwise",
            "pytorch-grad-cam GradCAMElementWise", "element-wise Grad-CAM", 1)
            .mapper((model, layer, s, progress) -> GradCamElementWise.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** XGrad-CAM (Fu et al. 2020; {@link XGradCam}). */
    public static final ExplanationMethod X_GRAD_CAM = cam("xgradcam", "pytorch-grad-cam XGradCAM", "XGrad-CAM", 1)
            .mapper((model, layer, s, progress) -> XGradCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Eigen-CAM (Muhammad and Yeasin 2020; {@link EigenCam}); class-agnostic. */
    public static final ExplanationMethod EIGEN_CAM = cam("eigencam", "pytorch-grad-cam EigenCAM (sign-corrected)",
            "Eigen-CAM", 0)
            .mapper((model, layer, s, progress) -> EigenCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Eigen-Grad-CAM ({@link EigenGradCam}). */
    public static final ExplanationMethod EIGEN_GRAD_CAM = cam("eigengradcam",
            "pytorch-grad-cam EigenGradCAM (sign-corrected)", "Eigen-Grad-CAM", 1)
            .mapper((model, layer, s, progress) -> EigenGradCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).build());
    /** Ablation-CAM (Desai and Ramaswamy 2020; {@link AblationCam}). */
    public static final ExplanationMethod ABLATION_CAM = cam("ablationcam", "pytorch-grad-cam AblationCAM",
            "Ablation-CAM", 0)
            .option(INTERNAL_BATCH, AblationCam.DEFAULT_BATCH_SIZE)
            .mapper((model, layer, s, progress) -> AblationCam.builder().setModel(model).optLayer(layer)
                    .optNormalization(Normalization.NONE).optBatchSize(s.get(INTERNAL_BATCH))
                    .optProgressListener(progress).build());
    /** FullGrad (Srinivas and Fleuret 2019; {@link FullGrad}): input and bias gradients, no layer to choose. */
    public static final ExplanationMethod FULL_GRAD = define("fullgrad", Family.CAM, Output.CLASS_MAP,
            "pytorch-grad-cam FullGrad", "full-gradient map: input and every bias's gradient times its value")
            .gradientEvaluations(1)
            .mapper((model, layer, s, progress) -> FullGrad.builder().setModel(model)
                    .optNormalization(Normalization.NONE).build());

    /** Occlusion (Zeiler and Fergus 2014; {@link Occlusion}). */
    public static final ExplanationMethod OCCLUSION = define("occlusion", Family.PERTURBATION,
            Output.INPUT_ATTRIBUTION, "Captum Occlusion", "the output drop when a sliding window is set to the baseline")
            .option(WINDOW, Occlusion.DEFAULT_WINDOW)
            .option(STRIDE, Occlusion.DEFAULT_STRIDE)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, Occlusion.DEFAULT_PERTURBATIONS_PER_EVAL)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> Occlusion.builder().setModel(model).optWindow(s.get(WINDOW))
                    .optStride(s.get(STRIDE)).optBaseline(oneBaseline(s, Occlusion.DEFAULT_BASELINE))
                    .optPerturbationsPerEval(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** Feature ablation ({@link FeatureAblation}). */
    public static final ExplanationMethod FEATURE_ABLATION = define("featureablation", Family.PERTURBATION,
            Output.INPUT_ATTRIBUTION, "Captum FeatureAblation", "the output drop when each segment is set to the "
                    + "baseline")
            .option(SEGMENTS, FeatureAblation.DEFAULT_SEGMENTATION)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, FeatureAblation.DEFAULT_PERTURBATIONS_PER_EVAL)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> FeatureAblation.builder().setModel(model)
                    .optSegmentation(s.get(SEGMENTS)).optBaseline(oneBaseline(s, FeatureAblation.DEFAULT_BASELINE))
                    .optPerturbationsPerEval(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** Shapley value sampling (Castro et al. 2009; {@link ShapleyValueSampling}). */
    public static final ExplanationMethod SHAPLEY_SAMPLING = define("shapleysampling", Family.SHAPLEY,
            Output.INPUT_ATTRIBUTION, "Captum ShapleyValueSampling", "Shapley values of segments from random "
                    + "permutations")
            .option(SEGMENTS, ShapleyValueSampling.DEFAULT_SEGMENTATION)
            .option(SAMPLES, ShapleyValueSampling.DEFAULT_SAMPLES)
            .option(SEED, ShapleyValueSampling.DEFAULT_SEED)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, ShapleyValueSampling.DEFAULT_PERTURBATIONS_PER_EVAL)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> ShapleyValueSampling.builder().setModel(model)
                    .optSegmentation(s.get(SEGMENTS)).optSamples(s.get(SAMPLES)).optSeed(s.get(SEED))
                    .optBaseline(oneBaseline(s, ShapleyValueSampling.DEFAULT_BASELINE))
                    .optPerturbationsPerEval(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** KernelSHAP (Lundberg and Lee 2017; {@link KernelShap}). */
    public static final ExplanationMethod KERNEL_SHAP = define("kernelshap", Family.SHAPLEY, Output.INPUT_ATTRIBUTION,
            "Captum KernelShap", "Shapley values of segments from a weighted linear fit over coalitions")
            .option(SEGMENTS, KernelShap.DEFAULT_SEGMENTATION)
            .option(SAMPLES, KernelShap.DEFAULT_SAMPLES)
            .option(SEED, KernelShap.DEFAULT_SEED)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, KernelShap.DEFAULT_PERTURBATIONS_PER_EVAL)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> KernelShap.builder().setModel(model)
                    .optSegmentation(s.get(SEGMENTS)).optSamples(s.get(SAMPLES)).optSeed(s.get(SEED))
                    .optBaseline(oneBaseline(s, KernelShap.DEFAULT_BASELINE))
                    .optPerturbationsPerEval(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** LIME (Ribeiro et al. 2016; {@link Lime}). */
    public static final ExplanationMethod LIME = define("lime", Family.SURROGATE, Output.INPUT_ATTRIBUTION,
            "Captum Lime", "a sparse linear surrogate of the model over segments, fitted near the image")
            .option(SEGMENTS, Lime.DEFAULT_SEGMENTATION)
            .option(SAMPLES, Lime.DEFAULT_SAMPLES)
            .option(SEED, Lime.DEFAULT_SEED)
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, Lime.DEFAULT_PERTURBATIONS_PER_EVAL)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> Lime.builder().setModel(model)
                    .optSegmentation(s.get(SEGMENTS)).optSamples(s.get(SAMPLES)).optSeed(s.get(SEED))
                    .optBaseline(oneBaseline(s, Lime.DEFAULT_BASELINE))
                    .optPerturbationsPerEval(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** GradientSHAP (Lundberg and Lee 2017; {@link GradientShap}). */
    public static final ExplanationMethod GRADIENT_SHAP = define("gradientshap", Family.SHAPLEY,
            Output.INPUT_ATTRIBUTION, "Captum GradientShap", "expected gradients times the input minus random "
                    + "baselines")
            .option(BASELINE, null, "zero, a black image; repeat to draw from several")
            .option(SAMPLES, GradientShap.DEFAULT_SAMPLES)
            .option(SEED, GradientShap.DEFAULT_SEED)
            .option(INTERNAL_BATCH, GradientShap.DEFAULT_INTERNAL_BATCH_SIZE)
            .attribution((model, s, progress) -> {
                List<Baseline> baselines = s.get(BASELINE);
                return GradientShap.builder().setModel(model)
                        .optBaselines(baselines == null ? GradientShap.DEFAULT_BASELINES : baselines)
                        .optSamples(s.get(SAMPLES)).optSeed(s.get(SEED)).optInternalBatchSize(s.get(INTERNAL_BATCH))
                        .optProgressListener(progress).build();
            });

    /** Guided backpropagation (Springenberg et al. 2015; {@link GuidedBackprop}). */
    public static final ExplanationMethod GUIDED_BACKPROP = define("guidedbackprop", Family.GUIDED,
            Output.INPUT_ATTRIBUTION, "Captum GuidedBackprop", "the gradient with ReLUs passing only positive "
                    + "gradients where their input was positive")
            .gradientEvaluations(1)
            .attribution((model, s, progress) -> GuidedBackprop.builder().setModel(model).build());
    /** Deconvolution (Zeiler and Fergus 2014; {@link Deconvolution}). */
    public static final ExplanationMethod DECONVOLUTION = define("deconvolution", Family.GUIDED,
            Output.INPUT_ATTRIBUTION, "Captum Deconvolution", "the gradient with ReLUs passing only positive "
                    + "gradients, whatever their input")
            .gradientEvaluations(1)
            .attribution((model, s, progress) -> Deconvolution.builder().setModel(model).build());
    /** Guided Grad-CAM (Selvaraju et al. 2017; {@link GuidedGradCam}). */
    public static final ExplanationMethod GUIDED_GRAD_CAM = define("guidedgradcam", Family.GUIDED,
            Output.INPUT_ATTRIBUTION, "Captum GuidedGradCam", "guided backpropagation times the upsampled Grad-CAM")
            .option(LAYER, null, "the last spatial layer before global pooling")
            .gradientEvaluations(2)
            .attribution((model, s, progress) -> {
                GuidedGradCam.Builder b = GuidedGradCam.builder().setModel(model);
                String layer = s.get(LAYER);
                return (layer == null ? b : b.optLayer(layer)).build();
            });
    /** DeepLift with the Rescale rule (Shrikumar et al. 2017; {@link DeepLift}). */
    public static final ExplanationMethod DEEP_LIFT = define("deeplift", Family.PROPAGATION, Output.INPUT_ATTRIBUTION,
            "Captum DeepLift (Rescale)", "differences from a reference propagated by the Rescale rule")
            .option(BASELINE, null, "zero, a black image")
            .option(INTERNAL_BATCH, DeepLift.DEFAULT_INTERNAL_BATCH_SIZE)
            .validator(ExplanationMethod::checkOneBaseline)
            .attribution((model, s, progress) -> DeepLift.builder().setModel(model)
                    .optBaseline(oneBaseline(s, DeepLift.DEFAULT_BASELINE))
                    .optInternalBatchSize(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    /** DeepLiftShap: DeepLift averaged over baselines (Lundberg and Lee 2017; {@link DeepLiftShap}). */
    public static final ExplanationMethod DEEP_LIFT_SHAP = define("deepliftshap", Family.PROPAGATION,
            Output.INPUT_ATTRIBUTION, "Captum DeepLiftShap", "DeepLift averaged over several references")
            .option(BASELINE, null, "zero, a black image; repeat to average several")
            .option(INTERNAL_BATCH, DeepLiftShap.DEFAULT_INTERNAL_BATCH_SIZE)
            .attribution((model, s, progress) -> {
                List<Baseline> baselines = s.get(BASELINE);
                return DeepLiftShap.builder().setModel(model)
                        .optBaselines(baselines == null ? DeepLiftShap.DEFAULT_BASELINES : baselines)
                        .optInternalBatchSize(s.get(INTERNAL_BATCH)).optProgressListener(progress).build();
            });
    /** Layer-wise relevance propagation, epsilon rule (Bach et al. 2015; {@link Lrp}). */
    public static final ExplanationMethod LRP = define("lrp", Family.PROPAGATION, Output.INPUT_ATTRIBUTION,
            "Captum LRP (epsilon rule)", "the output's relevance propagated back by the epsilon rule")
            .option(EPSILON, Lrp.DEFAULT_EPSILON)
            .gradientEvaluations(1)
            .attribution((model, s, progress) -> Lrp.builder().setModel(model).optEpsilon(s.get(EPSILON)).build());

    /** The activation map of one neuron of a layer ({@link NeuronActivations}). */
    public static final ExplanationMethod ACTIVATIONS = define("activations", Family.ACTIVATION, Output.NEURON_MAP,
            "-", "one neuron's activation map (target: a channel; default the one with the largest spike total)")
            .option(LAYER, null, "the last spatial layer before global pooling")
            .mapper((model, layer, s, progress) -> NeuronActivations.builder().setModel(model).setLayer(layer)
                    .optNormalization(Normalization.NONE).build());

    // ---------------------------------------------------------------------------------------------------------------

    private final String id;
    private final Family family;
    private final Output output;
    private final String reference;
    private final String summary;
    private final Map<MethodOption<?>, Object> defaults;
    private final Map<MethodOption<?>, String> defaultTexts;
    private final Validator validator;
    private final AttributionFactory attributionFactory;
    private final MapperFactory mapperFactory;
    private final int gradientEvaluationsPerImage;

    private ExplanationMethod(Definition d) {
        this.id = d.id;
        this.family = d.family;
        this.output = d.output;
        this.reference = d.reference;
        this.summary = d.summary;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(d.defaults));
        this.defaultTexts = Collections.unmodifiableMap(new LinkedHashMap<>(d.defaultTexts));
        this.validator = d.validator;
        this.attributionFactory = d.attributionFactory;
        this.mapperFactory = d.mapperFactory;
        this.gradientEvaluationsPerImage = d.gradientEvaluationsPerImage;
    }

    /**
     * The short name, e.g. {@code ig} or {@code gradcampp}.
     *
     * @return the name
     */
    public String id() {
        return id;
    }

    /**
     * The family (and package) of the method.
     *
     * @return the family
     */
    public Family family() {
        return family;
    }

    /**
     * What the method's map is.
     *
     * @return the output kind
     */
    public Output output() {
        return output;
    }

    /**
     * The reference implementation the method follows, e.g. {@code Captum IntegratedGradients}.
     *
     * @return the reference
     */
    public String reference() {
        return reference;
    }

    /**
     * One line saying what the method computes.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /**
     * Whether the method reads a layer (CAMs and neuron maps) rather than attributing to the input.
     *
     * @return true for layer methods
     */
    public boolean readsLayer() {
        return takes(MethodOption.LAYER);
    }

    /**
     * Whether the method produces a map {@code [n, height, width]} (CAMs, FullGrad, neuron maps) rather than one
     * value per input element.
     *
     * @return true for maps
     */
    public boolean producesMap() {
        return output != Output.INPUT_ATTRIBUTION;
    }

    /**
     * Whether the method is a noise tunnel over saliency (SmoothGrad, SmoothGrad-squared, VarGrad).
     *
     * @return true for noise tunnels
     */
    public boolean isNoiseTunnel() {
        return family == Family.NOISE_TUNNEL;
    }

    /**
     * The options the method takes, in declaration order.
     *
     * @return the options
     */
    public List<MethodOption<?>> options() {
        return List.copyOf(defaults.keySet());
    }

    /**
     * Whether the method takes an option.
     *
     * @param option an option
     * @return true if declared
     */
    public boolean takes(MethodOption<?> option) {
        return defaults.containsKey(option);
    }

    /**
     * The method's default for an option.
     *
     * @param option an option the method takes
     * @return the default, or null when the method's behavior without the option is not a value (see
     *         {@link #describe})
     */
    public Object defaultValue(MethodOption<?> option) {
        return defaults.get(option);
    }

    /**
     * How the method uses an option, for help texts: e.g. {@code ig: default 50}.
     *
     * @param option an option the method takes
     * @return the text
     * @throws IllegalArgumentException if the method does not take the option
     */
    public String describe(MethodOption<?> option) {
        if (!takes(option)) {
            throw new IllegalArgumentException(option.name() + " does not apply to " + id);
        }
        String text = defaultTexts.get(option);
        return id + (text == null ? "" : " (default " + text + ")");
    }

    /**
     * Input-gradient evaluations per image of a layer method (1 for the gradient CAMs, 0 for Score-CAM and neuron
     * maps); input attributions report theirs in their result.
     *
     * @return the count per image
     */
    public int gradientEvaluationsPerImage() {
        return gradientEvaluationsPerImage;
    }

    /**
     * The configured attribution method.
     *
     * @param model    the model
     * @param settings checked settings of this method
     * @param progress receives progress
     * @return the method
     * @throws IllegalStateException if this method maps a layer
     */
    public AttributionMethod attributionMethod(ImageModel model, MethodSettings settings, ProgressListener progress) {
        if (attributionFactory == null) {
            throw new IllegalStateException(id + " maps a layer; use activationMapper");
        }
        return attributionFactory.create(model, checkSettings(settings), progress);
    }

    /**
     * The configured layer method, producing raw maps.
     *
     * @param model    the model
     * @param layer    the spatial layer to map
     * @param settings checked settings of this method
     * @param progress receives progress
     * @return the mapper
     * @throws IllegalStateException if this method attributes to the input
     */
    public ActivationMapper activationMapper(ImageModel model, String layer, MethodSettings settings,
                                             ProgressListener progress) {
        if (mapperFactory == null) {
            throw new IllegalStateException(id + " attributes to the input; use attributionMethod");
        }
        return mapperFactory.create(model, layer, checkSettings(settings), progress);
    }

    private MethodSettings checkSettings(MethodSettings settings) {
        if (settings.method() != this) {
            throw new IllegalArgumentException("settings are for " + settings.method().id() + ", not " + id);
        }
        return settings;
    }

    void validate(MethodSettings settings) {
        if (validator != null) {
            validator.validate(settings);
        }
    }

    /**
     * Every method, in table order.
     *
     * @return the methods
     */
    public static List<ExplanationMethod> values() {
        return List.copyOf(TABLE);
    }

    /**
     * Every short name, in table order.
     *
     * @return {@code [ig, saliency, ..., activations]}
     */
    public static List<String> ids() {
        return TABLE.stream().map(ExplanationMethod::id).toList();
    }

    /**
     * The names of the methods that take an option.
     *
     * @param option an option
     * @return the names, in table order
     */
    public static List<String> idsTaking(MethodOption<?> option) {
        return TABLE.stream().filter(m -> m.takes(option)).map(ExplanationMethod::id).toList();
    }

    /**
     * The method of a short name, ignoring case.
     *
     * @param id a short name such as {@code ig}
     * @return the method
     * @throws NullPointerException     if {@code id} is null
     * @throws IllegalArgumentException if no method has that name (the message lists the valid names)
     */
    public static ExplanationMethod fromId(String id) {
        Objects.requireNonNull(id, "id must not be null");
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (ExplanationMethod m : TABLE) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown explanation method '" + id + "'; expected one of "
                + String.join(", ", ids()));
    }

    @Override public String toString() {
        return id;
    }

    /** Serialized as its name (factories are code, not data), so Spark can ship a method to its executors. */
    private Object writeReplace() throws ObjectStreamException {
        return new SerializedForm(id);
    }

    /** What a method serializes to: its name, resolved to the table's entry when read back. */
    private record SerializedForm(String id) implements Serializable {
        private Object readResolve() throws ObjectStreamException {
            return fromId(id);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // How entries are declared.

    private static Definition define(String id, Family family, Output output, String reference, String summary) {
        return new Definition(id, family, output, reference, summary);
    }

    private static Definition cam(String id, String reference, String name, int gradientEvaluationsPerImage) {
        Definition d = define(id, Family.CAM, Output.CLASS_MAP, reference, name + " class activation map")
                .option(LAYER, null, "the last spatial layer before global pooling");
        d.gradientEvaluationsPerImage = gradientEvaluationsPerImage;
        return d;
    }

    private static ExplanationMethod noiseTunnel(String id, NoiseTunnel.Aggregation aggregation, String summary) {
        return define(id, Family.NOISE_TUNNEL, Output.INPUT_ATTRIBUTION, "Captum NoiseTunnel over Saliency", summary)
                .option(SAMPLES, NoiseTunnel.DEFAULT_SAMPLES)
                .option(NOISE_LEVEL, NoiseTunnel.DEFAULT_NOISE_LEVEL)
                .option(SEED, NoiseTunnel.DEFAULT_SEED)
                .option(INTERNAL_BATCH, NoiseTunnel.DEFAULT_SAMPLES_PER_BATCH)
                .attribution((model, s, progress) -> NoiseTunnel.builder()
                        .setMethod(Saliency.builder().setModel(model).build()).optAggregation(aggregation)
                        .optSamples(s.get(SAMPLES)).optNoiseLevel(s.get(NOISE_LEVEL)).optSeed(s.get(SEED))
                        .optSamplesPerBatch(s.get(INTERNAL_BATCH)).optProgressListener(progress).build());
    }

    private static void checkOneBaseline(MethodSettings s) {
        List<Baseline> baselines = s.get(BASELINE);
        if (baselines != null && baselines.size() != 1) {
            throw new IllegalArgumentException(s.method().id() + " takes one baseline, got " + baselines.size());
        }
    }

    private static Baseline oneBaseline(MethodSettings s, Baseline fallback) {
        List<Baseline> baselines = s.get(BASELINE);
        return baselines == null ? fallback : baselines.get(0);
    }

    private static void checkIntegratedGradients(MethodSettings s) {
        IntegrationRule rule = s.get(RULE);
        boolean adaptive = s.get(TOLERANCE) != null;
        int steps = s.isGiven(STEPS) || !adaptive ? s.get(STEPS) : IntegratedGradients.DEFAULT_ADAPTIVE_STEPS;
        if (steps < rule.minimumSteps()) {
            throw new IllegalArgumentException("steps must be at least " + rule.minimumSteps() + " for the "
                    + rule.name().toLowerCase(Locale.ROOT) + " rule, got " + steps);
        }
        if (s.isGiven(MAX_STEPS) && !adaptive) {
            throw new IllegalArgumentException("max-steps applies to adaptive integration only; give tolerance too");
        }
        if (adaptive && s.isGiven(MAX_STEPS) && s.get(MAX_STEPS) < steps) {
            throw new IllegalArgumentException("max-steps (" + s.get(MAX_STEPS) + ") must be at least the steps ("
                    + steps + ")");
        }
    }

    /** One entry of the table while it is being declared. */
    private static final class Definition {
        private final String id;
        private final Family family;
        private final Output output;
        private final String reference;
        private final String summary;
        private final Map<MethodOption<?>, Object> defaults = new LinkedHashMap<>();
        private final Map<MethodOption<?>, String> defaultTexts = new LinkedHashMap<>();
        private Validator validator;
        private AttributionFactory attributionFactory;
        private MapperFactory mapperFactory;
        private int gradientEvaluationsPerImage;

        private Definition(String id, Family family, Output output, String reference, String summary) {
            this.id = id;
            this.family = family;
            this.output = output;
            this.reference = reference;
            this.summary = summary;
        }

        <T> Definition option(MethodOption<T> option, T defaultValue) {
            return option(option, defaultValue, defaultValue == null ? null
                    : defaultValue instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : defaultValue.toString());
        }

        <T> Definition option(MethodOption<T> option, T defaultValue, String defaultText) {
            if (defaultValue != null) {
                option.check(defaultValue);
            }
            defaults.put(option, defaultValue);
            defaultTexts.put(option, defaultText);
            return this;
        }

        Definition gradientEvaluations(int perImage) {
            this.gradientEvaluationsPerImage = perImage;
            return this;
        }

        Definition validator(Validator validator) {
            this.validator = validator;
            return this;
        }

        ExplanationMethod attribution(AttributionFactory factory) {
            this.attributionFactory = factory;
            return register();
        }

        ExplanationMethod mapper(MapperFactory factory) {
            this.mapperFactory = factory;
            return register();
        }

        private ExplanationMethod register() {
            if (TABLE.stream().anyMatch(m -> m.id.equals(id))) {
                throw new IllegalStateException("method " + id + " is registered twice");
            }
            ExplanationMethod method = new ExplanationMethod(this);
            TABLE.add(method);
            return method;
        }
    }
}
