package org.xai4j.study;

import static org.xai4j.study.StudyContext.spread;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.LayerSelectors;
import org.xai4j.Predictions;
import org.xai4j.activation.GradCam;
import org.xai4j.activation.LayerActivations;
import org.xai4j.activation.NeuronActivations;
import org.xai4j.attribution.AdaptiveStrategy;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.faceapi.DescriptorSimilarity;
import org.xai4j.faceapi.DetectedFace;
import org.xai4j.faceapi.FaceAnalyzer;
import org.xai4j.faceapi.FaceApiModel;
import org.xai4j.faceapi.FaceApiModels;
import org.xai4j.faceapi.FaceApiPhotos;
import org.xai4j.faceapi.FaceRegion;
import org.xai4j.faceapi.RegionMasks;
import org.xai4j.faceapi.RegionShare;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.sanity.PixelRelevance;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.colormap.StandardColormap;
import org.xai4j.viz.figure.TileGrid;
import org.xai4j.viz.figure.TileScaling;
import org.xai4j.viz.nd4j.ImageArrays;
import org.xai4j.viz.overlay.ChannelScaling;
import org.xai4j.viz.overlay.Overlays;

/**
 * Section 5, real trained networks on real photographs: face-api's expression network (7 expressions) and its
 * identity network (a 128-d descriptor, ResNet-34 style) on the faces of the shipped demo photos, found by face-api's
 * TinyFaceDetector and aligned with its 68 landmarks ({@link FaceAnalyzer}). Learned features of the expression
 * network's four dense blocks, the activation maps and spike totals of its last convolution, integrated gradients and
 * Grad-CAM for each face's predicted expression, integrated gradients of the identity network's self-similarity
 * (cosine similarity of the face's descriptor to itself, {@link DescriptorSimilarity}, from a black face), and the
 * region table that tests the seed's claim ("the emotion network looks at the mouth and nose, the identity network
 * at the whole face"): per predicted expression, the share of |IG| in the mouth, eyes, brows and nose of each
 * network next to the regions' share of the input's area ({@link RegionShare}).
 *
 * <p>The faces: per expression the network predicts on the photos, the most confident face
 * ({@link #FACES_PER_EXPRESSION}), so that every predicted expression has a row at the least cost.
 */
final class FaceApiSection implements StudySection {

    /** How far outside a landmark hull a region reaches, in network pixels (the brows' landmarks lie on a line). */
    static final double REGION_MARGIN = 1;

    /**
     * The most integration points per face for the identity network (5.6M weights at 150x150, about a second per 8
     * points here); the expression network (324k weights) gets the workload's budget.
     */
    static final int MAX_IDENTITY_IG_STEPS = 64;

    /** Neurons of the last convolution shown per face (of 256), the largest spike totals first. */
    static final int SHOWN_NEURONS = 32;

    private static final String DIR = "faceapi/";

    /** One explained face: where it is, what the expression network predicts, its two network inputs. */
    private record Face(String photo, int index, DetectedFace detected, int predicted, double probability,
                        INDArray expressionInput, INDArray identityInput) {
        String name() {
            return photo.replace(".png", "") + " face " + index;
        }
    }

    /** Per face and network: the attribution's region shares, and the union regions of the claim. */
    private record Shares(List<RegionShare> regions, double mouthNose, double mouthNoseArea, double outside,
                          double outsideArea) { }

    /**
     * The faces explained per predicted expression. One keeps the section's cost well below the toy study's (the
     * quick start runs both), while every expression predicted on the photos still gets its row.
     */
    static final int FACES_PER_EXPRESSION = 1;

    @Override public int steps(List<StudyCase> cases) {
        return 1 + 4 + 1 + 1 + 1 + 1; // detect, 4 feature grids, activation maps, expression IG, identity IG, regions
    }

    @Override public void write(StudyContext ctx) throws IOException {
        ReportWriter report = ctx.report;
        report.heading(2, "5. Real networks: face-api");
        report.paragraph("Trained networks on real photographs: face-api's expression network (7 expressions, 112x112) "
                + "and identity network (128-d descriptor, ResNet-34 style, 150x150), MIT licensed, on the faces of its "
                + "six demo photos, found by its TinyFaceDetector and aligned with its 68 landmarks as face-api does. "
                + "Integrated gradients start from a black face and add Gauss-Legendre points until the completeness "
                + "error is within " + fmtPct(ctx.work.igTolerance()) + " of |F(x) - F(black)|, at most "
                + maxIgSteps(ctx.work, FaceApiModel.Head.CLASSIFIER) + " points per face for the expression network and "
                + maxIgSteps(ctx.work, FaceApiModel.Head.DESCRIPTOR) + " for the identity network (its cost); each "
                + "face's relative error is reported.");
        Map<String, Object> summary = report.summary("realNetworks");
        try (FaceAnalyzer analyzer = new FaceAnalyzer();
             FaceApiModel expression = FaceApiModels.load("expression");
             FaceApiModel identity = FaceApiModels.load("recognition")) {
            ctx.step("face-api: detecting the faces of the %d shipped photos", FaceApiPhotos.NAMES.size());
            List<Face> all = new ArrayList<>();
            Map<String, Object> detected = new LinkedHashMap<>();
            for (String photo : FaceApiPhotos.NAMES) {
                RgbImage image = FaceApiPhotos.read(photo);
                List<DetectedFace> faces = analyzer.analyze(image);
                detected.put(photo, faces.size());
                for (int i = 0; i < faces.size(); i++) {
                    INDArray xe = FaceAnalyzer.input(image, faces.get(i), expression);
                    INDArray p = expression.model().probabilities(xe);
                    int predicted = Predictions.argMax(p)[0];
                    all.add(new Face(photo, i, faces.get(i), predicted, p.getDouble(0, predicted), xe,
                            FaceAnalyzer.input(image, faces.get(i), identity)));
                }
            }
            List<Face> chosen = choose(all, FACES_PER_EXPRESSION);
            summary.put("facesDetected", detected);
            summary.put("predictedOnAllFaces", countByExpression(all));
            summary.put("facesExplainedPerExpression", FACES_PER_EXPRESSION);
            summary.put("regionMarginPixels", REGION_MARGIN);
            report.paragraph(String.format(Locale.ROOT, "%d faces detected in the %d photos; the expression network "
                    + "predicts %s. Explained here: the %d most confident face(s) of each predicted expression, %d "
                    + "faces.", all.size(), FaceApiPhotos.NAMES.size(), countByExpression(all),
                    FACES_PER_EXPRESSION, chosen.size()));
            features(ctx, expression.model(), summary);
            activations(ctx, expression.model(), chosen, summary);
            List<Map<String, Object>> perFace = new ArrayList<>();
            for (Face f : chosen) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("photo", f.photo());
                m.put("face", f.index());
                m.put("score", ReportWriter.num(f.detected().detection().score()));
                m.put("predicted", label(f.predicted()));
                m.put("probability", ReportWriter.num(f.probability()));
                perFace.add(m);
            }
            summary.put("faces", perFace);
            List<Attribution> expressionIg = expressionExplanations(ctx, expression, chosen, perFace);
            List<Attribution> identityIg = identityExplanations(ctx, identity, chosen, perFace);
            regions(ctx, expression, identity, chosen, expressionIg, identityIg, perFace, summary);
        }
    }

    // ------------------------------------------------------------------------------------------ faces

    /** Per predicted expression, the {@code perExpression} most confident faces; in label order, then confidence. */
    private static List<Face> choose(List<Face> all, int perExpression) {
        Map<Integer, List<Face>> byExpression = new TreeMap<>();
        for (Face f : all) {
            byExpression.computeIfAbsent(f.predicted(), k -> new ArrayList<>()).add(f);
        }
        List<Face> chosen = new ArrayList<>();
        for (List<Face> faces : byExpression.values()) {
            faces.sort(Comparator.comparingDouble(Face::probability).reversed());
            chosen.addAll(faces.subList(0, Math.min(perExpression, faces.size())));
        }
        return chosen;
    }

    private static Map<String, Object> countByExpression(List<Face> faces) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (int e = 0; e < FaceApiModels.EXPRESSION_LABELS.size(); e++) {
            int k = e;
            long n = faces.stream().filter(f -> f.predicted() == k).count();
            if (n > 0) {
                counts.put(label(e), n);
            }
        }
        return counts;
    }

    private static String label(int expression) {
        return FaceApiModels.EXPRESSION_LABELS.get(expression);
    }

    /** The integration-point budget of one network. */
    static int maxIgSteps(Workload work, FaceApiModel.Head head) {
        return head == FaceApiModel.Head.DESCRIPTOR ? Math.min(work.igMaxSteps(), MAX_IDENTITY_IG_STEPS)
                : work.igMaxSteps();
    }

    // ------------------------------------------------------------------------------------------ 5a, 5b

    /**
     * Learned features of the output of each dense block ({@code dense0..dense3}), with the study's budget for
     * full-size inputs ({@link Workload#forLargeInputs}): at 112x112 they are the section's largest cost.
     */
    private static void features(StudyContext ctx, ImageModel model, Map<String, Object> summary) throws IOException {
        ReportWriter report = ctx.report;
        Workload work = ctx.work.forLargeInputs();
        report.heading(3, "Learned features of the expression network");
        Map<String, Object> perLayer = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            String layer = "dense" + b;
            int channels = (int) model.layerShape(layer)[0];
            int[] selected = spread(channels, Math.min(channels, b < 3 ? work.featureChannels()
                    : work.lastLayerNeurons()));
            ctx.step("face-api expression network: features of %s (%d of %d neurons)", layer, selected.length,
                    channels);
            FeatureVisualization fv = ctx.visualize(model, layer, selected, work.featureSteps());
            files.add(report.file(DIR + "features_" + layer + ".png", LearnedFeaturesSection.grid(fv, selected,
                    "expression network " + layer + " (" + selected.length + " of " + channels + ")")));
            captions.add("Expression network, block " + layer + ": " + selected.length + " of " + channels
                    + " neurons (activation maximization, " + work.featureSteps() + " steps).");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("neurons", selected);
            m.put("channels", channels);
            m.put("meanInitialObjective", ReportWriter.num(Arrays.stream(fv.initialValues()).average()
                    .orElse(Double.NaN)));
            m.put("meanFinalObjective", ReportWriter.num(Arrays.stream(fv.finalValues()).average()
                    .orElse(Double.NaN)));
            perLayer.put(layer, m);
        }
        report.row(files, captions);
        summary.put("features", perLayer);
    }

    /**
     * Activation maps and spike totals of the last convolution, per face. face-api's last convolution
     * ({@code dense3/conv3}) has no nonlinearity of its own: the dense block adds it to the block's earlier
     * convolutions and applies the ReLU, giving {@code dense3}, what the classifier head pools. The maps and spikes
     * shown are that rectified output; the raw convolution's spike totals are summarized next to them.
     */
    private static void activations(StudyContext ctx, ImageModel model, List<Face> faces, Map<String, Object> summary)
            throws IOException {
        ReportWriter report = ctx.report;
        String conv = LayerSelectors.lastConvolution(model);
        String layer = "dense3";
        ctx.step("face-api expression network: activation maps of %s (after %s) on %d faces", layer, conv,
                faces.size());
        report.heading(3, "Activation maps and spikes of the expression network's last convolution (" + conv
                + ", rectified in " + layer + ")");
        INDArray batch = Nd4j.concat(0, faces.stream().map(Face::expressionInput).toArray(INDArray[]::new))
                .castTo(model.dataType());
        LayerActivations acts = NeuronActivations.builder().setModel(model).setLayer(layer).build()
                .activations(batch);
        LayerActivations raw = NeuronActivations.builder().setModel(model).setLayer(conv).build().activations(batch);
        long negative = 0;
        for (int i = 0; i < faces.size(); i++) {
            negative += Arrays.stream(raw.spikes(i)).filter(v -> v < 0).count();
        }
        double negativeFraction = (double) negative / (faces.size() * raw.channels());
        report.paragraph(String.format(Locale.ROOT, "%s is linear: the block adds it to its three earlier "
                + "convolutions and rectifies the sum in %s, which the classifier head averages. On these faces %s of "
                + "%s's raw spike totals are negative, so the maps and spikes below are %s's, the rectified "
                + "features.", conv, layer, pct(negativeFraction), conv, layer));
        List<Object> perFace = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            double[] spikes = acts.spikes(i);
            int[] shown = acts.topK(i, Math.min(SHOWN_NEURONS, acts.channels()));
            int top = shown[0];
            INDArray values = acts.activations().get(NDArrayIndex.point(i)).dup('c');
            List<BufferedImage> heat = Overlays.channelHeatMaps(ImageArrays.toMap(values), StandardColormap.VIRIDIS,
                    ChannelScaling.PER_CHANNEL);
            TileGrid.Builder g = TileGrid.builder().optColumns(8).optTileSize(40, 40)
                    .optScaling(TileScaling.PIXELATED).optTitle(f.name() + ": top " + shown.length + " of "
                            + acts.channels() + " neurons");
            for (int n : shown) {
                g.add(heat.get(n), n == top ? "#" + n + " top" : "#" + n);
            }
            String base = DIR + "activations_" + i;
            String cap = f.name() + " → " + label(f.predicted());
            String topFile = report.file(base + "_top.png", ctx.overlay(ImageArrays.toMap(acts.map(i, top)),
                    image(f.expressionInput())));
            String spikeFile = report.file(base + "_spikes.png", ActivationMapsSection.spikeChart(spikes, top,
                    "expression network " + layer + ": " + cap));
            String mapsFile = report.file(base + "_maps.png", g.build().render());
            report.row(List.of(topFile, spikeFile, mapsFile), List.of("Neuron " + top + " (top spike) over " + cap,
                    "Spike plot of " + layer + ": per-neuron sums of the activation maps.",
                    "The " + shown.length + " neurons with the largest spike totals (" + values.size(1) + "x"
                            + values.size(2) + " maps)."));
            long silent = Arrays.stream(spikes).filter(s -> s == 0).count();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("photo", f.photo());
            m.put("face", f.index());
            m.put("topNeurons", acts.topK(i, 5));
            m.put("topSpike", ReportWriter.num(spikes[top]));
            m.put("silentNeurons", silent);
            perFace.add(m);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("layer", layer);
        s.put("lastConvolution", conv);
        s.put("lastConvolutionNegativeSpikeShare", ReportWriter.num(negativeFraction));
        s.put("neurons", acts.channels());
        s.put("perFace", perFace);
        summary.put("activations", s);
    }

    // ------------------------------------------------------------------------------------------ 5c, 5d

    private static IntegratedGradients integratedGradients(StudyContext ctx, FaceApiModel network) {
        return IntegratedGradients.builder().setModel(network.model()).optRule(IntegrationRule.GAUSS_LEGENDRE)
                .optSteps(ctx.work.igPointsPerInterval())
                .optAdaptive(ctx.work.igTolerance(), maxIgSteps(ctx.work, network.head()), AdaptiveStrategy.SUBDIVIDE)
                .optBaselines(Baseline.zero()).optInternalBatchSize(16).optProgressListener(ctx.cancellation()).build();
    }

    /** Integrated gradients and Grad-CAM for each face's predicted expression. */
    private static List<Attribution> expressionExplanations(StudyContext ctx, FaceApiModel expression,
                                                              List<Face> faces, List<Map<String, Object>> perFace)
            throws IOException {
        ReportWriter report = ctx.report;
        ImageModel model = expression.model();
        String layer = LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
        ctx.step("face-api expression network: integrated gradients and Grad-CAM (%s) of %d faces", layer,
                faces.size());
        report.heading(3, "Integrated gradients and Grad-CAM for the predicted expression");
        IntegratedGradients ig = integratedGradients(ctx, expression);
        GradCam gradCam = GradCam.builder().setModel(model).optLayer(layer).build();
        TileGrid.Builder g = TileGrid.builder().optColumns(3).optTitle("Expression network: face, IG, Grad-CAM ("
                + layer + ")");
        List<Attribution> values = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            INDArray x = f.expressionInput().castTo(model.dataType());
            Attribution a = ig.attribute(x, Objective.classLogit(f.predicted()));
            INDArray cam = gradCam.map(x, f.predicted()).map(0);
            values.add(a);
            RgbImage img = image(f.expressionInput());
            g.add(StudyContext.display(img).toBufferedImage(), f.name() + String.format(Locale.ROOT,
                    "\npred: %s (%.2f)", label(f.predicted()), f.probability()));
            g.add(ctx.overlay(ImageArrays.toMap(a.values(), 0), img), "IG");
            g.add(ctx.overlay(ImageArrays.toMap(cam), img), "Grad-CAM");
            perFace.get(i).put("expressionIg", igSummary(a));
        }
        report.figure(DIR + "expression_ig_gradcam.png", g.build().render(), "Expression network: integrated "
                + "gradients (pixel level) and Grad-CAM (" + layer + ", upsampled) for each face's predicted "
                + "expression.");
        return values;
    }

    /** Integrated gradients of each face's similarity to its own descriptor. */
    private static List<Attribution> identityExplanations(StudyContext ctx, FaceApiModel identity,
                                                            List<Face> faces, List<Map<String, Object>> perFace)
            throws IOException {
        ReportWriter report = ctx.report;
        ImageModel model = identity.model();
        ctx.step("face-api identity network: integrated gradients of self-similarity on %d faces", faces.size());
        report.heading(3, "The identity network on the same faces");
        report.paragraph("Objective: the cosine similarity of the face's 128-d descriptor to its own descriptor (1 at "
                + "the face), so integrated gradients from a black face answer \"what makes this face this person\". "
                + "The identity network sees face-api's dlib-style crop (150x150), wider than the expression crop.");
        IntegratedGradients ig = integratedGradients(ctx, identity);
        TileGrid.Builder g = TileGrid.builder().optColumns(2).optTitle("Identity network: face, IG of "
                + "self-similarity");
        List<Attribution> values = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            INDArray x = f.identityInput().castTo(model.dataType());
            DescriptorSimilarity self = DescriptorSimilarity.to(identity.outputs(x).toFloatVector());
            Attribution a = ig.attribute(x, self);
            values.add(a);
            RgbImage img = image(f.identityInput());
            g.add(StudyContext.display(img).toBufferedImage(), f.name());
            g.add(ctx.overlay(ImageArrays.toMap(a.values(), 0), img), "IG");
            Map<String, Object> m = igSummary(a);
            m.put("similarityToBlack", ReportWriter.num(self.values(identity.outputs(x.mul(0))).getDouble(0)));
            perFace.get(i).put("identityIg", m);
        }
        report.figure(DIR + "identity_ig.png", g.build().render(), "Identity network: integrated gradients of "
                + "each face's similarity to its own descriptor, from a black face.");
        return values;
    }

    private static double maxRelativeError(List<Attribution> attributions) {
        return attributions.stream().mapToDouble(a -> a.relativeError(0)).filter(Double::isFinite).max()
                .orElse(Double.NaN);
    }

    private static Map<String, Object> igSummary(Attribution a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", a.steps());
        m.put("sum", ReportWriter.num(a.values().sumNumber().doubleValue()));
        m.put("outputDifference", ReportWriter.num(a.outputDifference()[0]));
        m.put("relativeError", ReportWriter.num(a.relativeError(0)));
        return m;
    }

    // ------------------------------------------------------------------------------------------ 5e

    /** Where |IG| falls: per face and network, then per predicted expression, and what that says of the claim. */
    private static void regions(StudyContext ctx, FaceApiModel expression, FaceApiModel identity, List<Face> faces,
                                List<Attribution> expressionIg, List<Attribution> identityIg,
                                List<Map<String, Object>> perFace, Map<String, Object> summary) {
        ReportWriter report = ctx.report;
        ctx.step("face-api: where |IG| falls (mouth, eyes, brows, nose) for %d faces", faces.size());
        report.heading(3, "Where the networks look: |IG| in face regions");
        report.paragraph("Regions from the 68 landmarks (convex hulls, widened by " + (int) REGION_MARGIN
                + " network pixel). Each cell: the share of the face's |IG| (summed over color channels) inside the "
                + "region, and in brackets the region's share of the network input's area, which is what a "
                + "uniformly spread attribution would give. \"mouth+nose\" is the union of the two; \"rest\" is "
                + "everything outside the four regions (skin, hair, background). Means over the faces of each "
                + "predicted expression.");
        List<Shares> e = new ArrayList<>();
        List<Shares> id = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            e.add(shares(expressionIg.get(i).values(), RegionMasks.of(f.detected(), expression, REGION_MARGIN)));
            id.add(shares(identityIg.get(i).values(), RegionMasks.of(f.detected(), identity, REGION_MARGIN)));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("expression", sharesSummary(e.get(i)));
            r.put("identity", sharesSummary(id.get(i)));
            perFace.get(i).put("regions", r);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        Map<Integer, List<Integer>> byExpression = new TreeMap<>();
        for (int i = 0; i < faces.size(); i++) {
            byExpression.computeIfAbsent(faces.get(i).predicted(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, List<Integer>> entry : byExpression.entrySet()) {
            List<Integer> group = entry.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("faces", group.size());
            Map<String, double[]> em = means(group.stream().map(e::get).toList());
            Map<String, double[]> im = means(group.stream().map(id::get).toList());
            row.put("expression", toSummary(em));
            row.put("identity", toSummary(im));
            table.put(label(entry.getKey()), row);
            for (String network : List.of("expression", "identity")) {
                Map<String, double[]> m = network.equals("expression") ? em : im;
                List<String> cells = new ArrayList<>(List.of(label(entry.getKey()), String.valueOf(group.size()),
                        network));
                m.values().forEach(v -> cells.add(pct(v[0]) + " (" + pct(v[1]) + ")"));
                rows.add(cells);
            }
        }
        List<String> header = new ArrayList<>(List.of("predicted", "faces", "network"));
        for (FaceRegion r : FaceRegion.values()) {
            header.add(key(r));
        }
        header.add("mouth+nose");
        header.add("rest");
        report.table(header, rows);
        summary.put("regionTable", table);
        Map<String, Object> finding = finding(e, id, maxRelativeError(expressionIg), maxRelativeError(identityIg));
        summary.put("claim", finding);
        report.paragraph((String) finding.get("text"));
    }

    private static Shares shares(INDArray attribution, RegionMasks masks) {
        double[] relevance = PixelRelevance.SUM_OF_ABSOLUTE_VALUES.reduce(attribution).reshape(-1).toDoubleVector();
        List<RegionShare> regions = RegionShare.of(relevance, masks);
        boolean[] mouth = masks.mask(FaceRegion.MOUTH);
        boolean[] nose = masks.mask(FaceRegion.NOSE);
        double total = 0;
        double mn = 0;
        double outside = 0;
        int mnArea = 0;
        int outsideArea = 0;
        for (int p = 0; p < relevance.length; p++) {
            total += relevance[p];
            if (mouth[p] || nose[p]) {
                mn += relevance[p];
                mnArea++;
            }
            boolean any = false;
            for (FaceRegion r : FaceRegion.values()) {
                any |= masks.mask(r)[p];
            }
            if (!any) {
                outside += relevance[p];
                outsideArea++;
            }
        }
        return new Shares(regions, mn / total, (double) mnArea / relevance.length, outside / total,
                (double) outsideArea / relevance.length);
    }

    /** Per column (regions, mouth+nose, rest): {attribution share, area share}. */
    private static Map<String, double[]> columns(Shares s) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (RegionShare r : s.regions()) {
            m.put(key(r.region()), new double[] {r.attributionShare(), r.areaShare()});
        }
        m.put("mouthAndNose", new double[] {s.mouthNose(), s.mouthNoseArea()});
        m.put("rest", new double[] {s.outside(), s.outsideArea()});
        return m;
    }

    private static Map<String, double[]> means(List<Shares> shares) {
        Map<String, double[]> sum = new LinkedHashMap<>();
        for (Shares s : shares) {
            columns(s).forEach((k, v) -> {
                double[] acc = sum.computeIfAbsent(k, x -> new double[2]);
                acc[0] += v[0] / shares.size();
                acc[1] += v[1] / shares.size();
            });
        }
        return sum;
    }

    private static Map<String, Object> sharesSummary(Shares s) {
        return toSummary(columns(s));
    }

    private static Map<String, Object> toSummary(Map<String, double[]> columns) {
        Map<String, Object> m = new LinkedHashMap<>();
        columns.forEach((k, v) -> m.put(k, Map.of("share", ReportWriter.num(v[0]), "area", ReportWriter.num(v[1]))));
        return m;
    }

    private static String key(FaceRegion r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The seed's claim against the numbers: mouth and nose enrichment (share over area) of the two networks, face by
     * face, and how much of each network's |IG| lies outside the four regions relative to that area.
     */
    private static Map<String, Object> finding(List<Shares> expression, List<Shares> identity,
                                               double expressionError, double identityError) {
        int n = expression.size();
        int higher = 0;
        double eShare = 0;
        double eArea = 0;
        double iShare = 0;
        double iArea = 0;
        double eRest = 0;
        double eRestArea = 0;
        double iRest = 0;
        double iRestArea = 0;
        for (int f = 0; f < n; f++) {
            Shares e = expression.get(f);
            Shares i = identity.get(f);
            if (e.mouthNose() / e.mouthNoseArea() > i.mouthNose() / i.mouthNoseArea()) {
                higher++;
            }
            eShare += e.mouthNose() / n;
            eArea += e.mouthNoseArea() / n;
            iShare += i.mouthNose() / n;
            iArea += i.mouthNoseArea() / n;
            eRest += e.outside() / n;
            eRestArea += e.outsideArea() / n;
            iRest += i.outside() / n;
            iRestArea += i.outsideArea() / n;
        }
        double eEnrichment = eShare / eArea;
        double iEnrichment = iShare / iArea;
        String mouthVerdict;
        if (2 * higher > n && eEnrichment > iEnrichment) {
            mouthVerdict = "supports the first half of the seed's claim: the expression network concentrates on mouth "
                    + "and nose more than the identity network does";
        } else if (2 * higher < n && eEnrichment < iEnrichment) {
            mouthVerdict = "contradicts the first half of the seed's claim: the identity network, not the expression "
                    + "network, concentrates more on mouth and nose";
        } else {
            mouthVerdict = "does not separate the two networks on mouth and nose";
        }
        double eSpread = eRest / eRestArea;
        double iSpread = iRest / iRestArea;
        String spreadVerdict = iSpread > eSpread
                ? "the identity network gives the rest of the face relatively more than the expression network does, "
                + "as the claim's second half says"
                : "the identity network gives the rest of the face relatively less than the expression network does, "
                + "against the claim's second half";
        String text = String.format(Locale.ROOT, "On these %d faces the expression network puts %s of its |IG| on "
                + "mouth and nose, %.2fx their %s of its input; the identity network %s, %.2fx their %s of its "
                + "input. The expression network's enrichment is the higher one on %d of %d faces. This %s. Outside "
                + "the four regions the expression network has %s of its |IG| (area %s), the identity network %s "
                + "(area %s): %s. The shares rest on integrated gradients whose completeness error is at most %s "
                + "(expression) and %s (identity) of |F(x) - F(black)|%s. %s", n, pct(eShare), eEnrichment, pct(eArea), pct(iShare), iEnrichment,
                pct(iArea), higher, n, mouthVerdict, pct(eRest), pct(eRestArea), pct(iRest), pct(iRestArea),
                spreadVerdict, pct(expressionError), pct(identityError),
                Math.max(expressionError, identityError) > 0.1 ? ", so they are approximate" : "", n < 10 ? "With " + n + " faces this is an observation on a small sample, not a "
                        + "general law." : "These are " + n + " faces of six photos; other photos may differ.");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faces", n);
        m.put("expressionMouthNoseShare", ReportWriter.num(eShare));
        m.put("expressionMouthNoseArea", ReportWriter.num(eArea));
        m.put("identityMouthNoseShare", ReportWriter.num(iShare));
        m.put("identityMouthNoseArea", ReportWriter.num(iArea));
        m.put("facesWithHigherExpressionEnrichment", higher);
        m.put("expressionRestShare", ReportWriter.num(eRest));
        m.put("expressionRestArea", ReportWriter.num(eRestArea));
        m.put("identityRestShare", ReportWriter.num(iRest));
        m.put("identityRestArea", ReportWriter.num(iRestArea));
        m.put("maxExpressionIgRelativeError", ReportWriter.num(expressionError));
        m.put("maxIdentityIgRelativeError", ReportWriter.num(identityError));
        m.put("text", text);
        return m;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static RgbImage image(INDArray input) {
        return ImageArrays.toImage(input, 0);
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }

    private static String fmtPct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
