package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.energy.EnergyFunction;
import io.ironlake.jobs.energy.EnergyRow;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.Test;

class FlinkTypesTest {
  @Test
  void telemetryPointsRoundTripThroughTheirSerializer() throws Exception {
    TypeInformation<TelemetryPoint> info = TelemetryPointTypeInfo.INSTANCE;
    var serializer = info.createSerializer(new SerializerConfigImpl());
    for (PointValue value :
        List.of(PointValue.of(1.5), PointValue.of(7L), PointValue.of(true), PointValue.of("run"))) {
      TelemetryPoint p =
          new TelemetryPoint(
              "s",
              "a",
              "l",
              "d",
              "t",
              10L,
              11L,
              value,
              Quality.UNCERTAIN,
              0x40000000L,
              "u",
              "c",
              "src",
              42L);
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(p, out);
      DataOutputSerializer copied = new DataOutputSerializer(64);
      serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
      assertThat(serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
          .isEqualTo(p);
    }
  }

  @Test
  void recordsInStateAndStreamsArePojosNotKryo() {
    for (Class<?> type :
        List.of(
            EnergyRow.class,
            EnergyFunction.Device.class,
            EnergyFunction.Reading.class,
            EnergyFunction.Window.class)) {
      assertThat(TypeInformation.of(type))
          .as(type.getSimpleName())
          .isInstanceOf(PojoTypeInfo.class);
    }
  }

  @Test
  void rowMappersFollowTheTableColumns() {
    RowType telemetry = FlinkSchemaUtil.convert(IronlakeTables.TELEMETRY.schema());
    assertThat(telemetry.getFieldCount()).isEqualTo(TelemetryRowMapper.ARITY);
    TelemetryPoint p =
        new TelemetryPoint(
            "s",
            "a",
            "l",
            "d",
            "t",
            1_500L,
            2_000L,
            PointValue.of(3L),
            Quality.GOOD,
            0L,
            "kW",
            "c",
            "src",
            9L);
    RowData row = new TelemetryRowMapper().map(p);
    assertThat(row.getArity()).isEqualTo(telemetry.getFieldCount());
    assertThat(telemetry.getFieldNames().get(8)).isEqualTo("value_long");
    assertThat(row.getLong(8)).isEqualTo(3L);
    assertThat(row.isNullAt(7)).isTrue();
    assertThat(row.getTimestamp(5, 6).toInstant().toString())
        .isEqualTo("1970-01-01T00:00:00.001500Z");
    assertThat(telemetry.getFieldNames().get(16)).isEqualTo("seq");

    RowType energy = FlinkSchemaUtil.convert(IronlakeTables.ENERGY.schema());
    RowData e =
        io.ironlake.jobs.energy.EnergyJob.toRow(
            new EnergyRow("s", "a", "l", "d", 0L, 60_000_000L, 1.25, 3, 1));
    assertThat(e.getArity()).isEqualTo(energy.getFieldCount());
    assertThat(energy.getFieldNames().get(6)).isEqualTo("energy_kwh");
    assertThat(e.getDouble(6)).isEqualTo(1.25);
    assertThat(e.getInt(8)).isEqualTo(1);
  }
}
