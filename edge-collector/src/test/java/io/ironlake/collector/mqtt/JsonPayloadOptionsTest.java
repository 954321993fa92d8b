package io.ironlake.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.collector.mqtt.JsonPayloadCodec.JsonPayload;
import io.ironlake.collector.mqtt.JsonPayloadCodec.Options;
import io.ironlake.collector.mqtt.JsonPayloadCodec.TagValue;
import io.ironlake.connectors.record.PointValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON codec's layouts and timestamp formats ({@code json-layout}, {@code ts-*}). */
class JsonPayloadOptionsTest {
  private static JsonPayload decode(String json, Options o) {
    return JsonPayloadCodec.decode(json.getBytes(StandardCharsets.UTF_8), 1 << 20, o);
  }

  @Test
  void flatFieldsWithATimestampInEpochSeconds() {
    JsonPayload p =
        decode(
            "{\"time\": 1700000000.25, \"power_kw\": 1.5, \"ok\": true}",
            new Options(true, "time", "epoch-s"));
    assertThat(p.tsMicros()).isEqualTo(1_700_000_000_250_000L);
    assertThat(p.values())
        .containsExactly(
            new TagValue("power_kw", PointValue.of(1.5)), new TagValue("ok", PointValue.of(true)));
  }

  @Test
  void timestampsInMicrosecondsAndIso8601() {
    assertThat(
            decode(
                    "{\"ts\": 1700000000123456, \"values\": {\"a\": 1}}",
                    new Options(false, "ts", "epoch-us"))
                .tsMicros())
        .isEqualTo(1_700_000_000_123_456L);
    assertThat(
            decode(
                    "{\"at\": \"2026-11-27T05:00:00.123+01:00\", \"a\": 1}",
                    new Options(true, "at", "iso-8601"))
                .tsMicros())
        .isEqualTo(java.time.Instant.parse("2026-11-27T04:00:00.123Z").toEpochMilli() * 1000);
  }

  @Test
  void wrongTimestampsAndEmptyFlatPayloadsAreRefusedWithTheReason() {
    Options iso = new Options(true, "at", "iso-8601");
    assertThatThrownBy(() -> decode("{\"at\": \"yesterday\", \"a\": 1}", iso))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage(
            "Invalid at \"yesterday\": expected ISO-8601 text with an offset, e.g."
                + " 2026-11-27T05:00:00.123Z");
    assertThatThrownBy(() -> decode("{\"at\": 5, \"a\": 1}", iso))
        .hasMessage("Invalid at 5: expected ISO-8601 text with an offset");
    assertThatThrownBy(() -> decode("{\"a\": 1}", new Options(true, "time", "epoch-s")))
        .hasMessage("Missing time: expected epoch seconds");
    assertThatThrownBy(() -> decode("{\"time\": 1}", new Options(true, "time", "epoch-s")))
        .hasMessage("Empty payload: expected at least one tag besides time");
    assertThatThrownBy(
            () -> decode("{\"time\": 1, \"a\": {\"b\": 2}}", new Options(true, "time", "epoch-s")))
        .hasMessage("Invalid value of a: expected a number, boolean or string, got an object");
  }
}
