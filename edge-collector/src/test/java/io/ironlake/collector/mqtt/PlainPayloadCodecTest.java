package io.ironlake.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.connectors.record.PointValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainPayloadCodecTest {
  private static PointValue decode(String text) {
    return PlainPayloadCodec.decode(text.getBytes(StandardCharsets.UTF_8), 1024);
  }

  @Test
  void numbersBooleansAndTextKeepTheirTypes() {
    assertThat(decode(" 42\n")).isEqualTo(PointValue.of(42L));
    assertThat(decode("-1.5e3")).isEqualTo(PointValue.of(-1500.0));
    assertThat(decode("0.25")).isEqualTo(PointValue.of(0.25));
    assertThat(decode("true")).isEqualTo(PointValue.of(true));
    assertThat(decode("RUNNING")).isEqualTo(PointValue.of("RUNNING"));
  }

  @Test
  void garbageEmptyAndOversizedPayloadsAreRefusedWithTheReason() {
    assertThatThrownBy(
            () -> PlainPayloadCodec.decode(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, 1024))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("Invalid plain payload: not UTF-8 text");
    assertThatThrownBy(() -> PlainPayloadCodec.decode(new byte[] {0x31, 0x00, 0x32}, 1024))
        .hasMessage(
            "Invalid plain payload: control character 0x0 at character 1, expected one value as"
                + " text");
    assertThatThrownBy(() -> decode("  ")).hasMessage("Empty payload: expected one value as text");
    assertThatThrownBy(() -> decode("99999999999999999999"))
        .hasMessage("Invalid value 99999999999999999999: integer out of the 64-bit range");
    assertThatThrownBy(() -> PlainPayloadCodec.decode(new byte[2048], 1024))
        .hasMessage("Payload too large: 2048 bytes, max-payload-bytes is 1024");
  }
}
