package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class TelemetryPointSerializerTest {
  private static final TelemetryPointSerializer SERIALIZER = TelemetryPointSerializer.INSTANCE;

  @Test
  void readsRecordsOfTheFirstVersionNextToDirectOnes() throws Exception {
    // State written by the first version (length + wire format) restores, e.g. the points waiting
    // in an indicator's state in a savepoint, followed by a record of this version.
    List<TelemetryPoint> points =
        List.of(
            point(PointValue.of(1.5), Quality.GOOD),
            point(PointValue.of(-7L), Quality.UNCERTAIN),
            point(PointValue.of(true), Quality.BAD),
            point(PointValue.of("RUNNING \u00e9\u6c34"), Quality.GOOD));
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (TelemetryPoint p : points) {
      byte[] wire = TelemetryCodec.encode(p);
      out.writeInt(wire.length);
      out.write(wire);
      SERIALIZER.serialize(p, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : points) {
      assertThat(SERIALIZER.deserialize(in)).as("first version").isEqualTo(p);
      assertThat(SERIALIZER.deserialize(in)).as("direct").isEqualTo(p);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void readsDirectRecordsWithStringValueStrings() throws Exception {
    // The direct format before strings were written as UTF-8 bytes: a savepoint of that version.
    TelemetryPoint p = point(PointValue.of("RUNNING \u00e9\u6c34"), Quality.UNCERTAIN);
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeByte(TelemetryPointSerializer.DIRECT_STRING_VALUE);
    for (String s : List.of(p.site(), p.area(), p.line(), p.device(), p.tag())) {
      StringValue.writeString(s, out);
    }
    out.writeLong(p.tsMicros());
    out.writeLong(p.ingestTsMicros());
    out.writeByte(3); // a string value
    StringValue.writeString(p.value().asText(), out);
    out.writeByte(p.quality().ordinal());
    out.writeLong(p.statusCode());
    for (String s : List.of(p.unit(), p.collectorId(), p.source())) {
      StringValue.writeString(s, out);
    }
    out.writeLong(p.seq());
    SERIALIZER.serialize(p, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(SERIALIZER.deserialize(in)).as("StringValue strings").isEqualTo(p);
    assertThat(SERIALIZER.deserialize(in)).as("UTF-8 strings").isEqualTo(p);
    assertThat(in.available()).isZero();
  }

  @Test
  void readsLongStringsAndRefusesAnUnknownFormat() throws Exception {
    String longText = "x".repeat(70_000) + "\u00e9";
    TelemetryPoint p = point(PointValue.of(longText), Quality.GOOD);
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(p, out);
    assertThat(SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(p);
    assertThatThrownBy(
            () -> SERIALIZER.deserialize(new DataInputDeserializer(new byte[] {(byte) 0xD9, 1})))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot read telemetry point: unknown format 217");
  }

  @Test
  void copiesBothFormatsIntoTheDirectOne() throws Exception {
    TelemetryPoint p = point(PointValue.of(42L), Quality.GOOD);
    DataOutputSerializer old = new DataOutputSerializer(64);
    byte[] wire = TelemetryCodec.encode(p);
    old.writeInt(wire.length);
    old.write(wire);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    SERIALIZER.copy(new DataInputDeserializer(old.getCopyOfBuffer()), copied);
    assertThat(copied.getSharedBuffer()[0]).isEqualTo(TelemetryPointSerializer.DIRECT);
    assertThat(SERIALIZER.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
        .isEqualTo(p);
  }

  private static TelemetryPoint point(PointValue value, Quality quality) {
    return new TelemetryPoint(
        "plant-b",
        "machining",
        "line-1",
        "m001",
        "power_kw",
        1_767_592_800_000_000L,
        1_767_592_800_020_000L,
        value,
        quality,
        0xFFFFFFFFL,
        "kW",
        "edge-1",
        "opcua",
        Long.MAX_VALUE);
  }
}
