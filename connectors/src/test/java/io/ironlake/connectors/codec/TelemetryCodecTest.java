package io.ironlake.connectors.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelemetryCodecTest {

  static Stream<Arguments> valuesAndQualities() {
    PointValue[] values = {
      PointValue.of(42.125),
      PointValue.of(-0.0),
      PointValue.of(Double.NaN),
      PointValue.of(Double.MAX_VALUE),
      PointValue.of(123456789012345L),
      PointValue.of(Long.MIN_VALUE),
      PointValue.of(true),
      PointValue.of(false),
      PointValue.of("RUNNING"),
      PointValue.of(""),
      PointValue.of("Störung: Ölstand 🛢")
    };
    return Stream.of(values).flatMap(v -> Stream.of(Quality.values()).map(q -> Arguments.of(v, q)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("valuesAndQualities")
  void roundTripsEveryValueTypeAndQuality(PointValue value, Quality quality) {
    TelemetryPoint point = point(value, quality);

    byte[] bytes = TelemetryCodec.encode(point);
    TelemetryPoint back = TelemetryCodec.decode(bytes);
    assertThat(bytes).isEqualTo(TelemetryCodec.encodeWithProtobuf(point));

    assertThat(back).isEqualTo(point);
    assertThat(bytes[0]).isEqualTo(TelemetryCodec.SCHEMA_VERSION);
  }

  @Test
  void keepsTheFullUnsignedStatusCodeAndLargeSeq() {
    TelemetryPoint point =
        new TelemetryPoint(
            "plant-sh",
            "assembly",
            "line-1",
            "press-01",
            "temperature_c",
            1_700_000_000_123_456L,
            1_700_000_000_223_456L,
            PointValue.of(21.5),
            Quality.BAD,
            0x80AB0000L,
            "°C",
            "edge-1",
            "opcua-plc",
            Long.MAX_VALUE);

    assertThat(TelemetryCodec.decode(TelemetryCodec.encode(point))).isEqualTo(point);
    assertThat(TelemetryCodec.encode(point)).isEqualTo(TelemetryCodec.encodeWithProtobuf(point));
  }

  @Test
  void aSeqGivenApartFromThePointIsWrittenAsTheNumberedPointWouldBe() {
    TelemetryPoint point = point(PointValue.of(3.25), Quality.GOOD).withSeq(7);
    for (long seq : new long[] {0L, 1L, 127L, 128L, 1L << 40, Long.MAX_VALUE}) {
      assertThat(TelemetryCodec.encode(point, seq))
          .as("seq %d", seq)
          .isEqualTo(TelemetryCodec.encodeWithProtobuf(point.withSeq(seq)));
      assertThat(TelemetryCodec.decode(TelemetryCodec.encode(point, seq)).seq()).isEqualTo(seq);
    }
  }

  @Test
  void writesWhatProtobufWritesForDefaultsNegativesAndLongStrings() {
    String longText = "x".repeat(300) + "é";
    TelemetryPoint zeros =
        new TelemetryPoint(
            "", "a", "l", "d", "t", 0L, -1L, PointValue.of(0L), Quality.GOOD, 0L, "", "c", "s", 0L);
    TelemetryPoint negatives =
        new TelemetryPoint(
            "s",
            "a",
            "l",
            "d",
            longText,
            -1_700_000_000_000_000L,
            Long.MIN_VALUE,
            PointValue.of(-5L),
            Quality.UNCERTAIN,
            0xFFFFFFFFL,
            "unit",
            "c",
            "s",
            1L << 63);
    for (TelemetryPoint p : new TelemetryPoint[] {zeros, negatives}) {
      assertThat(TelemetryCodec.encode(p)).isEqualTo(TelemetryCodec.encodeWithProtobuf(p));
      assertThat(TelemetryCodec.decode(TelemetryCodec.encode(p))).isEqualTo(p);
    }
  }

  @Test
  void repeatedAndCollidingStringsAreWrittenAsProtobufWritesThem() {
    // More distinct strings than the writer keeps, each written again later, some as equal copies
    // (new String), some non-ASCII, some at and past the longest string it keeps.
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      tags.add(i % 7 == 0 ? "température-" + i : "tag-" + i);
    }
    tags.add("y".repeat(64));
    tags.add("y".repeat(65));
    for (int round = 0; round < 3; round++) {
      for (String tag : tags) {
        String t = round == 1 ? new String(tag.toCharArray()) : tag;
        TelemetryPoint p =
            new TelemetryPoint(
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                t,
                1_700_000_000_000_000L,
                1_700_000_000_000_100L,
                PointValue.of(t),
                Quality.GOOD,
                0L,
                "°C",
                "edge-1",
                "opcua-plc",
                round + 1L);
        assertThat(TelemetryCodec.encode(p)).isEqualTo(TelemetryCodec.encodeWithProtobuf(p));
      }
    }
  }

  @Test
  void readsTheIngestTimestampAloneAsDecodeDoes() {
    TelemetryPoint zero =
        new TelemetryPoint(
            "", "a", "l", "d", "t", 0L, 0L, PointValue.of(0L), Quality.GOOD, 0L, "", "c", "s", 0L);
    TelemetryPoint text =
        new TelemetryPoint(
            "s",
            "a",
            "l",
            "d",
            "x".repeat(300) + "é",
            -5L,
            Long.MIN_VALUE,
            PointValue.of("Störung"),
            Quality.BAD,
            0xFFFFFFFFL,
            "u",
            "c",
            "s",
            1L << 63);
    for (TelemetryPoint p :
        new TelemetryPoint[] {
          zero,
          text,
          point(PointValue.of(12.5), Quality.GOOD),
          point(PointValue.of(true), Quality.UNCERTAIN)
        }) {
      byte[] bytes = TelemetryCodec.encode(p);
      assertThat(TelemetryCodec.ingestTsMicros(bytes))
          .isEqualTo(TelemetryCodec.decode(bytes).ingestTsMicros())
          .isEqualTo(p.ingestTsMicros());
    }
    byte[] cut = TelemetryCodec.encode(point(PointValue.of(1.0), Quality.GOOD));
    byte[] shorter = java.util.Arrays.copyOf(cut, 6); // inside the site string
    assertThatThrownBy(() -> TelemetryCodec.ingestTsMicros(shorter))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageContaining("Cannot decode telemetry point");
    cut[0] = 7;
    assertThatThrownBy(() -> TelemetryCodec.ingestTsMicros(cut))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageContaining("unknown schema version 7");
  }

  @Test
  void encodingIsCompact() {
    byte[] bytes = TelemetryCodec.encode(point(PointValue.of(12.5), Quality.GOOD));
    assertThat(bytes.length).isLessThan(110);
  }

  @Test
  void refusesUnknownSchemaVersion() {
    byte[] bytes = TelemetryCodec.encode(point(PointValue.of(1.0), Quality.GOOD));
    bytes[0] = 7;
    assertThatThrownBy(() -> TelemetryCodec.decode(bytes))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageContaining("unknown schema version 7, expected 1");
  }

  @Test
  void refusesEmptyAndGarbagePayloads() {
    assertThatThrownBy(() -> TelemetryCodec.decode(new byte[0]))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageContaining("empty payload");
    byte[] garbage = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x12};
    assertThatThrownBy(() -> TelemetryCodec.decode(garbage))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageStartingWith("Cannot decode telemetry point");
  }

  @Test
  void refusesAPointWithoutValue() {
    byte[] onlyVersion = {TelemetryCodec.SCHEMA_VERSION};
    assertThatThrownBy(() -> TelemetryCodec.decode(onlyVersion))
        .isInstanceOf(TelemetryCodecException.class)
        .hasMessageContaining("no value");
  }

  @Test
  void qualityFollowsOpcUaSeverityBits() {
    assertThat(Quality.fromStatusCode(0L)).isEqualTo(Quality.GOOD);
    assertThat(Quality.fromStatusCode(0x40000000L)).isEqualTo(Quality.UNCERTAIN);
    assertThat(Quality.fromStatusCode(0x80000000L)).isEqualTo(Quality.BAD);
    assertThat(Quality.fromStatusCode(0x808A0000L)).isEqualTo(Quality.BAD);
  }

  static TelemetryPoint point(PointValue value, Quality quality) {
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        "line-1",
        "press-01",
        "power_kw",
        1_700_000_000_000_000L,
        1_700_000_000_050_000L,
        value,
        quality,
        0L,
        "kW",
        "edge-1",
        "opcua-plc",
        17L);
  }
}
