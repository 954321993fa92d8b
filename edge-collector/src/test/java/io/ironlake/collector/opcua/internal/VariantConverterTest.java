package io.ironlake.collector.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.connectors.record.PointValue;
import java.time.Instant;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.junit.jupiter.api.Test;

class VariantConverterTest {
  private static PointValue of(Object v) {
    return VariantConverter.toPointValue(new Variant(v));
  }

  @Test
  void numbersBooleansAndStrings() {
    assertThat(of(12.5)).isEqualTo(PointValue.of(12.5));
    assertThat(of(1.5f)).isEqualTo(PointValue.of(1.5));
    assertThat(of((short) -3)).isEqualTo(PointValue.of(-3L));
    assertThat(of(42)).isEqualTo(PointValue.of(42L));
    assertThat(of(Long.MIN_VALUE)).isEqualTo(PointValue.of(Long.MIN_VALUE));
    assertThat(of(ubyte(255))).isEqualTo(PointValue.of(255L));
    assertThat(of(uint(4_000_000_000L))).isEqualTo(PointValue.of(4_000_000_000L));
    assertThat(of(ULong.valueOf(7))).isEqualTo(PointValue.of(7L));
    assertThat(of(true)).isEqualTo(PointValue.of(true));
    assertThat(of("RUNNING")).isEqualTo(PointValue.of("RUNNING"));
  }

  @Test
  void everythingElseBecomesText() {
    assertThat(of(ULong.MAX)).isEqualTo(PointValue.of("18446744073709551615"));
    assertThat(of(LocalizedText.english("Auto"))).isEqualTo(PointValue.of("Auto"));
    assertThat(of(new DateTime(Instant.parse("2030-01-01T00:00:00Z"))))
        .isEqualTo(PointValue.of("2030-01-01T00:00:00Z"));
    assertThat(of(new double[] {1.5, 2.0})).isEqualTo(PointValue.of("[1.5, 2.0]"));
    assertThat(VariantConverter.toPointValue(Variant.NULL_VALUE)).isEqualTo(PointValue.of(""));
  }
}
