package org.xai4j.attribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IntegrationRuleTest {

    private static double integrate(IntegrationRule.Nodes nodes, DoubleUnaryOperator f) {
        double sum = 0;
        for (int k = 0; k < nodes.alphas().length; k++) {
            sum += nodes.weights()[k] * f.applyAsDouble(nodes.alphas()[k]);
        }
        return sum;
    }

    @Test
    void gaussLegendreIsExactForPolynomialsOfDegreeTwoNMinusOne() {
        for (int n = 1; n <= 12; n++) {
            int degree = 2 * n - 1;
            double exact = 1.0 / (degree + 1);
            assertThat(integrate(IntegrationRule.GAUSS_LEGENDRE.nodes(n), a -> Math.pow(a, degree)))
                    .as("n=%d", n).isCloseTo(exact, within(1e-13));
        }
        // Known 3-point nodes on [-1, 1]: 0 and +-sqrt(3/5), weights 8/9 and 5/9.
        double[][] three = IntegrationRule.gaussLegendre(3);
        assertThat(three[0]).containsExactly(new double[] {-Math.sqrt(0.6), 0, Math.sqrt(0.6)}, within(1e-14));
        assertThat(three[1]).containsExactly(new double[] {5.0 / 9, 8.0 / 9, 5.0 / 9}, within(1e-14));
    }

    @Test
    void gaussLegendreStaysAccurateForManyNodes() {
        IntegrationRule.Nodes nodes = IntegrationRule.GAUSS_LEGENDRE.nodes(1000);
        assertThat(Arrays.stream(nodes.weights()).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(integrate(nodes, Math::exp)).isCloseTo(Math.E - 1, within(1e-12));
    }

    @Test
    void riemannRulesMatchCaptumsPoints() {
        assertThat(IntegrationRule.RIEMANN_LEFT.nodes(4).alphas()).containsExactly(0, 0.25, 0.5, 0.75);
        assertThat(IntegrationRule.RIEMANN_RIGHT.nodes(4).alphas()).containsExactly(0.25, 0.5, 0.75, 1);
        assertThat(IntegrationRule.RIEMANN_MIDDLE.nodes(4).alphas()).containsExactly(0.125, 0.375, 0.625, 0.875);
        IntegrationRule.Nodes trapezoid = IntegrationRule.RIEMANN_TRAPEZOID.nodes(5);
        assertThat(trapezoid.alphas()).containsExactly(0, 0.25, 0.5, 0.75, 1);
        assertThat(trapezoid.weights()).containsExactly(0.125, 0.25, 0.25, 0.25, 0.125);
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void refinementEqualsTheFinerRule(IntegrationRule rule) {
        DoubleUnaryOperator f = a -> Math.sin(3 * a) + a * a;
        int steps = rule == IntegrationRule.RIEMANN_TRAPEZOID ? 5 : 4;
        IntegrationRule.Refinement refinement = rule.refine(steps);
        double refined = integrate(rule.nodes(steps), f) * refinement.previousScale() + integrate(refinement.added(), f);
        assertThat(refined).isCloseTo(integrate(rule.nodes(refinement.steps()), f), within(1e-14));
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void weightsSumToOne(IntegrationRule rule) {
        assertThat(Arrays.stream(rule.nodes(17).weights()).sum()).isCloseTo(1.0, within(1e-14));
    }
}
