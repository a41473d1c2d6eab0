package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Region masks from face-api's recorded landmarks of the fixture faces, in the expression network's input. */
class FaceRegionsOnPhotosTest {

    @Test
    void regionsAreOrderedTopToBottomAndSmall() {
        int faces = 0;
        for (JsonNode photo : FaceApiReference.ROOT.get("photos")) {
            for (JsonNode face : photo.get("faces")) {
                double[] xs = new double[68];
                double[] ys = new double[68];
                for (int k = 0; k < 68; k++) {
                    xs[k] = face.get("landmarks").get(k).get(0).asDouble();
                    ys[k] = face.get("landmarks").get(k).get(1).asDouble();
                }
                FaceBox crop = FaceApiReference.box(face.get("alignedCrop"));
                FaceLandmarks68 landmarks = new FaceLandmarks68(xs, ys, 1, 1);
                RegionMasks masks = RegionMasks.of(landmarks, crop, 112, 1);
                double brows = meanRow(masks, FaceRegion.BROWS);
                double eyes = meanRow(masks, FaceRegion.EYES);
                double nose = meanRow(masks, FaceRegion.NOSE);
                double mouth = meanRow(masks, FaceRegion.MOUTH);
                assertThat(brows).isLessThan(eyes);
                assertThat(eyes).isLessThan(nose);
                assertThat(nose).isLessThan(mouth);
                for (FaceRegion r : FaceRegion.values()) {
                    // every region is visible and a small part of the aligned face
                    assertThat(masks.area(r)).as(r.name()).isBetween(20, 112 * 112 / 5);
                }
                faces++;
            }
        }
        assertThat(faces).isEqualTo(20);
    }

    private static double meanRow(RegionMasks masks, FaceRegion region) {
        boolean[] m = masks.mask(region);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i]) {
                sum += i / masks.width();
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void masksOfADetectedFaceUseTheRegionItsNetworkSees() {
        DetectedFace face;
        try (FaceAnalyzer analyzer = new FaceAnalyzer()) {
            face = analyzer.analyze(FaceApiPhotos.read("sample2.png")).get(0);
        }
        try (FaceApiModel expression = FaceApiModels.load("expression");
             FaceApiModel recognition = FaceApiModels.load("recognition")) {
            assertThat(RegionMasks.of(face, expression, 1))
                    .isEqualTo(RegionMasks.of(face.landmarks(), face.alignedCrop(), 112, 1));
            RegionMasks r = RegionMasks.of(face, recognition, 1);
            assertThat(r).isEqualTo(RegionMasks.of(face.landmarks(), face.descriptorCrop(), 150, 1));
            assertThat(r.height()).isEqualTo(150);
        }
    }
}
