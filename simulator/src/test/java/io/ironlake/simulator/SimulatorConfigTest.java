package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  @Test
  void defaultsDescribeTheQuickstartPlant() {
    Clock clock = Clock.fixed(Instant.parse("2026-05-04T10:17:42.5Z"), ZoneOffset.UTC);
    SimulatorConfig config = SimulatorConfig.builder().clock(clock).build();

    assertThat(config.site()).isEqualTo("plant-sh");
    assertThat(config.area()).isEqualTo("assembly");
    assertThat(config.lines()).containsExactly("line-1", "line-2", "line-3");
    assertThat(config.devices()).containsExactly("m01", "m02", "m03", "m04", "m05");
    assertThat(config.channelOf("line-2")).isEqualTo(Channel.OPCUA);
    assertThat(config.channelOf("line-3")).isEqualTo(Channel.MQTT);
    assertThat(config.tick()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.speed()).isEqualTo(1.0);
    assertThat(config.startTime()).isEqualTo(Instant.parse("2026-05-04T10:17:00Z"));
    assertThat(config.duration()).isNull();
    assertThat(config.tickLimit()).isEqualTo(-1);
    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.emitOnStart()).isTrue();
  }

  @Test
  void durationCoversTicksBeforeItsEnd() {
    SimulatorConfig config =
        SimulatorConfig.builder()
            .tick(Duration.ofSeconds(2))
            .duration(Duration.ofSeconds(5))
            .build();
    assertThat(config.tickLimit()).isEqualTo(3);
  }

  @Test
  void resolvesForcedMeterResetsToDevicePaths() {
    SimulatorConfig config =
        SimulatorConfig.builder()
            .meterResetAt("line-2/m03", Duration.ofMinutes(2))
            .meterResetAt("plant-sh/assembly/line-3/m05", Duration.ofMinutes(1))
            .build();
    assertThat(config.meterResets())
        .containsEntry("plant-sh/assembly/line-2/m03", Duration.ofMinutes(2))
        .containsEntry("plant-sh/assembly/line-3/m05", Duration.ofMinutes(1));
  }

  @Test
  void rejectsUnknownDeviceForMeterReset() {
    assertThatThrownBy(
            () -> SimulatorConfig.builder().meterResetAt("line-9/m01", Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value line-9/m01 for meterResetAt");
    assertThatThrownBy(() -> SimulatorConfig.builder().meterResetAt("m01", Duration.ZERO).build())
        .hasMessageContaining("expected line/device or site/area/line/device");
  }

  @Test
  void rejectsInvalidValuesNamingTheKey() {
    assertThatThrownBy(() -> SimulatorConfig.builder().site("a/b").build())
        .hasMessageStartingWith("Invalid value a/b for site");
    assertThatThrownBy(() -> SimulatorConfig.builder().opcUaLines(0).mqttLines(0).build())
        .hasMessageContaining("expected at least one line");
    assertThatThrownBy(() -> SimulatorConfig.builder().machinesPerLine(100).build())
        .hasMessage("Invalid value 100 for machinesPerLine: expected 1 to 99");
    assertThatThrownBy(() -> SimulatorConfig.builder().tick(Duration.ofMillis(5)).build())
        .hasMessageStartingWith("Invalid value PT0.005S for tick");
    assertThatThrownBy(() -> SimulatorConfig.builder().speed(0).build())
        .hasMessageStartingWith("Invalid value 0.0 for speed");
    assertThatThrownBy(() -> SimulatorConfig.builder().duration(Duration.ofMillis(500)).build())
        .hasMessageStartingWith("Invalid value PT0.5S for duration");
    assertThatThrownBy(() -> SimulatorConfig.builder().faultProbability(1.5).build())
        .hasMessage("Invalid value 1.5 for faultProbability: expected a probability from 0 to 1");
    assertThatThrownBy(() -> SimulatorConfig.builder().mqttBrokerUrl("localhost:1883").build())
        .hasMessageStartingWith("Invalid value localhost:1883 for mqttBrokerUrl");
    assertThatThrownBy(() -> SimulatorConfig.builder().opcUaPort(70_000).build())
        .hasMessageStartingWith("Invalid value 70000 for opcUaPort");
  }
}
