package io.ironlake.connectors.sparkplug;

import static io.ironlake.connectors.sparkplug.SparkplugMessages.aliasMetric;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.bdSeq;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.birthMetric;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.bytes;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.payload;
import static io.ironlake.connectors.sparkplug.SparkplugMessages.rebirthControl;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSetRow;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSetValue;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbTemplate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** An NBIRTH defines a metric of every data type; an NDATA with aliases only gives their values. */
class SparkplugDataTypesTest {

  private static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final String GROUP = "plant-sh";
  private static final String NODE = "line-3";

  /** One metric: its data type, how the edge node sets the value, and the value we expect. */
  private record Case(
      String name, SparkplugDataType type, Consumer<SpbMetric.Builder> value, Object expected) {}

  private static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("i8", SparkplugDataType.INT8, m -> m.setIntValue(-5), -5L));
    // Some edge nodes put the 8-bit two's complement into the uint32, not the sign-extended int.
    c.add(new Case("i8_narrow", SparkplugDataType.INT8, m -> m.setIntValue(0xFB), -5L));
    c.add(new Case("i16", SparkplugDataType.INT16, m -> m.setIntValue(-30000), -30000L));
    c.add(
        new Case(
            "i32", SparkplugDataType.INT32, m -> m.setIntValue(Integer.MIN_VALUE), -2147483648L));
    c.add(
        new Case(
            "i64", SparkplugDataType.INT64, m -> m.setLongValue(-9_000_000_000L), -9_000_000_000L));
    c.add(new Case("u8", SparkplugDataType.UINT8, m -> m.setIntValue(250), 250L));
    c.add(new Case("u16", SparkplugDataType.UINT16, m -> m.setIntValue(65535), 65535L));
    c.add(new Case("u32", SparkplugDataType.UINT32, m -> m.setIntValue(-1), 4294967295L));
    // Eclipse Tahu's Java library sends UInt32 in long_value.
    c.add(
        new Case(
            "u32_long",
            SparkplugDataType.UINT32,
            m -> m.setLongValue(4_000_000_000L),
            4_000_000_000L));
    c.add(new Case("u64", SparkplugDataType.UINT64, m -> m.setLongValue(123), 123L));
    c.add(
        new Case(
            "u64_big", SparkplugDataType.UINT64, m -> m.setLongValue(-1), "18446744073709551615"));
    c.add(new Case("f", SparkplugDataType.FLOAT, m -> m.setFloatValue(12.1f), 12.1));
    c.add(new Case("d", SparkplugDataType.DOUBLE, m -> m.setDoubleValue(0.1), 0.1));
    c.add(
        new Case("d_nan", SparkplugDataType.DOUBLE, m -> m.setDoubleValue(Double.NaN), Double.NaN));
    c.add(new Case("b", SparkplugDataType.BOOLEAN, m -> m.setBooleanValue(true), true));
    c.add(new Case("s", SparkplugDataType.STRING, m -> m.setStringValue("RUNNING"), "RUNNING"));
    c.add(
        new Case(
            "text",
            SparkplugDataType.TEXT,
            m -> m.setStringValue("Grüße\nline 2"),
            "Grüße\nline 2"));
    c.add(
        new Case(
            "uuid",
            SparkplugDataType.UUID,
            m -> m.setStringValue("unique_id_123456789"),
            "unique_id_123456789"));
    c.add(
        new Case(
            "dt",
            SparkplugDataType.DATETIME,
            m -> m.setLongValue(1486144502122L),
            "2017-02-03T17:55:02.122Z"));
    c.add(
        new Case(
            "bytes",
            SparkplugDataType.BYTES,
            m -> m.setBytesValue(bytes(0x0C, 0, 0, 0, 0x34, 0xD0)),
            "DAAAADTQ"));
    c.add(
        new Case(
            "file",
            SparkplugDataType.FILE,
            m -> m.setBytesValue(ByteString.copyFromUtf8("hello")),
            "aGVsbG8="));
    c.add(
        new Case(
            "dataset",
            SparkplugDataType.DATASET,
            m -> m.setDatasetValue(dataSet()),
            "{\"columns\":[\"a\",\"b\"],\"types\":[\"INT32\",\"STRING\"],\"rows\":[[-1,\"x\"],[2,\"y\\\"z\"]]}"));
    c.add(
        new Case(
            "a_i8", SparkplugDataType.INT8_ARRAY, m -> m.setBytesValue(bytes(0xFF, 2)), "[-1, 2]"));
    c.add(
        new Case(
            "a_i16",
            SparkplugDataType.INT16_ARRAY,
            m -> m.setBytesValue(le(b -> b.putShort((short) -2).putShort((short) 300), 4)),
            "[-2, 300]"));
    c.add(
        new Case(
            "a_i32",
            SparkplugDataType.INT32_ARRAY,
            m -> m.setBytesValue(le(b -> b.putInt(-7).putInt(70000), 8)),
            "[-7, 70000]"));
    c.add(
        new Case(
            "a_i64",
            SparkplugDataType.INT64_ARRAY,
            m -> m.setBytesValue(le(b -> b.putLong(-1), 8)),
            "[-1]"));
    c.add(
        new Case(
            "a_u8",
            SparkplugDataType.UINT8_ARRAY,
            m -> m.setBytesValue(bytes(0xFF, 0)),
            "[255, 0]"));
    c.add(
        new Case(
            "a_u16",
            SparkplugDataType.UINT16_ARRAY,
            m -> m.setBytesValue(le(b -> b.putShort((short) -1), 2)),
            "[65535]"));
    c.add(
        new Case(
            "a_u32",
            SparkplugDataType.UINT32_ARRAY,
            m -> m.setBytesValue(le(b -> b.putInt(-1), 4)),
            "[4294967295]"));
    c.add(
        new Case(
            "a_u64",
            SparkplugDataType.UINT64_ARRAY,
            m -> m.setBytesValue(le(b -> b.putLong(-1), 8)),
            "[18446744073709551615]"));
    c.add(
        new Case(
            "a_f",
            SparkplugDataType.FLOAT_ARRAY,
            m -> m.setBytesValue(le(b -> b.putFloat(1.5f).putFloat(-0.25f), 8)),
            "[1.5, -0.25]"));
    c.add(
        new Case(
            "a_d",
            SparkplugDataType.DOUBLE_ARRAY,
            m -> m.setBytesValue(le(b -> b.putDouble(2.25), 8)),
            "[2.25]"));
    // The specification's examples of BooleanArray, StringArray and DateTimeArray.
    c.add(
        new Case(
            "a_b",
            SparkplugDataType.BOOLEAN_ARRAY,
            m -> m.setBytesValue(bytes(0x0C, 0, 0, 0, 0x34, 0xD0)),
            "[false, false, true, true, false, true, false, false, true, true, false, true]"));
    c.add(
        new Case(
            "a_s",
            SparkplugDataType.STRING_ARRAY,
            m -> m.setBytesValue(bytes(0x41, 0x42, 0x43, 0, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0)),
            "[ABC, hello]"));
    c.add(
        new Case(
            "a_dt",
            SparkplugDataType.DATETIME_ARRAY,
            m ->
                m.setBytesValue(
                    bytes(
                        0xC7, 0xD0, 0x90, 0x75, 0x24, 0x01, 0, 0, 0xB8, 0xBA, 0xB8, 0x97, 0x81,
                        0x01, 0, 0)),
            "[2009-10-21T05:27:55.335Z, 2022-06-24T21:57:55Z]"));
    return c;
  }

  @Test
  void birthThenDataDecodesEveryDataType() {
    SparkplugDecoder decoder = decoder();
    List<Case> cases = cases();

    List<SpbMetric.Builder> birth = new ArrayList<>();
    birth.add(bdSeq(0));
    birth.add(rebirthControl(1));
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      birth.add(birthMetric(c.name(), 100 + i, c.type()).setTimestamp(T0).setIsNull(true));
    }
    birth.add(templateBirth());
    SparkplugResult born =
        decoder.decode(
            "spBv1.0/" + GROUP + "/NBIRTH/" + NODE,
            payload(T0, 0L, birth.toArray(SpbMetric.Builder[]::new)));
    assertThat(born).isInstanceOf(SparkplugResult.Points.class);
    assertThat(((SparkplugResult.Points) born).points()).as("null values make no points").isEmpty();

    List<SpbMetric.Builder> data = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      SpbMetric.Builder m = aliasMetric(100 + i, T0 + 1000);
      cases.get(i).value().accept(m);
      data.add(m);
    }
    data.add(aliasMetric(99, T0 + 1000).setTemplateValue(templateInstance(1.5, "AUTO")));
    SparkplugResult result =
        decoder.decode(
            "spBv1.0/" + GROUP + "/NDATA/" + NODE,
            payload(T0 + 1000, 1L, data.toArray(SpbMetric.Builder[]::new)));

    assertThat(result).isInstanceOf(SparkplugResult.Points.class);
    SparkplugResult.Points points = (SparkplugResult.Points) result;
    assertThat(points.sequenceGap()).isEmpty();
    assertThat(points.rebirth()).isEmpty();
    Map<String, PointValue> byTag = new LinkedHashMap<>();
    for (DecodedPoint p : points.points()) {
      byTag.put(p.tag(), p.value());
      assertThat(p.path()).isEqualTo(new DevicePath(GROUP, "assembly", NODE, NODE));
      assertThat(p.tsMicros()).isEqualTo((T0 + 1000) * 1000);
      assertThat(p.quality()).isEqualTo(Quality.GOOD);
      assertThat(p.statusCode()).isZero();
    }
    for (Case c : cases) {
      assertThat(byTag.get(c.name()))
          .as(c.name() + " " + c.type())
          .isEqualTo(expected(c.expected()));
    }
    assertThat(byTag)
        .containsEntry("tpl/speed", PointValue.of(1.5))
        .containsEntry("tpl/mode", PointValue.of("AUTO"));
    assertThat(byTag).hasSize(cases.size() + 2);
    assertThat(points.points()).extracting(DecodedPoint::tag).doesNotContain("bdSeq");
  }

  @Test
  void aValueThatDoesNotFitItsDataTypeRefusesTheMessageAndNamesTheMetric() {
    SparkplugDecoder decoder = decoder();
    decoder.decode(
        "spBv1.0/g/NBIRTH/e",
        payload(
            T0,
            0L,
            bdSeq(0),
            birthMetric("power_kw", 1, SparkplugDataType.DOUBLE).setDoubleValue(1.0),
            birthMetric("flags", 2, SparkplugDataType.BOOLEAN_ARRAY).setIsNull(true)));

    SparkplugResult wrongKind =
        decoder.decode(
            "spBv1.0/g/NDATA/e", payload(T0, 1L, aliasMetric(1, T0).setStringValue("12.5")));
    assertThat(wrongKind.deadLetterReason())
        .contains(
            "Invalid value of 'power_kw': data type DOUBLE does not match its string_value"
                + " (NDATA from g/e)");

    SparkplugResult shortArray =
        decoder.decode(
            "spBv1.0/g/NDATA/e",
            payload(T0, 2L, aliasMetric(2, T0).setBytesValue(bytes(9, 0, 0, 0, 1))));
    assertThat(shortArray.deadLetterReason())
        .contains(
            "Invalid BooleanArray value of 'flags': count 9 needs more than the 1 bytes that follow"
                + " (NDATA from g/e)");

    SparkplugResult noValue =
        decoder.decode("spBv1.0/g/NDATA/e", payload(T0, 3L, aliasMetric(1, T0)));
    assertThat(noValue.deadLetterReason())
        .contains("Invalid value of 'power_kw': no value and is_null is not set (NDATA from g/e)");

    SparkplugResult good =
        decoder.decode(
            "spBv1.0/g/NDATA/e", payload(T0, 4L, aliasMetric(1, T0).setDoubleValue(2.5)));
    assertThat(((SparkplugResult.Points) good).points())
        .extracting(DecodedPoint::value)
        .containsExactly(PointValue.of(2.5));
  }

  private static SparkplugDecoder decoder() {
    return SparkplugDecoder.builder()
        .mapping(SparkplugPathMapping.groupAsSite("assembly"))
        .clock(new MutableClock(Instant.ofEpochMilli(T0)))
        .build();
  }

  private static PointValue expected(Object o) {
    if (o instanceof Long l) {
      return PointValue.of(l);
    } else if (o instanceof Double d) {
      return PointValue.of(d);
    } else if (o instanceof Boolean b) {
      return PointValue.of(b);
    }
    return PointValue.of((String) o);
  }

  private static ByteString le(Consumer<ByteBuffer> writer, int size) {
    ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    writer.accept(buf);
    return ByteString.copyFrom(buf.array());
  }

  private static SpbDataSet dataSet() {
    return SpbDataSet.newBuilder()
        .setNumOfColumns(2)
        .addColumns("a")
        .addColumns("b")
        .addTypes(SparkplugDataType.INT32.code())
        .addTypes(SparkplugDataType.STRING.code())
        .addRows(
            SpbDataSetRow.newBuilder()
                .addElements(SpbDataSetValue.newBuilder().setIntValue(-1))
                .addElements(SpbDataSetValue.newBuilder().setStringValue("x")))
        .addRows(
            SpbDataSetRow.newBuilder()
                .addElements(SpbDataSetValue.newBuilder().setIntValue(2))
                .addElements(SpbDataSetValue.newBuilder().setStringValue("y\"z")))
        .build();
  }

  private static SpbMetric.Builder templateBirth() {
    return birthMetric("tpl", 99, SparkplugDataType.TEMPLATE).setTimestamp(T0).setIsNull(true);
  }

  private static SpbTemplate templateInstance(double speed, String mode) {
    return SpbTemplate.newBuilder()
        .setTemplateRef("Motor")
        .setIsDefinition(false)
        .addMetrics(
            SpbMetric.newBuilder()
                .setName("speed")
                .setDatatype(SparkplugDataType.DOUBLE.code())
                .setDoubleValue(speed))
        .addMetrics(
            SpbMetric.newBuilder()
                .setName("mode")
                .setDatatype(SparkplugDataType.STRING.code())
                .setStringValue(mode))
        .build();
  }
}
