package io.ironlake.connectors.sparkplug;

import com.google.protobuf.ByteString;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPayload;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertySet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertyValue;

/** Builds raw Sparkplug payloads for tests, field by field. */
final class SparkplugMessages {

  private SparkplugMessages() {}

  static SpbMetric.Builder birthMetric(String name, long alias, SparkplugDataType type) {
    return SpbMetric.newBuilder().setName(name).setAlias(alias).setDatatype(type.code());
  }

  static SpbMetric.Builder aliasMetric(long alias, long tsMillis) {
    return SpbMetric.newBuilder().setAlias(alias).setTimestamp(tsMillis);
  }

  static SpbMetric.Builder bdSeq(long bdSeq) {
    return SpbMetric.newBuilder()
        .setName("bdSeq")
        .setDatatype(SparkplugDataType.UINT64.code())
        .setLongValue(bdSeq);
  }

  static SpbMetric.Builder rebirthControl(long alias) {
    return birthMetric("Node Control/Rebirth", alias, SparkplugDataType.BOOLEAN)
        .setBooleanValue(false);
  }

  static SpbPropertySet unit(String unit) {
    return SpbPropertySet.newBuilder()
        .addKeys("engUnit")
        .addValues(SpbPropertyValue.newBuilder().setType(12).setStringValue(unit))
        .build();
  }

  static SpbPropertySet quality(int code) {
    return SpbPropertySet.newBuilder()
        .addKeys("Quality")
        .addValues(SpbPropertyValue.newBuilder().setType(3).setIntValue(code))
        .build();
  }

  static byte[] payload(long tsMillis, Long seq, SpbMetric.Builder... metrics) {
    SpbPayload.Builder p = SpbPayload.newBuilder().setTimestamp(tsMillis);
    if (seq != null) {
      p.setSeq(seq);
    }
    for (SpbMetric.Builder m : metrics) {
      p.addMetrics(m);
    }
    return p.build().toByteArray();
  }

  static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.copyFrom(b);
  }
}
