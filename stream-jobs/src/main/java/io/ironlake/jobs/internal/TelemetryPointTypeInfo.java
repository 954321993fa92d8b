package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for {@link TelemetryPoint}, backed by {@link TelemetryPointSerializer}.
 */
public final class TelemetryPointTypeInfo extends TypeInformation<TelemetryPoint> {
  private static final long serialVersionUID = 1L;

  /** The one instance. */
  public static final TelemetryPointTypeInfo INSTANCE = new TelemetryPointTypeInfo();

  private TelemetryPointTypeInfo() {}

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<TelemetryPoint> getTypeClass() {
    return TelemetryPoint.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<TelemetryPoint> createSerializer(SerializerConfig config) {
    return TelemetryPointSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "TelemetryPoint";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof TelemetryPointTypeInfo;
  }

  @Override
  public int hashCode() {
    return TelemetryPoint.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof TelemetryPointTypeInfo;
  }
}
