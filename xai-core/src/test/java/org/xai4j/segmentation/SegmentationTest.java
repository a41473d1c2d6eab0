package org.xai4j.segmentation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grid cells, fixed masks, the textual forms and the mask record's checks. */
class SegmentationTest {

    @Test
    void gridCellsAreNumberedRowByRowAndCutAtTheBorder() {
        FeatureMask mask = Segmentation.grid(4).segment(Nd4j.zeros(3, 6, 10));
        assertThat(mask.count()).isEqualTo(2 * 3);
        assertThat(mask.label(0, 0)).isZero();
        assertThat(mask.label(3, 3)).isZero();
        assertThat(mask.label(0, 4)).isEqualTo(1);
        assertThat(mask.label(0, 9)).isEqualTo(2);
        assertThat(mask.label(4, 0)).isEqualTo(3);
        assertThat(mask.label(5, 9)).isEqualTo(5);
        assertThat(mask.sizes()).containsExactly(16, 16, 8, 8, 8, 4);
    }

    @Test
    void parseAcceptsBothForms() {
        assertThat(Segmentation.parse("grid:16").toString()).isEqualTo("grid:16");
        assertThat(Segmentation.parse(" SLIC:50 ").toString()).isEqualTo("slic:50");
        assertThat(Segmentation.parse("slic:50").segment(Nd4j.zeros(3, 20, 20)).height()).isEqualTo(20);
        assertThatThrownBy(() -> Segmentation.parse("grid:0")).hasMessageContaining("positive number, got 0");
        assertThatThrownBy(() -> Segmentation.parse("grid:x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Segmentation.parse("quickshift:3"))
                .hasMessageContaining("unknown segmentation 'quickshift:3'").hasMessageContaining("grid:N");
        assertThatThrownBy(() -> Segmentation.grid(0)).hasMessageContaining("at least 1 pixel, got 0");
    }

    @Test
    void fixedMaskChecksTheImageSize() {
        FeatureMask mask = new FeatureMask(2, 2, new int[] {0, 1, 1, 0}, 2);
        assertThat(Segmentation.fixed(mask).segment(Nd4j.zeros(1, 2, 2))).isEqualTo(mask);
        assertThatThrownBy(() -> Segmentation.fixed(mask).segment(Nd4j.zeros(1, 3, 2)))
                .hasMessageContaining("2x2 but the image is 3x2");
    }

    @Test
    void featureMaskRefusesBadLabels() {
        assertThatThrownBy(() -> new FeatureMask(2, 2, new int[] {0, 1, 2, 0}, 2))
                .hasMessageContaining("label 2 at pixel (1, 0) is outside 0..1");
        assertThatThrownBy(() -> new FeatureMask(2, 2, new int[] {0, 1, 1}, 2)).hasMessageContaining("needs 4 labels");
        int[] labels = {0, 1, 1, 0};
        FeatureMask mask = new FeatureMask(2, 2, labels, 2);
        labels[0] = 1;
        assertThat(mask.label(0, 0)).as("the record copies its labels").isZero();
        assertThat(mask.pixelsOf(new boolean[] {false, true})).containsExactly(false, true, true, false);
    }
}
