package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class FaceDetectorTest {

    @Test
    void nonMaxSuppressionKeepsTheBestOfOverlappingBoxes() {
        List<FaceBox> boxes = List.of(
                new FaceBox(0, 0, 10, 10),    // 0
                new FaceBox(1, 0, 10, 10),    // 1: IoU with 0 = 90/110 > 0.4
                new FaceBox(20, 20, 10, 10),  // 2: disjoint
                new FaceBox(5, 0, 10, 10));   // 3: IoU with 0 = 50/150 = 1/3 <= 0.4, with 1 = 60/140 > 0.4
        List<Double> scores = List.of(0.9, 0.95, 0.6, 0.8);
        // 1 first (0.95) removes 0 and 3; then 2
        assertThat(FaceDetector.nonMaxSuppression(boxes, scores, 0.4)).containsExactly(1, 2);
        // equal scores: the later box wins, as popping JS's stably sorted ascending list does
        assertThat(FaceDetector.nonMaxSuppression(List.of(boxes.get(0), boxes.get(1)), List.of(0.5, 0.5), 0.4))
                .containsExactly(1);
    }

    @Test
    void decodesOneCellInClosedForm() {
        int cells = 13;
        float[] grid = new float[cells * cells * 25];
        java.util.Arrays.fill(grid, -20f); // every score sigmoid(-20) ~ 0
        int row = 4;
        int col = 7;
        int anchor = 2;
        int k = ((row * cells + col) * 5 + anchor) * 5;
        grid[k] = 0f;       // sigmoid 0.5: center of the cell
        grid[k + 1] = 0f;
        grid[k + 2] = 0f;   // exp 0 = 1: the anchor's size
        grid[k + 3] = 0f;
        grid[k + 4] = 2f;   // score sigmoid(2)
        // a 416x208 image: the detector input is padded at the bottom, so y is corrected by 416 / 208 = 2
        List<FaceDetection> d = FaceDetector.decode(grid, 416, 208, 416, 0.5);
        assertThat(d).hasSize(1);
        double w = FaceDetector.ANCHORS[anchor][0] / cells;
        double h = FaceDetector.ANCHORS[anchor][1] / cells * 2;
        double cx = (col + 0.5) / cells;
        double cy = (row + 0.5) / cells * 2;
        FaceBox box = d.get(0).box();
        assertThat(d.get(0).score()).isCloseTo(1 / (1 + Math.exp(-2)), offset(1e-12));
        assertThat(box.x()).isCloseTo((cx - w / 2) * 416, offset(1e-9));
        assertThat(box.y()).isCloseTo((cy - h / 2) * 208, offset(1e-9));
        assertThat(box.width()).isCloseTo(w * 416, offset(1e-9));
        assertThat(box.height()).isCloseTo(h * 208, offset(1e-9));
        assertThat(FaceDetector.decode(grid, 416, 208, 416, 0.9)).isEmpty();
        assertThatThrownBy(() -> FaceDetector.decode(new float[24], 10, 10, 416, 0.5)).hasMessageContaining("24 values");
    }

    @Test
    void builderRefusesBadSettings() {
        assertThatThrownBy(() -> FaceDetector.builder().optInputSize(400).build()).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> FaceDetector.builder().optScoreThreshold(1).build()).hasMessageContaining("(0, 1)");
        assertThat(FaceApiModels.gridCells(416)).isEqualTo(13);
        assertThat(FaceApiModels.gridCells(608)).isEqualTo(19);
    }
}
