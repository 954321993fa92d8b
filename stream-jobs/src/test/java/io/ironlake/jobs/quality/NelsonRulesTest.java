package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rule on a series crafted to complete its pattern at the last point and nothing else before;
 * values are z-scores (center 0, σ of the mean 1, control limits ±3).
 */
class NelsonRulesTest {
  /** 30 points that break no rule: runs of at most 2 on one side, trends of at most 4, ... */
  static final double[] IN_CONTROL = {
    0.5, -0.8, 1.2, 0.3, -1.4, -0.2, 0.9, 1.1, -0.6, 0.1, -1.1, 0.4, 1.6, -0.3, -0.9, 0.7, 0.2,
    -1.3, 0.6, 1.3, -0.4, -1.2, 0.8, 0.3, -0.5, 1.5, 0.2, -0.7, 0.4, 1.2
  };

  @Test
  void noRuleFiresOnAnInControlSeries() {
    assertThat(NelsonRules.evaluate(IN_CONTROL)).allSatisfy(s -> assertThat(s).isEmpty());
  }

  @Test
  void rule1OnePointBeyondThreeSigma() {
    assertFiresOnlyAtEnd(NelsonRule.R1, 0.5, -0.2, 3.5);
    assertFiresOnlyAtEnd(NelsonRule.R1, 0.2, -3.2);
    assertFiresOnlyAtEnd(NelsonRule.R1, 0.2, -2.99, 3.01); // -2.99 is inside
  }

  @Test
  void rule2NinePointsOnOneSide() {
    // Eight in a row (Western Electric's version) are not enough; the ninth fires.
    assertFiresOnlyAtEnd(NelsonRule.R2, 0.3, 0.6, 0.3, 0.6, 0.3, 0.6, 0.3, 0.6, 0.3);
    assertFiresOnlyAtEnd(NelsonRule.R2, -0.3, -0.6, -0.3, -0.6, -0.3, -0.6, -0.3, -0.6, -0.3);
    // A point exactly on the center line breaks the run.
    assertThat(NelsonRules.evaluate(new double[] {0.3, 0.6, 0.3, 0.6, 0, 0.6, 0.3, 0.6, 0.3}))
        .allSatisfy(s -> assertThat(s).isEmpty());
  }

  @Test
  void rule3SixPointsSteadilyIncreasingOrDecreasing() {
    assertFiresOnlyAtEnd(NelsonRule.R3, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5);
    assertFiresOnlyAtEnd(NelsonRule.R3, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5);
    // An equal pair breaks the trend.
    assertThat(NelsonRules.evaluate(new double[] {-0.5, -0.3, -0.3, 0.1, 0.3, 0.5}))
        .allSatisfy(s -> assertThat(s).isEmpty());
  }

  @Test
  void rule4FourteenPointsAlternating() {
    assertFiresOnlyAtEnd(
        NelsonRule.R4, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5);
  }

  @Test
  void rule5TwoOfThreeBeyondTwoSigmaOnOneSide() {
    assertFiresOnlyAtEnd(NelsonRule.R5, 0.1, 2.5, 0.3, 2.2);
    assertFiresOnlyAtEnd(NelsonRule.R5, -2.1, -2.3); // at the start of a series
    // Reported at the point completing the pattern, not again at the next one.
    List<Set<NelsonRule>> r = NelsonRules.evaluate(new double[] {0.1, 2.5, 2.2, 0.3});
    assertThat(r.get(2)).containsExactly(NelsonRule.R5);
    assertThat(r.get(3)).isEmpty();
    // Opposite sides do not count together.
    assertThat(NelsonRules.evaluate(new double[] {0.1, 2.5, -2.2}))
        .allSatisfy(s -> assertThat(s).isEmpty());
  }

  @Test
  void rule6FourOfFiveBeyondOneSigmaOnOneSide() {
    assertFiresOnlyAtEnd(NelsonRule.R6, 0.2, 1.5, 1.2, 0.5, 1.8, 1.1);
    assertFiresOnlyAtEnd(NelsonRule.R6, -0.2, -1.5, -1.2, -0.5, -1.8, -1.1);
  }

  @Test
  void rule7FifteenPointsWithinOneSigma() {
    assertFiresOnlyAtEnd(
        NelsonRule.R7,
        0.2,
        -0.3,
        0.4,
        0.1,
        -0.2,
        0.3,
        0.5,
        -0.1,
        0.2,
        -0.4,
        -0.6,
        0.3,
        0.1,
        -0.2,
        0.4);
  }

  @Test
  void rule8EightPointsBeyondOneSigmaOnBothSides() {
    assertFiresOnlyAtEnd(NelsonRule.R8, 1.5, -1.5, 1.2, -1.3, 1.4, -1.2, 1.1, -1.6);
  }

  @Test
  void onlyEnabledRulesAreChecked() {
    double[] z = {0.5, -0.2, 3.5};
    assertThat(NelsonRules.firing(z, EnumSet.of(NelsonRule.R2))).isEmpty();
    assertThat(NelsonRules.firing(z, EnumSet.of(NelsonRule.R1))).containsExactly(NelsonRule.R1);
    assertThat(NelsonRules.firing(new double[0], EnumSet.allOf(NelsonRule.class))).isEmpty();
  }

  private static void assertFiresOnlyAtEnd(NelsonRule rule, double... z) {
    List<Set<NelsonRule>> result = NelsonRules.evaluate(z);
    for (int i = 0; i < z.length - 1; i++) {
      assertThat(result.get(i)).as("rules at point %d of %s", i, rule).isEmpty();
    }
    assertThat(result.get(z.length - 1)).as("rules at the last point").containsExactly(rule);
  }
}
