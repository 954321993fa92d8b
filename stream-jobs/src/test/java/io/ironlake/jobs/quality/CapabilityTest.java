package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityTest {
  @Test
  void knownProcess() {
    // μ = 12.003, σ = 0.008, spec 11.95 .. 12.05:
    // Cp = 0.1 / 0.048 = 2.083333; Cpk = min(0.047, 0.053) / 0.024 = 1.958333
    Capability c = Capability.of(12.003, 0.008, 11.95, 12.05);
    assertThat(c.cp()).isCloseTo(2.083333, within(1e-6));
    assertThat(c.cpk()).isCloseTo(1.958333, within(1e-6));
  }

  @Test
  void knownSample() {
    // mean 12.02; deviations -0.01, 0, 0.01, 0, 0: s = sqrt(0.0002 / 4) = 0.00707107
    // Cp = 0.1 / (6 s) = 2.357023; Cpk = min(12.05 - 12.02, 12.02 - 11.95) / (3 s) = 0.03 /
    // 0.0212132
    Capability c =
        Capability.ofSample(new double[] {12.01, 12.02, 12.03, 12.02, 12.02}, 11.95, 12.05);
    assertThat(c.mean()).isCloseTo(12.02, within(1e-9));
    assertThat(c.sigma()).isCloseTo(0.00707107, within(1e-8));
    assertThat(c.cp()).isCloseTo(2.357023, within(1e-6));
    assertThat(c.cpk()).isCloseTo(Math.sqrt(2), within(1e-6));
  }

  @Test
  void fromSubgroupsWithTheWithinSigma() {
    List<Subgroup> subgroups =
        List.of(
            Subgroup.of(10, 12, 11, 13),
            Subgroup.of(11, 11, 12, 10),
            Subgroup.of(12, 14, 13, 13),
            Subgroup.of(10, 13, 12, 11),
            Subgroup.of(12, 11, 13, 12));
    // X̿ = 11.8, R̄ = 2.4, σ̂ = R̄/d2 = 2.4 / 2.059 = 1.165614; spec 8 .. 16:
    // Cp = 8 / (6 σ̂) = 1.143889; Cpk = min(4.2, 3.8) / (3 σ̂) = 1.086694
    Capability c = Capability.ofSubgroups(ChartType.XBAR_R, subgroups, 8, 16);
    assertThat(c.sigma()).isCloseTo(1.165614, within(1e-6));
    assertThat(c.cp()).isCloseTo(1.143889, within(1e-6));
    assertThat(c.cpk()).isCloseTo(1.086694, within(1e-6));
  }

  @Test
  void undefinedWithoutSpread() {
    Capability c = Capability.of(12, 0, 11.95, 12.05);
    assertThat(c.cp()).isNaN();
    assertThat(c.cpk()).isNaN();
    assertThatThrownBy(() -> Capability.of(12, 1, 12.05, 11.95))
        .hasMessage("Invalid spec limits 12.05 .. 11.95: expected lsl < usl");
  }
}
