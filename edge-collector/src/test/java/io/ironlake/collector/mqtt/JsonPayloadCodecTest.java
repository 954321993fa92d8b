package io.ironlake.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.collector.mqtt.JsonPayloadCodec.JsonPayload;
import io.ironlake.collector.mqtt.JsonPayloadCodec.TagValue;
import io.ironlake.connectors.record.PointValue;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonPayloadCodecTest {
  private static final int MB = 1024 * 1024;

  private static JsonPayload decode(String json) {
    return JsonPayloadCodec.decode(json.getBytes(StandardCharsets.UTF_8), MB);
  }

  private static void refused(String json, String reason) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage(reason);
  }

  @Test
  void gatewayPayloadBecomesOnePointPerValueWithItsType() {
    JsonPayload p =
        decode(
            """
            {"ts": 1700000000123, "values": {"power_kw": 12.5, "energy_kwh": 1034.25,
             "state": "RUNNING", "good_count": 120, "total_count": 124, "diameter_mm": 12.003,
             "temperature_c": 41.2, "door_open": false, "whole": 12.0}}""");

    assertThat(p.tsMicros()).isEqualTo(1_700_000_000_123_000L);
    assertThat(p.values())
        .containsExactly(
            new TagValue("power_kw", PointValue.of(12.5)),
            new TagValue("energy_kwh", PointValue.of(1034.25)),
            new TagValue("state", PointValue.of("RUNNING")),
            new TagValue("good_count", PointValue.of(120L)),
            new TagValue("total_count", PointValue.of(124L)),
            new TagValue("diameter_mm", PointValue.of(12.003)),
            new TagValue("temperature_c", PointValue.of(41.2)),
            new TagValue("door_open", PointValue.of(false)),
            new TagValue("whole", PointValue.of(12.0)));
  }

  @Test
  void otherTopLevelKeysAreIgnored() {
    JsonPayload p = decode("{\"device\": \"m01\", \"ts\": 5, \"values\": {\"a\": 1}}");

    assertThat(p.values()).containsExactly(new TagValue("a", PointValue.of(1L)));
  }

  @Test
  void truncatedJson() {
    assertThatThrownBy(() -> decode("{\"ts\": 1700000000123, \"values\": {\"power_kw\": 12"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("Invalid JSON at 1:")
        .hasMessageContaining("end-of-input");
  }

  @Test
  void wrongTypes() {
    refused("[1, 2]", "Invalid payload: expected a JSON object with ts and values, got an array");
    refused("{\"values\": {\"a\": 1}}", "Missing ts: expected epoch milliseconds");
    refused(
        "{\"ts\": \"yesterday\", \"values\": {\"a\": 1}}",
        "Invalid ts \"yesterday\": expected epoch milliseconds as an integer");
    refused(
        "{\"ts\": 1.5, \"values\": {\"a\": 1}}",
        "Invalid ts 1.5: expected epoch milliseconds as an integer");
    refused(
        "{\"ts\": -1, \"values\": {\"a\": 1}}",
        "Invalid ts -1: expected epoch milliseconds from 0 to 9223372036854775");
    refused("{\"ts\": 1}", "Missing values: expected an object of tag to value");
    refused(
        "{\"ts\": 1, \"values\": [1]}",
        "Invalid values: expected an object of tag to value, got an array");
    refused("{\"ts\": 1, \"values\": {}}", "Empty values: expected at least one tag");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": 1, \"b\": {\"x\": 1}}}",
        "Invalid value of b: expected a number, boolean or string, got an object");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": [1]}}",
        "Invalid value of a: expected a number, boolean or string, got an array");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": null}}",
        "Invalid value of a: expected a number, boolean or string, got null");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": 99999999999999999999}}",
        "Invalid value 99999999999999999999 of a: integer out of the 64-bit range");
  }

  @Test
  void duplicateTagIsRefused() {
    assertThatThrownBy(() -> decode("{\"ts\": 1, \"values\": {\"a\": 1, \"a\": 2}}"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("Invalid JSON at 1:")
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void trailingGarbageIsRefused() {
    assertThatThrownBy(() -> decode("{\"ts\": 1, \"values\": {\"a\": 1}} xyz"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("Invalid JSON at 1:");
  }

  @Test
  void binaryGarbage() {
    byte[] garbage = new byte[256];
    new Random(42).nextBytes(garbage);
    garbage[0] = (byte) 0xC3; // not a JSON start in any encoding

    assertThatThrownBy(() -> JsonPayloadCodec.decode(garbage, MB))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("Invalid JSON");
    assertThatThrownBy(() -> JsonPayloadCodec.decode(new byte[0], MB))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage("Empty payload: expected a JSON object with ts and values");
  }

  @Test
  void twoMegabytePayloadDecodesUnderALargerLimitAndIsRefusedUnderTheDefault() {
    StringBuilder json = new StringBuilder("{\"ts\": 1700000000000, \"values\": {");
    int n = 0;
    while (json.length() < 2 * MB) {
      if (n > 0) {
        json.append(',');
      }
      json.append("\"tag_").append(n).append("\": ").append(n).append(".5");
      n++;
    }
    json.append("}}");
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);

    JsonPayload p = JsonPayloadCodec.decode(bytes, 4 * MB);
    assertThat(p.values()).hasSize(n);
    assertThat(p.values().get(n - 1))
        .isEqualTo(new TagValue("tag_" + (n - 1), PointValue.of(n - 0.5)));

    assertThatThrownBy(() -> JsonPayloadCodec.decode(bytes, MB))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage("Payload too large: " + bytes.length + " bytes, max-payload-bytes is " + MB);
  }

  @Test
  void streamedDecodingAgreesWithTheTreeOrFallsBackToIt() {
    String[] payloads = {
      "{\"ts\": 1700000000123, \"values\": {\"a\": 1, \"b\": 2.5, \"c\": \"x\", \"d\": true}}",
      "{\"values\": {\"a\": -7, \"b\": 1e3, \"e\": false}, \"ts\": 0, \"other\": [1, {\"x\": 2}]}",
      "{\"ts\": 1700000000123, \"meta\": {\"fw\": \"1.2\"}, \"values\": {\"big\": 9223372036854775807}}",
      "{\"ts\": 1700000000123, \"values\": {\"s\": \"\\u00e9\\n\", \"n\": 0.1}}",
    };
    for (String json : payloads) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(JsonPayloadCodec.decode(bytes, MB))
          .as(json)
          .isEqualTo(JsonPayloadCodec.decodeTree(bytes, JsonPayloadCodec.Options.DEFAULT));
    }
    // What the streamed path does not take is refused by the tree with its own reason.
    assertThatThrownBy(() -> decode("{\"ts\": 1, \"values\": {\"a\": 1, \"a\": 2}}"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("Duplicate field 'a'");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": 99999999999999999999}}",
        "Invalid value 99999999999999999999 of a: integer out of the 64-bit range");
    refused(
        "{\"ts\": 1, \"values\": {\"a\": null}}",
        "Invalid value of a: expected a number, boolean or string, got null");
    refused(
        "{\"ts\": -1, \"values\": {\"a\": 1}}",
        "Invalid ts -1: expected epoch milliseconds from 0 to 9223372036854775");
    assertThatThrownBy(() -> decode("{\"ts\": 1, \"values\": {\"a\": 1}} {}"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("Trailing token");
  }
}
