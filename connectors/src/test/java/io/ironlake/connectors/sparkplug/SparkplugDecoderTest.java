package io.ironlake.connectors.sparkplug;

import static io.ironlake.connectors.sparkplug.SparkplugMessages.aliasMetric;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.bdSeq;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.birthMetric;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.payload;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.quality;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.rebirthControl;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPayload;
import io.ironlake.connectors.sparkplug.internal.proto.SpbTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host side of a Sparkplug session: births, data, deaths, rebirths, sequence numbers. */
class SparkplugDecoderTest {

  private static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final String NBIRTH = "spBv1.0/plant-sh/NBIRTH/line-3";
  private static final String NDATA = "spBv1.0/plant-sh/NDATA/line-3";
  private static final String NDEATH = "spBv1.0/plant-sh/NDEATH/line-3";
  private static final String DBIRTH = "spBv1.0/plant-sh/DBIRTH/line-3/m01";
  private static final String DDATA = "spBv1.0/plant-sh/DDATA/line-3/m01";
  private static final String DDEATH = "spBv1.0/plant-sh/DDEATH/line-3/m01";
  private static final DevicePath M01 = new DevicePath("plant-sh", "assembly", "line-3", "m01");
  private static final DevicePath NODE = new DevicePath("plant-sh", "assembly", "line-3", "line-3");

  private MutableClock clock;
  private SparkplugDecoder decoder;

  @BeforeEach
  void newDecoder() {
    clock = new MutableClock(Instant.ofEpochMilli(T0 + 60_000));
    decoder =
        SparkplugDecoder.builder()
            .mapping(SparkplugPathMapping.groupAsSite("assembly"))
            .clock(clock)
            .sourceName("test")
            .build();
  }

  private byte[] nodeBirth(long bdSeq) {
    return payload(
        T0,
        0L,
        bdSeq(bdSeq),
        rebirthControl(1),
        birthMetric("Node Control/Scan Rate", 2, SparkplugDataType.INT64).setLongValue(1000),
        birthMetric("Properties/OS", 3, SparkplugDataType.STRING)
            .setTimestamp(T0)
            .setStringValue("Linux"),
        // Template definitions describe types, not values.
        birthMetric("_types_/Motor", 4, SparkplugDataType.TEMPLATE)
            .setTemplateValue(SpbTemplate.newBuilder().setIsDefinition(true)));
  }

  private byte[] deviceBirth(long seq, double power, long count) {
    return payload(
        T0,
        seq,
        birthMetric("power_kw", 101, SparkplugDataType.DOUBLE)
            .setTimestamp(T0)
            .setProperties(unit("kW"))
            .setDoubleValue(power),
        birthMetric("good_count", 102, SparkplugDataType.INT64)
            .setTimestamp(T0)
            .setLongValue(count),
        birthMetric("state", 103, SparkplugDataType.STRING).setTimestamp(T0).setIsNull(true));
  }

  private byte[] deviceData(long seq, long tsMillis, double power, String state) {
    return payload(
        tsMillis,
        seq,
        aliasMetric(101, tsMillis).setDoubleValue(power),
        aliasMetric(103, tsMillis).setStringValue(state));
  }

  private static List<DecodedPoint> points(SparkplugResult result) {
    assertThat(result).isInstanceOf(SparkplugResult.Points.class);
    return ((SparkplugResult.Points) result).points();
  }

  @Test
  void birthValuesBecomePointsButControlMetricsDoNot() {
    List<DecodedPoint> node = points(decoder.decode(NBIRTH, nodeBirth(7)));
    assertThat(node)
        .extracting(
            DecodedPoint::path, DecodedPoint::tag, DecodedPoint::value, DecodedPoint::tsMicros)
        .containsExactly(tuple(NODE, "Properties/OS", PointValue.of("Linux"), T0 * 1000));

    List<DecodedPoint> device = points(decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40)));
    assertThat(device)
        .extracting(DecodedPoint::path, DecodedPoint::tag, DecodedPoint::value, DecodedPoint::unit)
        .containsExactly(
            tuple(M01, "power_kw", PointValue.of(12.5), "kW"),
            tuple(M01, "good_count", PointValue.of(40L), ""));

    EdgeNodeStatus status = decoder.status("plant-sh", "line-3").orElseThrow();
    assertThat(status.online()).isTrue();
    assertThat(status.bdSeq()).isEqualTo(7);
    assertThat(status.lastSeq()).isEqualTo(1);
    assertThat(status.births()).isEqualTo(1);
    assertThat(status.onlineDevices()).containsExactly("m01");
  }

  @Test
  void dataByAliasBecomesTelemetryPointsWithTheBirthsUnitsAndTimestamps() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));

    SparkplugResult result = decoder.decode(DDATA, deviceData(2, T0 + 1000, 13.25, "RUNNING"));

    List<DecodedPoint> points = points(result);
    assertThat(points)
        .extracting(
            DecodedPoint::tag,
            DecodedPoint::value,
            DecodedPoint::tsMicros,
            DecodedPoint::quality,
            DecodedPoint::unit)
        .containsExactly(
            tuple("power_kw", PointValue.of(13.25), (T0 + 1000) * 1000, Quality.GOOD, "kW"),
            tuple("state", PointValue.of("RUNNING"), (T0 + 1000) * 1000, Quality.GOOD, ""));
    TelemetryPoint telemetry = points.get(0).toTelemetryPoint(5L, "collector-1", "mqtt-a", 17);
    assertThat(telemetry.devicePath()).isEqualTo("plant-sh/assembly/line-3/m01");
    assertThat(telemetry.tag()).isEqualTo("power_kw");
    assertThat(telemetry.unit()).isEqualTo("kW");
    assertThat(telemetry.ingestTsMicros()).isEqualTo(5L);
    assertThat(telemetry.seq()).isEqualTo(17);
    assertThat(result.deadLetterReason()).isEmpty();
    assertThat(result.rebirth()).isEmpty();
  }

  @Test
  void dataByNameWorksForEdgeNodesWithoutAliases() {
    decoder.decode(
        NBIRTH,
        payload(
            T0,
            0L,
            bdSeq(0),
            SpbMetric.newBuilder()
                .setName("Supply Voltage")
                .setDatatype(SparkplugDataType.FLOAT.code())
                .setTimestamp(T0)
                .setFloatValue(12.1f)));
    List<DecodedPoint> points =
        points(
            decoder.decode(
                NDATA,
                payload(
                    T0 + 5,
                    1L,
                    SpbMetric.newBuilder().setName("Supply Voltage").setFloatValue(12.3f))));
    assertThat(points)
        .extracting(DecodedPoint::tag, DecodedPoint::value, DecodedPoint::tsMicros)
        .containsExactly(tuple("Supply Voltage", PointValue.of(12.3), (T0 + 5) * 1000));
  }

  @Test
  void aRebirthThatRepeatsKnownValuesMakesNoNewPoints() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    decoder.decode(DDATA, deviceData(2, T0 + 1000, 13.25, "RUNNING"));

    // The rebirth repeats the last values with their timestamps, and one changed value.
    assertThat(points(decoder.decode(NBIRTH, nodeBirth(0)))).isEmpty();
    byte[] rebirth =
        payload(
            T0 + 2000,
            1L,
            birthMetric("power_kw", 101, SparkplugDataType.DOUBLE)
                .setTimestamp(T0 + 1000)
                .setDoubleValue(13.25),
            birthMetric("good_count", 102, SparkplugDataType.INT64)
                .setTimestamp(T0 + 2000)
                .setLongValue(41),
            birthMetric("state", 103, SparkplugDataType.STRING)
                .setTimestamp(T0 + 1000)
                .setStringValue("RUNNING"));
    assertThat(points(decoder.decode(DBIRTH, rebirth)))
        .extracting(DecodedPoint::tag, DecodedPoint::value)
        .containsExactly(tuple("good_count", PointValue.of(41L)));
    assertThat(decoder.status("plant-sh", "line-3").orElseThrow().births()).isEqualTo(2);
  }

  @Test
  void nodeDeathMarksEveryMetricOfTheNodeAndItsDevicesBad() {
    decoder.decode(NBIRTH, nodeBirth(3));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    decoder.decode(DDATA, deviceData(2, T0 + 1000, 13.25, "RUNNING"));

    SparkplugResult death = decoder.decode(NDEATH, payload(T0 + 9000, null, bdSeq(3)));

    assertThat(points(death))
        .extracting(
            DecodedPoint::path,
            DecodedPoint::tag,
            DecodedPoint::value,
            DecodedPoint::quality,
            DecodedPoint::statusCode,
            DecodedPoint::tsMicros)
        .containsExactly(
            tuple(
                NODE,
                "Properties/OS",
                PointValue.of("Linux"),
                Quality.BAD,
                0x80310000L,
                (T0 + 9000) * 1000),
            tuple(
                M01,
                "power_kw",
                PointValue.of(13.25),
                Quality.BAD,
                0x80310000L,
                (T0 + 9000) * 1000),
            tuple(
                M01,
                "good_count",
                PointValue.of(40L),
                Quality.BAD,
                0x80310000L,
                (T0 + 9000) * 1000),
            tuple(
                M01,
                "state",
                PointValue.of("RUNNING"),
                Quality.BAD,
                0x80310000L,
                (T0 + 9000) * 1000));
    assertThat(Quality.fromStatusCode(SparkplugDecoder.STATUS_NO_COMMUNICATION))
        .isEqualTo(Quality.BAD);
    EdgeNodeStatus status = decoder.status("plant-sh", "line-3").orElseThrow();
    assertThat(status.online()).isFalse();
    assertThat(status.onlineDevices()).isEmpty();

    // Data after the death cannot be trusted: the node must be born again.
    SparkplugResult late = decoder.decode(DDATA, deviceData(3, T0 + 9500, 1.0, "IDLE"));
    assertThat(late).isInstanceOf(SparkplugResult.RebirthNeeded.class);
    assertThat(late.deadLetterReason()).contains("DDATA from plant-sh/line-3/m01 after its NDEATH");
    // A second death certificate (say the will after an explicit one) changes nothing.
    assertThat(decoder.decode(NDEATH, payload(T0 + 9600, null, bdSeq(3))))
        .isInstanceOf(SparkplugResult.Ignored.class);
  }

  @Test
  void aLostConnectionMakesTheLastValuesOfOnlineNodesStaleAndKeepsTheirSessions() {
    decoder.decode(NBIRTH, nodeBirth(3));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    decoder.decode(DDATA, deviceData(2, T0 + 1000, 13.25, "RUNNING"));

    List<DecodedPoint> stale = decoder.connectionLost();

    long now = (T0 + 60_000) * 1000;
    assertThat(stale)
        .extracting(
            DecodedPoint::path,
            DecodedPoint::tag,
            DecodedPoint::value,
            DecodedPoint::quality,
            DecodedPoint::statusCode,
            DecodedPoint::tsMicros)
        .containsExactly(
            tuple(
                NODE, "Properties/OS", PointValue.of("Linux"), Quality.UNCERTAIN, 0x40900000L, now),
            tuple(M01, "power_kw", PointValue.of(13.25), Quality.UNCERTAIN, 0x40900000L, now),
            tuple(M01, "good_count", PointValue.of(40L), Quality.UNCERTAIN, 0x40900000L, now),
            tuple(M01, "state", PointValue.of("RUNNING"), Quality.UNCERTAIN, 0x40900000L, now));
    assertThat(Quality.fromStatusCode(SparkplugDecoder.STATUS_STALE)).isEqualTo(Quality.UNCERTAIN);

    // The session goes on: the next data decodes without a rebirth.
    SparkplugResult next = decoder.decode(DDATA, deviceData(3, T0 + 61_000, 14.0, "RUNNING"));
    assertThat(points(next)).extracting(DecodedPoint::quality).containsOnly(Quality.GOOD);
    assertThat(next.rebirth()).isEmpty();

    // A dead node has nothing left to go stale.
    decoder.decode(NDEATH, payload(T0 + 62_000, null, bdSeq(3)));
    assertThat(decoder.connectionLost()).isEmpty();
  }

  @Test
  void aStaleNodeDeathOfAnEarlierSessionIsIgnored() {
    decoder.decode(NBIRTH, nodeBirth(4));
    SparkplugResult stale = decoder.decode(NDEATH, payload(T0, null, bdSeq(3)));
    assertThat(stale).isInstanceOf(SparkplugResult.Ignored.class);
    assertThat(((SparkplugResult.Ignored) stale).reason())
        .isEqualTo(
            "Stale NDEATH from plant-sh/line-3: bdSeq 3, but the current session's NBIRTH had"
                + " bdSeq 4");
    assertThat(decoder.status("plant-sh", "line-3").orElseThrow().online()).isTrue();
  }

  @Test
  void deviceDeathMarksOnlyThatDevicesMetricsBad() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    decoder.decode("spBv1.0/plant-sh/DBIRTH/line-3/m02", deviceBirth(2, 20.0, 1));

    List<DecodedPoint> bad = points(decoder.decode(DDEATH, payload(T0 + 3000, 3L)));

    assertThat(bad)
        .extracting(DecodedPoint::tag, DecodedPoint::value, DecodedPoint::quality)
        .containsExactly(
            tuple("power_kw", PointValue.of(12.5), Quality.BAD),
            tuple("good_count", PointValue.of(40L), Quality.BAD),
            // never had a value: empty text, as the OPC UA source does for Bad values
            tuple("state", PointValue.of(""), Quality.BAD));
    assertThat(bad).allSatisfy(p -> assertThat(p.path()).isEqualTo(M01));
    assertThat(decoder.status("plant-sh", "line-3").orElseThrow().onlineDevices())
        .containsExactly("m02");
    assertThat(decoder.decode(DDATA, deviceData(4, T0 + 4000, 1.0, "IDLE")).deadLetterReason())
        .contains("DDATA from plant-sh/line-3/m01 after its DDEATH");
  }

  @Test
  void anUnknownAliasAsksForARebirthAndNamesTheAlias() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));

    SparkplugResult result =
        decoder.decode(
            DDATA, payload(T0 + 1000, 2L, aliasMetric(107, T0 + 1000).setDoubleValue(1)));

    assertThat(result).isInstanceOf(SparkplugResult.RebirthNeeded.class);
    assertThat(result.deadLetterReason())
        .contains(
            "Unknown Sparkplug metric alias 107 in DDATA from plant-sh/line-3/m01: not in its"
                + " DBIRTH");
    RebirthRequest request = result.rebirth().orElseThrow();
    assertThat(request.topic()).isEqualTo("spBv1.0/plant-sh/NCMD/line-3");
    SpbPayload command = parse(request.payload());
    assertThat(command.hasSeq()).as("commands carry no seq").isFalse();
    assertThat(command.getTimestamp()).isEqualTo(clock.millis());
    assertThat(command.getMetricsList())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
              assertThat(m.getAlias()).as("alias from the NBIRTH").isEqualTo(1);
              assertThat(m.getDatatype()).isEqualTo(SparkplugDataType.BOOLEAN.code());
              assertThat(m.getBooleanValue()).isTrue();
            });

    // More unknown data before the births arrive is dead-lettered without flooding the node.
    SparkplugResult again =
        decoder.decode(
            DDATA, payload(T0 + 2000, 3L, aliasMetric(108, T0 + 2000).setDoubleValue(1)));
    assertThat(again.deadLetterReason())
        .contains(
            "Unknown Sparkplug metric alias 108 in DDATA from plant-sh/line-3/m01: not in its DBIRTH");
    assertThat(again.rebirth()).isEmpty();
    clock.advance(SparkplugDecoder.REBIRTH_INTERVAL_DEFAULT);
    assertThat(
            decoder
                .decode(
                    DDATA, payload(T0 + 3000, 4L, aliasMetric(108, T0 + 3000).setDoubleValue(1)))
                .rebirth())
        .isPresent();
  }

  @Test
  void dataBeforeAnyBirthAsksForARebirthByName() {
    SparkplugResult result = decoder.decode(DDATA, deviceData(5, T0, 1.0, "IDLE"));
    assertThat(result).isInstanceOf(SparkplugResult.RebirthNeeded.class);
    assertThat(result.deadLetterReason())
        .contains("DDATA from plant-sh/line-3/m01 before its NBIRTH");
    SpbMetric rebirth = parse(result.rebirth().orElseThrow().payload()).getMetrics(0);
    assertThat(rebirth.getName()).isEqualTo("Node Control/Rebirth");
    assertThat(rebirth.hasAlias()).as("no NBIRTH seen, so no alias").isFalse();

    decoder.decode(NBIRTH, nodeBirth(0));
    assertThat(decoder.decode(DDATA, deviceData(1, T0, 1.0, "IDLE")).deadLetterReason())
        .contains("DDATA from plant-sh/line-3/m01 before its DBIRTH");
    assertThat(decoder.decode(DBIRTH, deviceBirth(2, 1.0, 1)).deadLetterReason()).isEmpty();
  }

  @Test
  void sequenceNumbersWrapAndGapsAreReportedWithARebirthRequest() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    for (long seq = 2; seq <= 255; seq++) {
      SparkplugResult.Points p =
          (SparkplugResult.Points) decoder.decode(DDATA, deviceData(seq, T0 + seq, 1.0, "RUNNING"));
      assertThat(p.sequenceGap()).as("seq " + seq).isEmpty();
    }
    SparkplugResult.Points wrapped =
        (SparkplugResult.Points) decoder.decode(DDATA, deviceData(0, T0 + 256, 1.0, "RUNNING"));
    assertThat(wrapped.sequenceGap()).isEmpty();

    SparkplugResult.Points gap =
        (SparkplugResult.Points) decoder.decode(DDATA, deviceData(3, T0 + 257, 2.0, "RUNNING"));
    assertThat(gap.points()).as("the values are still good").hasSize(2);
    assertThat(gap.sequenceGap()).contains(new SequenceGap("plant-sh/line-3", 1, 3));
    assertThat(gap.sequenceGap().orElseThrow().describe())
        .isEqualTo("Sparkplug sequence gap from plant-sh/line-3: expected seq 1, got 3");
    assertThat(gap.rebirth()).map(RebirthRequest::topic).contains("spBv1.0/plant-sh/NCMD/line-3");

    SparkplugResult.Points next =
        (SparkplugResult.Points) decoder.decode(DDATA, deviceData(4, T0 + 258, 2.0, "RUNNING"));
    assertThat(next.sequenceGap()).as("counting resumes from the last seq").isEmpty();
  }

  @Test
  void sequenceGapsCanBeReportedWithoutRebirth() {
    SparkplugDecoder reportOnly =
        SparkplugDecoder.builder().clock(clock).rebirthOnSequenceGap(false).build();
    reportOnly.decode(NBIRTH, nodeBirth(0));
    SparkplugResult.Points gap =
        (SparkplugResult.Points) reportOnly.decode(DBIRTH, deviceBirth(9, 1.0, 1));
    assertThat(gap.sequenceGap()).contains(new SequenceGap("plant-sh/line-3", 1, 9));
    assertThat(gap.rebirth()).isEmpty();
  }

  @Test
  void qualityPropertiesMapToQualityAndStatus() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    List<DecodedPoint> points =
        points(
            decoder.decode(
                DDATA,
                payload(
                    T0,
                    2L,
                    aliasMetric(101, T0).setDoubleValue(1).setProperties(quality(0)),
                    aliasMetric(102, T0).setLongValue(2).setProperties(quality(500)),
                    aliasMetric(103, T0).setStringValue("x").setProperties(quality(192)))));
    assertThat(points)
        .extracting(DecodedPoint::quality, DecodedPoint::statusCode)
        .containsExactly(
            tuple(Quality.BAD, 0x80000000L),
            tuple(Quality.UNCERTAIN, 0x40900000L),
            tuple(Quality.GOOD, 0L));
  }

  @Test
  void historicalValuesAreFlaggedAndMissingTimestampsFallBack() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));
    List<DecodedPoint> points =
        points(
            decoder.decode(
                DDATA,
                payload(
                    T0 + 500,
                    2L,
                    SpbMetric.newBuilder().setAlias(101).setDoubleValue(1),
                    aliasMetric(102, T0 - 60_000).setLongValue(39).setIsHistorical(true))));
    assertThat(points)
        .extracting(DecodedPoint::tag, DecodedPoint::tsMicros, DecodedPoint::historical)
        .containsExactly(
            tuple("power_kw", (T0 + 500) * 1000, false),
            tuple("good_count", (T0 - 60_000) * 1000, true));
    byte[] noTimestamps =
        SpbPayload.newBuilder()
            .setSeq(3)
            .addMetrics(SpbMetric.newBuilder().setAlias(101).setDoubleValue(2))
            .build()
            .toByteArray();
    assertThat(points(decoder.decode(DDATA, noTimestamps)))
        .extracting(DecodedPoint::tsMicros)
        .containsExactly(clock.millis() * 1000);
  }

  @Test
  void malformedInputIsRefusedClearlyAndTheDecoderGoesOn() {
    decoder.decode(NBIRTH, nodeBirth(0));
    decoder.decode(DBIRTH, deviceBirth(1, 12.5, 40));

    SparkplugResult garbage = decoder.decode(DDATA, new byte[] {(byte) 0xFF, 0x01, 0x02});
    assertThat(garbage).isInstanceOf(SparkplugResult.Refused.class);
    assertThat(garbage.deadLetterReason().orElseThrow())
        .startsWith("Malformed Sparkplug B payload on " + DDATA + ": ");
    SparkplugResult truncated =
        decoder.decode(DDATA, java.util.Arrays.copyOf(deviceData(2, T0, 1.0, "IDLE"), 10));
    assertThat(truncated.deadLetterReason().orElseThrow())
        .startsWith("Malformed Sparkplug B payload on " + DDATA + ": ");

    SparkplugResult json =
        decoder.decode("factory/plant-sh/assembly/line-3/m01/telemetry", "{}".getBytes());
    assertThat(json.deadLetterReason())
        .contains(
            "Invalid Sparkplug topic factory/plant-sh/assembly/line-3/m01/telemetry: expected it"
                + " to start with spBv1.0/, got 'factory'");

    // Nothing above changed the session: the next message decodes (seq 2 was never consumed).
    SparkplugResult good = decoder.decode(DDATA, deviceData(2, T0 + 1000, 3.0, "IDLE"));
    assertThat(points(good)).hasSize(2);
    assertThat(((SparkplugResult.Points) good).sequenceGap()).isEmpty();
  }

  @Test
  void invalidBirthsAreRefusedWithTheMetricNamed() {
    assertThat(
            decoder
                .decode(
                    NBIRTH,
                    payload(
                        T0,
                        0L,
                        bdSeq(0),
                        birthMetric("a", 5, SparkplugDataType.DOUBLE).setDoubleValue(1),
                        birthMetric("b", 5, SparkplugDataType.DOUBLE).setDoubleValue(2)))
                .deadLetterReason())
        .contains("Invalid NBIRTH from plant-sh/line-3: alias 5 is used by 'a' and 'b'");
    assertThat(
            decoder
                .decode(
                    NBIRTH,
                    payload(
                        T0, 0L, SpbMetric.newBuilder().setName("x").setAlias(1).setDoubleValue(1)))
                .deadLetterReason())
        .contains("Invalid NBIRTH from plant-sh/line-3: metric 'x' has no datatype");
    assertThat(
            decoder
                .decode(NBIRTH, payload(T0, 0L, SpbMetric.newBuilder().setAlias(1).setDatatype(10)))
                .deadLetterReason())
        .contains("Invalid NBIRTH from plant-sh/line-3: metric #1 has no name");
    assertThat(
            decoder
                .decode(
                    NBIRTH,
                    payload(T0, 0L, birthMetric("x", 1, SparkplugDataType.DOUBLE).setDatatype(99)))
                .deadLetterReason())
        .contains(
            "Invalid NBIRTH from plant-sh/line-3: metric 'x': Invalid Sparkplug data type 99:"
                + " expected 0 to 34");
    assertThat(
            decoder
                .decode(
                    NBIRTH,
                    payload(
                        T0,
                        0L,
                        birthMetric("p", 1, SparkplugDataType.PROPERTY_SET).setIsNull(true)))
                .deadLetterReason())
        .contains(
            "Invalid NBIRTH from plant-sh/line-3: metric 'p' has data type PROPERTY_SET, which is"
                + " not a metric type");
    // None of them made the node online.
    assertThat(decoder.status("plant-sh", "line-3").orElseThrow().online()).isFalse();
  }

  @Test
  void commandsAndHostStateAreIgnored() {
    assertThat(
            decoder.decode(
                "spBv1.0/plant-sh/NCMD/line-3", SparkplugPayloads.rebirthCommand(T0, null)))
        .isInstanceOf(SparkplugResult.Ignored.class);
    assertThat(decoder.decode("spBv1.0/plant-sh/DCMD/line-3/m01", new byte[0]))
        .isInstanceOf(SparkplugResult.Ignored.class);
    SparkplugResult state =
        decoder.decode("spBv1.0/STATE/scada", "{\"online\":true,\"timestamp\":1}".getBytes());
    assertThat(state).isInstanceOf(SparkplugResult.Ignored.class);
    assertThat(state.deadLetterReason()).isEmpty();
    assertThat(state.rebirth()).isEmpty();
  }

  @Test
  void payloadsEncodedByTheLibraryDecode() {
    byte[] birth =
        SparkplugPayloads.encode(
            T0,
            0L,
            List.of(
                new SparkplugMetric(
                    "bdSeq", null, T0, SparkplugDataType.UINT64, PointValue.of(2L), null),
                SparkplugMetric.birth(
                    "Node Control/Rebirth",
                    1,
                    T0,
                    SparkplugDataType.BOOLEAN,
                    PointValue.of(false),
                    null),
                SparkplugMetric.birth(
                    "temp", 2, T0, SparkplugDataType.FLOAT, PointValue.of(21.5), "°C"),
                SparkplugMetric.birth(
                    "count", 3, T0, SparkplugDataType.UINT16, PointValue.of(7L), null)));
    assertThat(points(decoder.decode(NBIRTH, birth)))
        .extracting(DecodedPoint::tag, DecodedPoint::value, DecodedPoint::unit)
        .containsExactly(
            tuple("temp", PointValue.of(21.5), "°C"), tuple("count", PointValue.of(7L), ""));
    byte[] data =
        SparkplugPayloads.encode(
            T0 + 1,
            1L,
            List.of(
                SparkplugMetric.data(2, T0 + 1, PointValue.of(22.25)),
                SparkplugMetric.data(3, T0 + 1, null)));
    assertThat(points(decoder.decode(NDATA, data)))
        .extracting(DecodedPoint::tag, DecodedPoint::value)
        .containsExactly(tuple("temp", PointValue.of(22.25)));
    assertThat(decoder.status("plant-sh", "line-3").orElseThrow().bdSeq()).isEqualTo(2);

    SpbPayload death = parse(SparkplugPayloads.nodeDeath(T0, 2));
    assertThat(death.hasSeq()).isFalse();
    assertThat(death.getMetrics(0).getName()).isEqualTo("bdSeq");
    assertThat(death.getMetrics(0).getLongValue()).isEqualTo(2);
  }

  @Test
  void edgeNodesRecogniseARebirthCommandByNameOrAlias() {
    assertThat(SparkplugPayloads.isRebirthCommand(SparkplugPayloads.rebirthCommand(T0, null), 1))
        .isTrue();
    assertThat(SparkplugPayloads.isRebirthCommand(SparkplugPayloads.rebirthCommand(T0, 1L), 1))
        .isTrue();
    byte[] byAlias =
        SparkplugPayloads.encode(
            T0, null, List.of(SparkplugMetric.data(1, T0, PointValue.of(true))));
    assertThat(SparkplugPayloads.isRebirthCommand(byAlias, 1)).isTrue();
    assertThat(SparkplugPayloads.isRebirthCommand(byAlias, 2)).isFalse();
    byte[] no =
        SparkplugPayloads.encode(
            T0,
            null,
            List.of(
                SparkplugMetric.birth(
                    "Node Control/Rebirth",
                    1,
                    T0,
                    SparkplugDataType.BOOLEAN,
                    PointValue.of(false),
                    null)));
    assertThat(SparkplugPayloads.isRebirthCommand(no, 1)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SparkplugPayloads.isRebirthCommand(new byte[] {(byte) 0xFF}, 1))
        .isInstanceOf(InvalidSparkplugPayloadException.class)
        .hasMessageStartingWith("Malformed Sparkplug B command: ");
  }

  @Test
  void encodingRefusesValuesThatDoNotFit() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SparkplugPayloads.encode(
                    T0,
                    0L,
                    List.of(
                        SparkplugMetric.birth(
                            "x", 1, T0, SparkplugDataType.INT8, PointValue.of(300L), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode metric x: 300 is out of range for INT8");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SparkplugPayloads.encode(
                    T0,
                    0L,
                    List.of(
                        SparkplugMetric.birth(
                            "x", 1, T0, SparkplugDataType.DOUBLE, PointValue.of("a"), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode metric x: a StringValue does not fit data type DOUBLE");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SparkplugPayloads.encode(T0, 256L, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid Sparkplug seq 256: expected 0 to 255");
  }

  @Test
  void theRebirthIntervalCanBeZeroButNotNegative() {
    SparkplugDecoder eager =
        SparkplugDecoder.builder().rebirthInterval(Duration.ZERO).clock(clock).build();
    assertThat(eager.decode(NDATA, payload(T0, 1L)).rebirth()).isPresent();
    assertThat(eager.decode(NDATA, payload(T0, 2L)).rebirth()).isPresent();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SparkplugDecoder.builder().rebirthInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value PT-1S for rebirthInterval: expected a duration >= 0");
  }

  private static SpbPayload parse(byte[] bytes) {
    try {
      return SpbPayload.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
