package io.ironlake.connectors.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TelemetryPointTest {
  @Test
  void behavesAsAValueOfItsFields() {
    TelemetryPoint a = point("line-1", "m1", "power_kw", 7);
    TelemetryPoint b = point("line-1", "m1", "power_kw", 7);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(a.withSeq(8));
    assertThat(a.withSeq(8).seq()).isEqualTo(8);
    assertThat(a.toString())
        .startsWith("TelemetryPoint[site=plant, area=press, line=line-1, device=m1, tag=power_kw,")
        .endsWith(", collectorId=edge-1, source=opcua, seq=7]");
    assertThat(point("line-1", "m1", "power_kw", 7).unit()).isEqualTo("kW");
    assertThatThrownBy(
            () ->
                new TelemetryPoint(
                    "plant",
                    "press",
                    null,
                    "m1",
                    "t",
                    0,
                    0,
                    PointValue.of(1.0),
                    Quality.GOOD,
                    0,
                    null,
                    "edge-1",
                    "opcua",
                    0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("line");
  }

  @Test
  void knowsItsDevice() {
    TelemetryPoint a = point("line-1", "m1", "power_kw", 1);
    assertThat(a.devicePath()).isEqualTo("plant/press/line-1/m1").isSameAs(a.devicePath());
    assertThat(a.sameDeviceAs(point("line-1", "m1", "state", 2))).isTrue();
    assertThat(a.sameDeviceAs(point("line-2", "m1", "power_kw", 1))).isFalse();
    assertThat(a.sameDeviceAs(point("line-1", "m2", "power_kw", 1))).isFalse();
  }

  private static TelemetryPoint point(String line, String device, String tag, long seq) {
    return new TelemetryPoint(
        "plant",
        "press",
        new String(line), // equal, not the same instance
        device,
        tag,
        1_000_000L,
        1_020_000L,
        PointValue.of(2.5),
        Quality.GOOD,
        0L,
        "kW",
        "edge-1",
        "opcua",
        seq);
  }
}
