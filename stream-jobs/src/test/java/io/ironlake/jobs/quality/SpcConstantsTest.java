package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Checks every tabulated constant against its definition: c4 from the gamma function, d2 and d3 by
 * numerical integration over the normal distribution, the chart factors from those. A typo in the
 * table fails here.
 */
class SpcConstantsTest {
  private static final double STEP = 0.02;
  private static final double FROM = -8;
  private static final int POINTS = (int) Math.round(-2 * FROM / STEP) + 1;
  private static final double[] PHI = normalCdfGrid();

  @Test
  void factorsFollowFromD2D3AndC4() {
    for (int n = SpcConstants.MIN_N; n <= SpcConstants.MAX_N; n++) {
      SpcConstants k = SpcConstants.forSize(n);
      double sqrtN = Math.sqrt(n);
      double sSpread = 3 * Math.sqrt(1 - k.c4() * k.c4()) / k.c4();
      assertThat(k.n()).isEqualTo(n);
      assertThat(k.a2()).as("A2 n=%d", n).isCloseTo(3 / (k.d2() * sqrtN), within(0.002));
      assertThat(k.d4()).as("D4 n=%d", n).isCloseTo(1 + 3 * k.d3() / k.d2(), within(0.003));
      assertThat(k.d3Factor())
          .as("D3 n=%d", n)
          .isCloseTo(Math.max(0, 1 - 3 * k.d3() / k.d2()), within(0.003));
      assertThat(k.a3()).as("A3 n=%d", n).isCloseTo(3 / (k.c4() * sqrtN), within(0.002));
      assertThat(k.b4()).as("B4 n=%d", n).isCloseTo(1 + sSpread, within(0.002));
      assertThat(k.b3()).as("B3 n=%d", n).isCloseTo(Math.max(0, 1 - sSpread), within(0.002));
    }
  }

  @Test
  void c4MatchesTheGammaFunction() {
    // c4(n) = sqrt(2/(n-1)) * G(n/2)/G((n-1)/2); with r(n) = G(n/2)/G((n-1)/2):
    // r(2) = 1/sqrt(pi) and r(n+1) = (n-1)/(2 r(n)).
    double r = 1 / Math.sqrt(Math.PI);
    for (int n = 2; n <= SpcConstants.MAX_N; n++) {
      double c4 = Math.sqrt(2.0 / (n - 1)) * r;
      assertThat(SpcConstants.forSize(n).c4()).as("c4 n=%d", n).isCloseTo(c4, within(0.00006));
      r = (n - 1) / (2 * r);
    }
  }

  @Test
  void d2AndD3MatchTheDistributionOfTheRange() {
    for (int n = SpcConstants.MIN_N; n <= SpcConstants.MAX_N; n++) {
      // E[R] = ∫ 1 - F(x)^n - (1 - F(x))^n dx
      double d2 = 0;
      for (int i = 0; i < POINTS; i++) {
        d2 += weight(i) * (1 - Math.pow(PHI[i], n) - Math.pow(1 - PHI[i], n));
      }
      d2 *= STEP;
      // E[R^2] = 2 ∫∫_{x<y} 1 - F(y)^n - (1 - F(x))^n + (F(y) - F(x))^n dx dy
      double second = 0;
      for (int j = 0; j < POINTS; j++) {
        double fy = Math.pow(PHI[j], n);
        double inner = 0;
        for (int i = 0; i <= j; i++) {
          double w = i == j ? 0.5 : weight(i);
          inner += w * (1 - fy - Math.pow(1 - PHI[i], n) + Math.pow(PHI[j] - PHI[i], n));
        }
        second += weight(j) * inner;
      }
      second *= 2 * STEP * STEP;
      double d3 = Math.sqrt(second - d2 * d2);
      SpcConstants k = SpcConstants.forSize(n);
      assertThat(k.d2()).as("d2 n=%d", n).isCloseTo(d2, within(0.001));
      assertThat(k.d3()).as("d3 n=%d", n).isCloseTo(d3, within(0.001));
    }
  }

  @Test
  void refusesSizesWithoutConstants() {
    assertThatThrownBy(() -> SpcConstants.forSize(1))
        .hasMessage("Invalid subgroup size 1: expected 2 to 25");
    assertThatThrownBy(() -> SpcConstants.forSize(26))
        .hasMessage("Invalid subgroup size 26: expected 2 to 25");
  }

  private static double weight(int i) {
    return i == 0 || i == POINTS - 1 ? 0.5 : 1.0;
  }

  /** The standard normal CDF on the grid, by Simpson integration of the density on a finer one. */
  private static double[] normalCdfGrid() {
    int sub = 20;
    double h = STEP / sub;
    double[] phi = new double[POINTS];
    double cumulative = 0;
    phi[0] = 0; // Φ(-8) < 1e-15
    for (int i = 1; i < POINTS; i++) {
      double a = FROM + (i - 1) * STEP;
      double simpson = density(a) + density(a + STEP);
      for (int s = 1; s < sub; s++) {
        simpson += (s % 2 == 1 ? 4 : 2) * density(a + s * h);
      }
      cumulative += simpson * h / 3;
      phi[i] = cumulative;
    }
    return phi;
  }

  private static double density(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }
}
