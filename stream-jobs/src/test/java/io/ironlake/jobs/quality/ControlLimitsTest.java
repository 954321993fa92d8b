package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControlLimitsTest {
  private static final double EPS = 1e-9;

  /** Five subgroups of four, worked out by hand below. */
  private static final List<Subgroup> BASELINE =
      List.of(
          Subgroup.of(10, 12, 11, 13), // mean 11.5, R 3, s = sqrt(5/3)
          Subgroup.of(11, 11, 12, 10), // mean 11.0, R 2, s = sqrt(2/3)
          Subgroup.of(12, 14, 13, 13), // mean 13.0, R 2, s = sqrt(2/3)
          Subgroup.of(10, 13, 12, 11), // mean 11.5, R 3, s = sqrt(5/3)
          Subgroup.of(12, 11, 13, 12)); // mean 12.0, R 2, s = sqrt(2/3)

  @Test
  void subgroupStatistics() {
    Subgroup s = BASELINE.get(0);
    assertThat(s.n()).isEqualTo(4);
    assertThat(s.mean()).isCloseTo(11.5, within(EPS));
    assertThat(s.range()).isCloseTo(3.0, within(EPS));
    // deviations -1.5, 0.5, -0.5, 1.5: squares 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
    assertThat(s.stddev()).isCloseTo(Math.sqrt(5.0 / 3), within(EPS));
  }

  @Test
  void xbarRLimitsFromABaseline() {
    ControlLimits limits = ControlLimits.fromBaseline(ChartType.XBAR_R, BASELINE);
    // X̿ = (11.5 + 11 + 13 + 11.5 + 12) / 5 = 11.8; R̄ = (3 + 2 + 2 + 3 + 2) / 5 = 2.4
    // n = 4: A2 = 0.729, D3 = 0, D4 = 2.282
    assertThat(limits.center()).isCloseTo(11.8, within(EPS));
    assertThat(limits.ucl()).isCloseTo(11.8 + 0.729 * 2.4, within(EPS)); // 13.5496
    assertThat(limits.lcl()).isCloseTo(11.8 - 0.729 * 2.4, within(EPS)); // 10.0504
    assertThat(limits.dispersionCenter()).isCloseTo(2.4, within(EPS));
    assertThat(limits.dispersionUcl()).isCloseTo(2.282 * 2.4, within(EPS)); // 5.4768
    assertThat(limits.dispersionLcl()).isCloseTo(0.0, within(EPS));
    // σ̂ = R̄ / d2 = 2.4 / 2.059
    assertThat(limits.withinSigma()).isCloseTo(2.4 / 2.059, within(EPS));
  }

  @Test
  void xbarSLimitsFromABaseline() {
    ControlLimits limits = ControlLimits.fromBaseline(ChartType.XBAR_S, BASELINE);
    // S̄ = (2 sqrt(5/3) + 3 sqrt(2/3)) / 5 = (2.581989 + 2.449490) / 5 = 1.006296
    double sBar = (2 * Math.sqrt(5.0 / 3) + 3 * Math.sqrt(2.0 / 3)) / 5;
    assertThat(sBar).isCloseTo(1.006296, within(1e-6));
    // n = 4: A3 = 1.628, B3 = 0, B4 = 2.266
    assertThat(limits.center()).isCloseTo(11.8, within(EPS));
    assertThat(limits.ucl()).isCloseTo(11.8 + 1.628 * sBar, within(EPS)); // 13.438250
    assertThat(limits.lcl()).isCloseTo(11.8 - 1.628 * sBar, within(EPS)); // 10.161750
    assertThat(limits.dispersionCenter()).isCloseTo(sBar, within(EPS));
    assertThat(limits.dispersionUcl()).isCloseTo(2.266 * sBar, within(EPS));
    assertThat(limits.dispersionLcl()).isCloseTo(0.0, within(EPS));
    assertThat(limits.withinSigma()).isCloseTo(sBar / 0.9213, within(EPS));
  }

  @Test
  void limitsFromAKnownProcess() {
    // μ = 12, σ = 0.008, n = 5: X-bar 12 ± 3·0.008/√5 = 12 ± 0.0107331
    ControlLimits r = ControlLimits.fromProcess(ChartType.XBAR_R, 5, 12.0, 0.008);
    assertThat(r.ucl()).isCloseTo(12.0107331, within(1e-7));
    assertThat(r.lcl()).isCloseTo(11.9892669, within(1e-7));
    // R chart: d2 σ = 2.326 · 0.008 = 0.018608; UCL (d2 + 3 d3) σ = (2.326 + 2.592) · 0.008
    assertThat(r.dispersionCenter()).isCloseTo(0.018608, within(EPS));
    assertThat(r.dispersionUcl()).isCloseTo(0.039344, within(EPS));
    assertThat(r.dispersionLcl()).isCloseTo(0.0, within(EPS)); // d2 - 3 d3 < 0
    // S chart: c4 σ = 0.94 · 0.008; UCL (c4 + 3 sqrt(1 - c4²)) σ
    ControlLimits s = ControlLimits.fromProcess(ChartType.XBAR_S, 5, 12.0, 0.008);
    assertThat(s.dispersionCenter()).isCloseTo(0.00752, within(EPS));
    assertThat(s.dispersionUcl())
        .isCloseTo((0.94 + 3 * Math.sqrt(1 - 0.94 * 0.94)) * 0.008, within(EPS));
  }

  @Test
  void zScoresUseEachSidesOwnSigma() {
    ControlLimits symmetric = new ControlLimits(ChartType.XBAR_R, 5, 10, 13, 7, 1, 2, 0);
    assertThat(symmetric.zScore(11.5)).isCloseTo(1.5, within(EPS));
    assertThat(symmetric.zScore(7.0)).isCloseTo(-3.0, within(EPS));
    ControlLimits skewed = new ControlLimits(ChartType.XBAR_R, 5, 10, 16, 7, 1, 2, 0);
    assertThat(skewed.zScore(12)).isCloseTo(1.0, within(EPS));
    assertThat(skewed.zScore(9)).isCloseTo(-1.0, within(EPS));
  }

  @Test
  void dispersionOutsideItsLimits() {
    ControlLimits limits = ControlLimits.fromBaseline(ChartType.XBAR_R, BASELINE);
    assertThat(limits.dispersionOutOfLimits(Subgroup.of(10, 16, 12, 12))).isTrue(); // R 6 > 5.48
    assertThat(limits.dispersionOutOfLimits(Subgroup.of(10, 15, 12, 12))).isFalse(); // R 5
  }

  @Test
  void aBaselineWithoutSpreadIsDroppedAndANewOneBegins() {
    SpcParams params =
        SpcParams.builder().subgroupSize(2).baselineSubgroups(2).specLimits(0, 10).build();
    SpcChart chart = new SpcChart(params, SpcState.initial());
    double[] stuck = {5, 5, 5, 5};
    for (int i = 0; i < stuck.length; i++) {
      assertThat(chart.add(i, stuck[i])).isEmpty();
      assertThat(chart.baselineRejected()).isEqualTo(i == 3);
    }
    chart.add(4, 4);
    chart.add(5, 6); // R 2
    chart.add(6, 5);
    List<SpcResult> charted = chart.add(7, 6); // R 1: X̿ 5.25, R̄ 1.5
    assertThat(charted).extracting(SpcResult::index).containsExactly(3L, 4L);
    assertThat(charted.get(0).limits().center()).isCloseTo(5.25, within(EPS));
    assertThat(charted.get(0).limits().ucl()).isCloseTo(5.25 + 1.880 * 1.5, within(EPS));
  }

  @Test
  void refusesLimitsThatCannotBe() {
    assertThatThrownBy(
            () ->
                ControlLimits.fromBaseline(
                    ChartType.XBAR_R, List.of(Subgroup.of(1, 1), Subgroup.of(1, 1))))
        .hasMessage("Invalid control limits 1.0 < 1.0 < 1.0: expected lcl < center < ucl");
    assertThatThrownBy(() -> ControlLimits.fromBaseline(ChartType.XBAR_R, List.of()))
        .hasMessage("Cannot compute control limits: no baseline subgroups");
    assertThatThrownBy(() -> ControlLimits.fromProcess(ChartType.XBAR_R, 5, 12, 0))
        .hasMessage("Invalid process sigma 0.0: expected a positive number");
    assertThatThrownBy(() -> Subgroup.of(1.0))
        .hasMessage("Invalid subgroup of 1 values: expected at least 2");
  }
}
