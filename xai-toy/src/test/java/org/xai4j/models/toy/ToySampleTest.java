package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToySampleTest {

    @Test
    void isImmutable() {
        ToySample s = new ObjectWorld(3, 16).sample(0);
        float[] p = s.pixels();
        float before = p[0];
        p[0] = before + 0.5f;
        assertThat(s.pixels()[0]).isEqualTo(before);
        boolean[] m = s.mask(ObjectWorld.MASK_OBJECT).pixels();
        m[0] = !m[0];
        assertThat(s.mask(ObjectWorld.MASK_OBJECT).pixels()[0]).isEqualTo(!m[0]);
        assertThatThrownBy(() -> s.masks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bufferedImageMatchesPixels() {
        ToySample s = new FaceWorld(3, 32, FaceTask.EMOTION).sample(4);
        BufferedImage img = s.toBufferedImage();
        assertThat(img.getWidth()).isEqualTo(32);
        assertThat(img.getHeight()).isEqualTo(32);
        for (int[] yx : new int[][] {{0, 0}, {16, 16}, {20, 9}, {31, 31}}) {
            int rgb = img.getRGB(yx[1], yx[0]);
            assertThat(((rgb >> 16) & 0xFF) / 255.0).isCloseTo(s.pixel(0, yx[0], yx[1]), offset(0.003));
            assertThat(((rgb >> 8) & 0xFF) / 255.0).isCloseTo(s.pixel(1, yx[0], yx[1]), offset(0.003));
            assertThat((rgb & 0xFF) / 255.0).isCloseTo(s.pixel(2, yx[0], yx[1]), offset(0.003));
        }
    }

    @Test
    void validatesConstruction() {
        Map<String, Mask> none = Map.of();
        assertThatThrownBy(() -> new ToySample(0, 2, 2, new float[11], 0, "x", -1, null, none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12").hasMessageContaining("11");
        assertThatThrownBy(() -> new ToySample(0, 2, 2, new float[12], -1, "x", -1, null, none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        assertThatThrownBy(() -> new ToySample(0, 2, 2, null, 0, "x", -1, null, none))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("pixels");
        Map<String, Mask> wrong = Map.of("m", new Mask("m", 3, 2, new boolean[6]));
        assertThatThrownBy(() -> new ToySample(0, 2, 2, new float[12], 0, "x", -1, null, wrong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x2").hasMessageContaining("3x2");
        assertThat(new ToySample(0, 2, 2, new float[12], 0, "x", -1, null, none).isFace()).isFalse();
    }

    @Test
    void maskOperations() {
        Mask a = new Mask("a", 2, 2, new boolean[] {true, true, false, false});
        Mask b = new Mask("b", 2, 2, new boolean[] {true, false, true, false});
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.fraction()).isEqualTo(0.5);
        assertThat(a.get(0, 1)).isTrue();
        assertThat(a.get(1, 0)).isFalse();
        assertThat(a.fractionInside(b)).isEqualTo(0.5);
        assertThat(a.union(b, "ab").count()).isEqualTo(3);
        assertThat(a.toFloatArray()).containsExactly(1f, 1f, 0f, 0f);
        assertThat(new Mask("e", 1, 1, new boolean[1]).isEmpty()).isTrue();
        assertThat(a).isEqualTo(new Mask("a", 2, 2, new boolean[] {true, true, false, false}));
        assertThatThrownBy(() -> new Mask("x", 2, 2, new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4").hasMessageContaining("3");
        assertThatThrownBy(() -> a.fractionInside(new Mask("c", 1, 4, new boolean[4])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x4");
        assertThatThrownBy(() -> a.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void enumsHaveDisplayNames() {
        assertThat(Emotion.HAPPY.displayName()).isEqualTo("happy");
        assertThat(Emotion.displayNames()).hasSize(7);
        assertThat(ObjectClass.STRIPES.displayName()).isEqualTo("stripes");
    }
}
