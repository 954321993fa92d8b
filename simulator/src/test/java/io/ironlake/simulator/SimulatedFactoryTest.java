package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedFactoryTest {

  private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void fallingBehindDelaysTicksButNeverSkipsOne() {
    // 10,000 simulated seconds per real second is faster than this machine can publish.
    SimulatorConfig config =
        SimulatorConfig.builder()
            .speed(10_000)
            .startTime(START)
            .duration(Duration.ofMinutes(10))
            .meterResetAt("line-3/m02", Duration.ofMinutes(5))
            .build();
    try (SimulatedFactory factory = SimulatedFactory.start(config)) {
      assertThat(factory.awaitFinished(Duration.ofSeconds(60))).isTrue();

      assertThat(factory.ticksEmitted()).isEqualTo(600);
      assertThat(factory.plant().machines()).hasSize(15);
      assertThat(factory.emissions().total()).isEqualTo(15 * 7 * 600);
      for (SimMachine machine : factory.plant().machines()) {
        List<MeterReading> readings = factory.emissions().meterReadings(machine.devicePath());
        assertThat(readings).hasSize(600);
        for (int n = 0; n < readings.size(); n++) {
          assertThat(readings.get(n).tsMicros())
              .isEqualTo(START.toEpochMilli() * 1_000 + n * 1_000_000L);
        }
      }
      List<MeterReading> reset = factory.emissions().meterReadings("plant-sh/assembly/line-3/m02");
      assertThat(reset.get(299).meterKwh()).isGreaterThan(1_000);
      assertThat(reset.get(300).meterKwh()).isLessThan(0.1);
    }
  }

  @Test
  void plantModelDescribesEveryMachine() {
    SimulatorConfig config = SimulatorConfig.builder().startTime(START).emitOnStart(false).build();
    try (SimulatedFactory factory = SimulatedFactory.start(config)) {
      PlantModel plant = factory.plant();
      assertThat(plant.machines(Channel.OPCUA)).hasSize(10);
      assertThat(plant.machines(Channel.MQTT)).hasSize(5);
      SimMachine opc = plant.machine("plant-sh/assembly/line-2/m05").orElseThrow();
      assertThat(opc.topic()).isNull();
      assertThat(opc.tags())
          .extracting(SimTag::name)
          .containsExactly(
              "power_kw",
              "energy_kwh",
              "state",
              "good_count",
              "total_count",
              "diameter_mm",
              "temperature_c");
      assertThat(opc.tags())
          .extracting(SimTag::unit)
          .containsExactly("kW", "kWh", "", "", "", "mm", "°C");
      assertThat(opc.tag("energy_kwh").orElseThrow().nodeId())
          .isEqualTo("ns=2;s=plant-sh/assembly/line-2/m05/energy_kwh");
      assertThat(opc.diameterLimits()).isEqualTo(new SpecLimits(11.95, 12.0, 12.05));
      assertThat(opc.idealCycleTime()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(60));
      SimMachine mqtt = plant.machine("plant-sh/assembly/line-3/m01").orElseThrow();
      assertThat(mqtt.topic()).isEqualTo("factory/plant-sh/assembly/line-3/m01/telemetry");
      assertThat(mqtt.tags()).allSatisfy(t -> assertThat(t.nodeId()).isNull());
      assertThat(factory.ticksEmitted()).isZero();
      assertThat(factory.simulatedNow()).isEqualTo(START);
      assertThat(factory.isFinished()).isFalse();
    }
  }
}
