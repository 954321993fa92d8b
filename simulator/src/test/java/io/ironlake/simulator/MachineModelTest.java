package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.simulator.internal.MachineModel;
import io.ironlake.simulator.internal.MachineSample;
import io.ironlake.simulator.internal.MachineState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MachineModelTest {

  private static final Instant START = Instant.parse("2026-01-05T06:00:00Z");
  private static final String PATH = "plant-sh/assembly/line-1/m01";

  @Test
  void meterIntegratesPowerOverSimulatedTime() {
    List<MachineSample> samples = run(model(42, PATH, 0.3, 0.6, null), 3_600);

    for (int n = 1; n < samples.size(); n++) {
      MachineSample previous = samples.get(n - 1);
      MachineSample current = samples.get(n);
      double expected = current.powerKw() * 1.0 / 3600;
      assertThat(current.trueEnergyKwh() - previous.trueEnergyKwh())
          .as("true energy step at tick %d", n)
          .isCloseTo(expected, within(1e-9));
      if (!current.meterReset()) {
        assertThat(current.energyKwh() - previous.energyKwh())
            .as("meter step at tick %d", n)
            .isCloseTo(expected, within(0.0011));
      }
    }
    MachineSample last = samples.get(samples.size() - 1);
    double integral = samples.stream().skip(1).mapToDouble(s -> s.powerKw() / 3600).sum();
    assertThat(last.trueEnergyKwh()).isCloseTo(integral, within(1e-6));
    assertThat(last.trueEnergyKwh()).isPositive();
  }

  @Test
  void forcedMeterResetHappensAtTheOffsetAndCountsThatTicksEnergy() {
    List<MachineSample> samples = run(model(42, PATH, 0, 0, Duration.ofSeconds(120)), 300);

    List<Long> resetTicks =
        samples.stream().filter(MachineSample::meterReset).map(MachineSample::tick).toList();
    assertThat(resetTicks).containsExactly(120L);
    MachineSample before = samples.get(119);
    MachineSample at = samples.get(120);
    assertThat(before.energyKwh()).isGreaterThan(1_000);
    assertThat(at.energyKwh()).isCloseTo(at.powerKw() / 3600, within(0.0006));
    assertThat(at.tsMicros() - samples.get(0).tsMicros()).isEqualTo(120_000_000L);
    for (int n = 121; n < samples.size(); n++) {
      assertThat(samples.get(n).energyKwh()).isGreaterThanOrEqualTo(samples.get(n - 1).energyKwh());
    }
    // Consumption from meter deltas, treating a drop as a reset to 0, equals the ground truth.
    double fromMeter = 0;
    for (int n = 1; n < samples.size(); n++) {
      double delta = samples.get(n).energyKwh() - samples.get(n - 1).energyKwh();
      fromMeter += delta >= 0 ? delta : samples.get(n).energyKwh();
    }
    double truth = samples.get(samples.size() - 1).trueEnergyKwh();
    assertThat(fromMeter).isCloseTo(truth, within(0.002));
  }

  @Test
  void countersRiseWhileRunningAndNeverFall() {
    List<MachineSample> samples = run(model(7, PATH, 0.3, 0.6, null), 7_200);

    for (int n = 1; n < samples.size(); n++) {
      MachineSample previous = samples.get(n - 1);
      MachineSample current = samples.get(n);
      assertThat(current.totalCount()).isGreaterThanOrEqualTo(previous.totalCount());
      assertThat(current.goodCount()).isGreaterThanOrEqualTo(previous.goodCount());
      assertThat(current.goodCount()).isLessThanOrEqualTo(current.totalCount());
      if (current.state() != MachineState.RUNNING) {
        assertThat(current.totalCount()).isEqualTo(previous.totalCount());
      }
    }
    MachineSample last = samples.get(samples.size() - 1);
    assertThat(last.totalCount()).isGreaterThan(50);
    assertThat(last.goodCount()).isLessThan(last.totalCount());
  }

  @Test
  void visitsEveryStateWithMatchingPower() {
    List<MachineSample> samples = run(model(3, PATH, 0.9, 0.9, null), 4 * 3_600);

    Set<MachineState> seen = EnumSet.noneOf(MachineState.class);
    samples.forEach(s -> seen.add(s.state()));
    assertThat(seen).containsExactlyInAnyOrder(MachineState.values());
    double running = average(samples, MachineState.RUNNING);
    double idle = average(samples, MachineState.IDLE);
    double down = average(samples, MachineState.DOWN);
    assertThat(running).isGreaterThan(idle * 2);
    assertThat(idle).isGreaterThan(down);
    assertThat(down).isLessThan(0.2);
  }

  @Test
  void diameterAndTemperatureArePlausible() {
    List<MachineSample> samples = run(model(11, PATH, 0.3, 0.6, null), 3_600);

    SpecLimits limits = MachineModel.DIAMETER_LIMITS;
    long inSpec = samples.stream().filter(s -> limits.contains(s.diameterMm())).count();
    assertThat(inSpec).isGreaterThan(samples.size() * 9 / 10);
    assertThat(samples).allSatisfy(s -> assertThat(s.diameterMm()).isBetween(11.85, 12.15));
    assertThat(samples).allSatisfy(s -> assertThat(s.temperatureC()).isBetween(15.0, 60.0));
  }

  @Test
  void sameSeedGivesSameValuesAndAnotherSeedOrDeviceDiffers() {
    List<MachineSample> a = run(model(42, PATH, 0.3, 0.6, null), 600);
    List<MachineSample> b = run(model(42, PATH, 0.3, 0.6, null), 600);
    List<MachineSample> otherSeed = run(model(43, PATH, 0.3, 0.6, null), 600);
    List<MachineSample> otherDevice =
        run(model(42, "plant-sh/assembly/line-1/m02", 0.3, 0.6, null), 600);

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(otherSeed);
    assertThat(a).isNotEqualTo(otherDevice);
  }

  @Test
  void aForcedResetChangesNothingButTheMeter() {
    List<MachineSample> plain = run(model(42, PATH, 0.3, 0.6, null), 300);
    List<MachineSample> reset = run(model(42, PATH, 0.3, 0.6, Duration.ofSeconds(100)), 300);

    for (int n = 0; n < plain.size(); n++) {
      MachineSample p = plain.get(n);
      MachineSample r = reset.get(n);
      assertThat(r.powerKw()).isEqualTo(p.powerKw());
      assertThat(r.state()).isEqualTo(p.state());
      assertThat(r.totalCount()).isEqualTo(p.totalCount());
      assertThat(r.trueEnergyKwh()).isEqualTo(p.trueEnergyKwh());
    }
  }

  private static MachineModel model(
      long seed, String path, double faultPerHour, double idlePerHour, Duration forcedReset) {
    return new MachineModel(
        seed, path, START, Duration.ofSeconds(1), faultPerHour, idlePerHour, 0, 0.5, forcedReset);
  }

  private static List<MachineSample> run(MachineModel model, int ticks) {
    List<MachineSample> samples = new ArrayList<>();
    for (int i = 0; i < ticks; i++) {
      samples.add(model.step());
    }
    return samples;
  }

  private static double average(List<MachineSample> samples, MachineState state) {
    return samples.stream()
        .filter(s -> s.state() == state)
        .mapToDouble(MachineSample::powerKw)
        .average()
        .orElseThrow();
  }
}
