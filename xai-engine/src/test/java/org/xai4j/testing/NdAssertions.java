package org.xai4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Array assertions shared by the test suites of all modules. */
public final class NdAssertions {

    private NdAssertions() { }

    /**
     * Asserts equal shapes, then {@code |actual - expected| <= atol + rtol * |expected|} element-wise (numpy's
     * {@code allclose}), reporting the worst element.
     */
    public static void assertAllClose(INDArray actual, INDArray expected, double rtol, double atol) {
        assertThat(actual).as("actual array").isNotNull();
        assertThat(actual.shape()).as("shape").containsExactly(expected.shape());
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray excess = Transforms.abs(a.sub(e)).subi(Transforms.abs(e).muli(rtol).addi(atol));
        double worst = excess.maxNumber().doubleValue();
        if (worst > 0 || Double.isNaN(worst)) {
            long index = excess.argMax().getLong(0);
            fail("arrays differ beyond rtol=" + rtol + ", atol=" + atol + " at flat index " + index + ": actual "
                    + a.reshape(-1).getDouble(index) + ", expected " + e.reshape(-1).getDouble(index)
                    + " (max |diff| = " + maxAbsDiff(a, e) + ", shape " + Arrays.toString(expected.shape()) + ")");
        }
    }

    /** The largest absolute element-wise difference of two arrays of the same shape. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).as("shape").containsExactly(b.shape());
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /** ||a - b|| / ||b|| in the L2 norm. */
    public static double relativeL2(INDArray a, INDArray b) {
        INDArray ad = a.castTo(DataType.DOUBLE);
        INDArray bd = b.castTo(DataType.DOUBLE);
        return ad.sub(bd).norm2Number().doubleValue() / bd.norm2Number().doubleValue();
    }
}
