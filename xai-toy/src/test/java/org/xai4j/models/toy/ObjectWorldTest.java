package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectWorldTest {

    private final ObjectWorld world = new ObjectWorld(7);

    @Test
    void sameSeedAndIndexGiveIdenticalSamples() {
        ToySample a = world.sample(123);
        ToySample b = new ObjectWorld(7).sample(123);
        assertThat(a.pixels()).containsExactly(b.pixels());
        assertThat(a.masks()).isEqualTo(b.masks());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void differentIndexOrSeedGivesDifferentPixels() {
        float[] base = world.sample(10).pixels();
        assertThat(world.sample(16).pixels()).isNotEqualTo(base); // same class, other index
        assertThat(new ObjectWorld(8).sample(10).pixels()).isNotEqualTo(base);
    }

    @Test
    void sampleDoesNotDependOnBatchPosition() {
        List<ToySample> batch = world.batch(0, 10);
        assertThat(batch).hasSize(10);
        assertThat(world.sample(5)).isEqualTo(batch.get(5));
        assertThat(world.batch(3, 4).get(2)).isEqualTo(batch.get(5));
        assertThat(batch.get(5).index()).isEqualTo(5);
    }

    @Test
    void classesCycleAndAreBalanced() {
        int[] counts = new int[ObjectClass.values().length];
        for (ToySample s : world.batch(1000, 120)) {
            counts[s.label()]++;
            assertThat(s.labelName()).isEqualTo(ObjectClass.values()[s.label()].displayName());
            assertThat(world.classOf(s.index()).ordinal()).isEqualTo(s.label());
            assertThat(s.isFace()).isFalse();
            assertThat(s.identity()).isEqualTo(-1);
        }
        assertThat(counts).containsOnly(20);
        assertThat(world.numClasses()).isEqualTo(6);
        assertThat(world.labelNames()).containsExactly("disk", "square", "triangle", "stripes", "ring", "star");
    }

    @Test
    void pixelsAreRgbChwInUnitRange() {
        for (ToySample s : world.batch(0, 12)) {
            assertThat(s.height()).isEqualTo(64);
            assertThat(s.width()).isEqualTo(64);
            float[] p = s.pixels();
            assertThat(p).hasSize(3 * 64 * 64);
            for (float v : p) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void objectMaskIsASubstantialButPartialRegion() {
        for (ToySample s : world.batch(0, 60)) {
            assertThat(s.masks()).containsOnlyKeys(ObjectWorld.MASK_OBJECT);
            double f = s.mask(ObjectWorld.MASK_OBJECT).fraction();
            assertThat(f).as("object fraction of %s", s).isBetween(0.03, 0.5);
        }
    }

    @Test
    void ringMaskHasAHoleAtItsCenter() {
        ToySample ring = world.sample(ObjectClass.RING.ordinal());
        Mask m = ring.mask(ObjectWorld.MASK_OBJECT);
        double sy = 0;
        double sx = 0;
        int n = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    sy += y;
                    sx += x;
                    n++;
                }
            }
        }
        assertThat(m.get((int) Math.round(sy / n), (int) Math.round(sx / n))).isFalse();
    }

    @Test
    void objectsStandOutFromTheBackground() {
        // Plain objects differ from the background in mean luminance; striped patches have strong
        // luminance variation inside (their mean may match the background).
        for (ToySample s : world.batch(0, 60)) {
            Mask m = s.mask(ObjectWorld.MASK_OBJECT);
            double in = 0;
            double inSq = 0;
            double out = 0;
            int nIn = 0;
            int nOut = 0;
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    double g = 0.299 * s.pixel(0, y, x) + 0.587 * s.pixel(1, y, x) + 0.114 * s.pixel(2, y, x);
                    if (m.get(y, x)) {
                        in += g;
                        inSq += g * g;
                        nIn++;
                    } else {
                        out += g;
                        nOut++;
                    }
                }
            }
            double meanIn = in / nIn;
            if (s.label() == ObjectClass.STRIPES.ordinal()) {
                double std = Math.sqrt(inSq / nIn - meanIn * meanIn);
                assertThat(std).as("stripe contrast of %s", s).isGreaterThan(0.1);
            } else {
                assertThat(Math.abs(meanIn - out / nOut)).as("contrast of %s", s).isGreaterThan(0.1);
            }
        }
    }

    @Test
    void rendersConfigurableAndNonSquareSizes() {
        ToySample small = new ObjectWorld(1, 16).sample(0);
        assertThat(small.pixels()).hasSize(3 * 16 * 16);
        ToySample wide = new ObjectWorld(1, 48, 80).sample(4);
        assertThat(wide.height()).isEqualTo(48);
        assertThat(wide.width()).isEqualTo(80);
        assertThat(wide.mask(ObjectWorld.MASK_OBJECT).isEmpty()).isFalse();
        assertThat(new ObjectWorld(1, 128).sample(2).mask(ObjectWorld.MASK_OBJECT).count()).isGreaterThan(500);
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new ObjectWorld(1, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height").hasMessageContaining("16")
                .hasMessageContaining("8");
        assertThatThrownBy(() -> new ObjectWorld(1, 64, 15))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width").hasMessageContaining("15");
        assertThatThrownBy(() -> world.sample(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index").hasMessageContaining("-1");
        assertThatThrownBy(() -> world.batch(0, -3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count").hasMessageContaining("-3");
        assertThatThrownBy(() -> world.batch(-2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fromIndex");
        assertThatThrownBy(() -> world.batch(Long.MAX_VALUE - 1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflow");
        assertThat(world.batch(0, 0)).isEmpty();
    }

    @Test
    void worldsWithSameConfigurationAreEqual() {
        assertThat(new ObjectWorld(3, 32)).isEqualTo(new ObjectWorld(3, 32, 32))
                .hasSameHashCodeAs(new ObjectWorld(3, 32)).isNotEqualTo(new ObjectWorld(4, 32));
    }
}
