package org.xai4j.segmentation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.perturbation.PerturbationFixtures;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SLIC against scikit-image 0.19's {@code slic} (labels written by make_perturbation_references.py from a downscaled
 * photograph and its luminance), and the properties every segmentation must have.
 */
class SlicTest {

    private static int[] reference(String name) {
        INDArray labels = PerturbationFixtures.read(name);
        return labels.ravel().toIntVector();
    }

    private static void assertSameLabels(FeatureMask mask, int[] expected) {
        assertThat(mask.labels()).hasSize(expected.length);
        int mismatches = 0;
        for (int p = 0; p < expected.length; p++) {
            mismatches += mask.labels()[p] == expected[p] ? 0 : 1;
        }
        // Same float64 arithmetic in the same order: the labels agree exactly, pixel for pixel.
        assertThat(mismatches).as("pixels labeled differently from scikit-image").isZero();
        assertThat(mask.count()).isEqualTo(java.util.Arrays.stream(expected).max().orElseThrow() + 1);
    }

    @Test
    void photoMatchesScikitImage() {
        INDArray photo = PerturbationFixtures.read("slic_photo");
        assertSameLabels(Segmentation.slic(12).segment(photo), reference("slic_photo_k12"));
        assertSameLabels(Segmentation.slic(40).segment(photo), reference("slic_photo_k40"));
    }

    @Test
    void compactnessAndIterationsMatchScikitImage() {
        INDArray photo = PerturbationFixtures.read("slic_photo");
        Slic slic = Slic.builder().setSegments(25).optCompactness(30).optIterations(5).build();
        assertSameLabels(slic.segment(photo), reference("slic_photo_k25_c30_i5"));
    }

    @Test
    void singleChannelIsClusteredWithoutColorConversion() {
        INDArray gray = PerturbationFixtures.read("slic_gray");
        Slic slic = Slic.builder().setSegments(20).optCompactness(0.1).build();
        assertSameLabels(slic.segment(gray), reference("slic_gray_k20_c0.1"));
    }

    @Test
    void superpixelsAreConnectedAndDeterministic() {
        INDArray photo = PerturbationFixtures.read("slic_photo");
        FeatureMask mask = Segmentation.slic(40).segment(photo);
        assertThat(Segmentation.slic(40).segment(photo.dup())).isEqualTo(mask);
        int[] sizes = mask.sizes();
        for (int k = 0; k < mask.count(); k++) {
            assertThat(sizes[k]).as("superpixel %d", k).isPositive();
            assertThat(componentsOf(mask, k)).as("connected components of superpixel %d", k).isEqualTo(1);
        }
    }

    @Test
    void uniformImageStaysValid() {
        FeatureMask mask = Segmentation.slic(9).segment(Nd4j.ones(3, 30, 30));
        assertThat(mask.height()).isEqualTo(30);
        assertThat(java.util.Arrays.stream(mask.sizes()).min().orElseThrow()).isPositive();
    }

    @Test
    void regularGridFollowsScikitImage() {
        // skimage.util.regular_grid((1, 48, 72), 12) -> (0::1, 8::17, 8::17); (1, 4, 4), 100 -> every point
        assertThat(Slic.regularGrid(new int[] {1, 48, 72}, 12)).isDeepEqualTo(new int[][] {{0, 1}, {8, 17}, {8, 17}});
        assertThat(Slic.regularGrid(new int[] {1, 4, 4}, 100)).isDeepEqualTo(new int[][] {{0, 1}, {0, 1}, {0, 1}});
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Slic.builder().setSegments(0).build()).hasMessageContaining("at least 1 segment");
        assertThatThrownBy(() -> Slic.builder().setSegments(4).optCompactness(-1).build())
                .hasMessageContaining("compactness");
        assertThatThrownBy(() -> Segmentation.slic(4).segment(Nd4j.ones(1, 3, 8, 8)))
                .hasMessageContaining("[channels, height, width]");
    }

    private static int componentsOf(FeatureMask mask, int label) {
        Set<Integer> seen = new HashSet<>();
        int components = 0;
        int w = mask.width();
        int[] labels = mask.labels();
        for (int p = 0; p < w * mask.height(); p++) {
            if (labels[p] != label || seen.contains(p)) {
                continue;
            }
            components++;
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(java.util.List.of(p));
            seen.add(p);
            while (!queue.isEmpty()) {
                int q = queue.poll();
                int y = q / w;
                int x = q % w;
                int[][] next = {{y + 1, x}, {y - 1, x}, {y, x + 1}, {y, x - 1}};
                for (int[] n : next) {
                    if (n[0] >= 0 && n[0] < mask.height() && n[1] >= 0 && n[1] < w) {
                        int r = n[0] * w + n[1];
                        if (mask.label(n[0], n[1]) == label && seen.add(r)) {
                            queue.add(r);
                        }
                    }
                }
            }
        }
        return components;
    }
}
