package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceWorldTest {

    private final FaceWorld emotions = new FaceWorld(42, FaceTask.EMOTION);

    @Test
    void sameSeedAndIndexGiveIdenticalSamples() {
        ToySample a = emotions.sample(77);
        ToySample b = new FaceWorld(42, FaceTask.EMOTION).sample(77);
        assertThat(a).isEqualTo(b);
        assertThat(a.pixels()).containsExactly(b.pixels());
    }

    @Test
    void differentIndexGivesDifferentPixelsEvenForTheSameIdentityAndEmotion() {
        // 3 and 59 share identity (i % 8) and emotion (i % 7): only the jitter differs.
        ToySample a = emotions.sample(3);
        ToySample b = emotions.sample(59);
        assertThat(a.identity()).isEqualTo(b.identity());
        assertThat(a.emotion()).isEqualTo(b.emotion());
        assertThat(a.pixels()).isNotEqualTo(b.pixels());
        assertThat(new FaceWorld(43, FaceTask.EMOTION).sample(3).pixels()).isNotEqualTo(a.pixels());
    }

    @Test
    void sampleDoesNotDependOnBatchPosition() {
        List<ToySample> batch = emotions.batch(0, 10);
        assertThat(emotions.sample(5)).isEqualTo(batch.get(5));
        assertThat(emotions.batch(5, 1).get(0)).isEqualTo(batch.get(5));
    }

    @Test
    void taskChangesOnlyTheLabel() {
        FaceWorld identities = new FaceWorld(emotions.seed(), emotions.height(), emotions.width(), FaceTask.IDENTITY);
        ToySample e = emotions.sample(20);
        ToySample i = identities.sample(20);
        assertThat(i.pixels()).containsExactly(e.pixels());
        assertThat(i.masks()).isEqualTo(e.masks());
        assertThat(e.label()).isEqualTo(Emotion.values()[20 % 7].ordinal());
        assertThat(e.labelName()).isEqualTo(Emotion.values()[20 % 7].displayName());
        assertThat(i.label()).isEqualTo(20 % 8);
        assertThat(i.labelName()).isEqualTo(FaceWorld.identityNames().get(20 % 8));
        assertThat(identities.numClasses()).isEqualTo(FaceWorld.IDENTITY_COUNT);
        assertThat(emotions.numClasses()).isEqualTo(7);
        assertThat(emotions.labelNames())
                .containsExactly("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");
        assertThat(identities.labelNames()).hasSize(8).doesNotHaveDuplicates();
    }

    @Test
    void identitiesAndEmotionsAreFullyCrossedAndBalanced() {
        int[][] pairs = new int[FaceWorld.IDENTITY_COUNT][7];
        for (ToySample s : emotions.batch(560, 112)) {
            assertThat(s.isFace()).isTrue();
            assertThat(s.identity()).isEqualTo(FaceWorld.identityOf(s.index()));
            assertThat(s.emotion()).isEqualTo(FaceWorld.emotionOf(s.index()));
            pairs[s.identity()][s.emotion().ordinal()]++;
        }
        for (int[] row : pairs) {
            assertThat(row).containsOnly(2);
        }
        // any 7 consecutive samples cover every emotion
        assertThat(emotions.batch(1234, 7).stream().map(ToySample::emotion).distinct()).hasSize(7);
    }

    @Test
    void featureMasksAreNonEmptyAndInsideTheFace() {
        for (ToySample s : emotions.batch(0, 112)) {
            assertThat(s.masks()).containsOnlyKeys(FaceWorld.MASK_FACE, FaceWorld.MASK_EYES,
                    FaceWorld.MASK_EYEBROWS, FaceWorld.MASK_MOUTH);
            Mask face = s.mask(FaceWorld.MASK_FACE);
            assertThat(face.fraction()).as("face of %s", s).isBetween(0.15, 0.6);
            for (String region : List.of(FaceWorld.MASK_EYES, FaceWorld.MASK_EYEBROWS, FaceWorld.MASK_MOUTH)) {
                Mask m = s.mask(region);
                assertThat(m.count()).as("%s of %s", region, s).isGreaterThanOrEqualTo(5);
                assertThat(m.fraction()).as("%s of %s", region, s).isLessThan(0.06);
                assertThat(m.fractionInside(face)).as("%s inside face of %s", region, s).isEqualTo(1.0);
            }
        }
    }

    @Test
    void featureRegionsAreInAnatomicalOrder() {
        for (ToySample s : emotions.batch(0, 56)) {
            double brows = meanRow(s.mask(FaceWorld.MASK_EYEBROWS));
            double eyes = meanRow(s.mask(FaceWorld.MASK_EYES));
            double mouth = meanRow(s.mask(FaceWorld.MASK_MOUTH));
            assertThat(brows).as("%s", s).isLessThan(eyes);
            assertThat(eyes).as("%s", s).isLessThan(mouth);
        }
    }

    @Test
    void pixelsAreInUnitRange() {
        for (ToySample s : emotions.batch(0, 14)) {
            for (float v : s.pixels()) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void surpriseMouthIsLargerThanNeutralMouth() {
        // Same identity (i % 8 == 0): an open "O" covers more pixels than a flat line.
        ToySample surprise = emotions.sample(5 * 8);   // 40 % 7 == 5 (surprise)
        ToySample neutral = emotions.sample(6 * 8);    // 48 % 7 == 6 (neutral)
        assertThat(surprise.emotion()).isEqualTo(Emotion.SURPRISE);
        assertThat(neutral.emotion()).isEqualTo(Emotion.NEUTRAL);
        assertThat(surprise.identity()).isEqualTo(neutral.identity());
        assertThat(surprise.mask(FaceWorld.MASK_MOUTH).count())
                .isGreaterThan(neutral.mask(FaceWorld.MASK_MOUTH).count());
    }

    @Test
    void rendersConfigurableSizes() {
        ToySample big = new FaceWorld(1, 128, FaceTask.IDENTITY).sample(3);
        assertThat(big.pixels()).hasSize(3 * 128 * 128);
        assertThat(big.mask(FaceWorld.MASK_EYES).count()).isGreaterThan(40);
        ToySample wide = new FaceWorld(1, 64, 96, FaceTask.IDENTITY).sample(3);
        assertThat(wide.width()).isEqualTo(96);
        assertThat(wide.mask(FaceWorld.MASK_MOUTH).fractionInside(wide.mask(FaceWorld.MASK_FACE))).isEqualTo(1.0);
        assertThat(new FaceWorld(1, 16, FaceTask.EMOTION).sample(0).mask(FaceWorld.MASK_FACE).isEmpty()).isFalse();
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new FaceWorld(1, 12, FaceTask.EMOTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12").hasMessageContaining("16");
        assertThatThrownBy(() -> new FaceWorld(1, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("task");
        assertThatThrownBy(() -> emotions.sample(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        assertThatThrownBy(() -> FaceWorld.emotionOf(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> emotions.sample(0).mask("nose"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nose").hasMessageContaining("mouth");
    }

    private static double meanRow(Mask m) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    sum += y;
                    n++;
                }
            }
        }
        return sum / n;
    }
}
