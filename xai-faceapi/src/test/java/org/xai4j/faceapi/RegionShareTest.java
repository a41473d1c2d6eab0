package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.sanity.PixelRelevance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class RegionShareTest {

    /** Mouth: the square [20, 40) x [60, 80) (outer lip points on its corners and edges); the rest far apart. */
    private static FaceLandmarks68 landmarks() {
        double[] xs = new double[68];
        double[] ys = new double[68];
        for (int i = 0; i < 68; i++) {
            xs[i] = 90;
            ys[i] = 5;
        }
        double[][] mouth = {{20, 60}, {30, 60}, {40, 60}, {40, 70}, {40, 80}, {30, 80}, {20, 80}, {20, 70},
                {25, 60}, {35, 80}, {20, 65}, {40, 75}};
        for (int i = 0; i < 12; i++) {
            xs[48 + i] = mouth[i][0];
            ys[48 + i] = mouth[i][1];
        }
        for (int i = 60; i < 68; i++) { // inner lip inside the square
            xs[i] = 30;
            ys[i] = 70;
        }
        for (int i = 17; i < 27; i++) { // both brows on the segment (10, 20)-(30, 20)
            xs[i] = 10 + 20.0 * ((i - 17) % 5) / 4;
            ys[i] = 20;
        }
        return new FaceLandmarks68(xs, ys, 100, 100);
    }

    @Test
    void masksAreTheHullsWithTheirMargin() {
        RegionMasks masks = RegionMasks.of(landmarks(), new FaceBox(0, 0, 100, 100), 100, 0);
        // pixel centers x + 0.5 in [20, 40] and y + 0.5 in [60, 80]: 20 x 20 pixels
        assertThat(masks.area(FaceRegion.MOUTH)).isEqualTo(400);
        assertThat(masks.mask(FaceRegion.MOUTH)[65 * 100 + 25]).isTrue();
        assertThat(masks.mask(FaceRegion.MOUTH)[59 * 100 + 25]).isFalse();
        // a segment without margin covers no pixel center
        assertThat(masks.area(FaceRegion.BROWS)).isZero();
        // margin 2: 4 rows x 20 columns along the segment, plus 4 + 2 pixels at each rounded end (counted by hand)
        assertThat(RegionMasks.of(landmarks(), new FaceBox(0, 0, 100, 100), 100, 2).area(FaceRegion.BROWS)).isEqualTo(92);
    }

    @Test
    void landmarksMapIntoThePaddedResizedInput() {
        // a 50-wide, 100-high region at (10, 0): padded left by 25, then scaled by 50 / 100
        RegionMasks masks = RegionMasks.of(landmarks(), new FaceBox(10, 0, 50, 100), 50, 0);
        // mouth x in [20, 40] -> (x - 10 + 25) / 2 in [17.5, 27.5]: centers 17.5 ... 27.5 (the hull is closed), 11
        // columns; y in [60, 80] -> [30, 40]: centers 30.5 ... 39.5, 10 rows
        assertThat(masks.area(FaceRegion.MOUTH)).isEqualTo(110);
        assertThat(masks.mask(FaceRegion.MOUTH)[35 * 50 + 17]).isTrue();
        assertThat(masks.mask(FaceRegion.MOUTH)[35 * 50 + 16]).isFalse();
        assertThat(masks.mask(FaceRegion.MOUTH)[35 * 50 + 28]).isFalse();
    }

    @Test
    void uniformRelevanceGivesTheAreaShares() {
        RegionMasks masks = RegionMasks.of(landmarks(), new FaceBox(0, 0, 100, 100), 100, 1.5);
        List<RegionShare> shares = RegionShare.of(Nd4j.ones(1, 3, 100, 100).muli(-2),
                PixelRelevance.SUM_OF_ABSOLUTE_VALUES, masks);
        assertThat(shares).extracting(RegionShare::region).containsExactly(FaceRegion.values());
        for (RegionShare s : shares) {
            assertThat(s.attributionShare()).as(s.region().name()).isCloseTo(s.areaShare(), offset(1e-12));
        }
        assertThat(shares.get(0).areaShare()).isGreaterThan(0.04);
        assertThat(shares.get(0).enrichment()).isCloseTo(1, offset(1e-12));
    }

    @Test
    void relevanceInsideTheMouthIsAllTheMouths() {
        RegionMasks masks = RegionMasks.of(landmarks(), new FaceBox(0, 0, 100, 100), 100, 0);
        double[] relevance = new double[100 * 100];
        relevance[70 * 100 + 30] = 3;
        relevance[65 * 100 + 22] = 1;
        relevance[5 * 100 + 5] = 4; // outside every region
        List<RegionShare> shares = RegionShare.of(relevance, masks);
        assertThat(shares.get(FaceRegion.MOUTH.ordinal()).attributionShare()).isCloseTo(0.5, offset(1e-15));
        assertThat(shares.get(FaceRegion.MOUTH.ordinal()).areaShare()).isCloseTo(0.04, offset(1e-15));
        assertThat(shares.get(FaceRegion.MOUTH.ordinal()).enrichment()).isCloseTo(12.5, offset(1e-12));
        assertThat(shares.get(FaceRegion.NOSE.ordinal()).attributionShare()).isZero();
    }

    @Test
    void badInputsAreRefused() {
        RegionMasks masks = RegionMasks.of(landmarks(), new FaceBox(0, 0, 100, 100), 100, 0);
        assertThatThrownBy(() -> RegionShare.of(new double[100 * 100], masks)).hasMessageContaining("zero everywhere");
        double[] negative = new double[100 * 100];
        negative[3] = -1;
        assertThatThrownBy(() -> RegionShare.of(negative, masks)).hasMessageContaining("relevance[3] is -1.0");
        assertThatThrownBy(() -> RegionShare.of(Nd4j.ones(1, 3, 50, 50), PixelRelevance.ABSOLUTE_SUM, masks))
                .hasMessageContaining("50x50 but the masks are 100x100");
        assertThatThrownBy(() -> RegionMasks.of(landmarks(), new FaceBox(0, 0, 10, 10), 10, -1))
                .hasMessageContaining("marginPixels");
    }
}
