package io.ironlake.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  @Test
  void keepsRawBytesAndReasonInHeaders() {
    byte[] raw = "{\"power_kw\": 1".getBytes(StandardCharsets.UTF_8);
    DeadLetter letter =
        new DeadLetter(
            "edge-1", "mqtt-gw", "factory/line-3/m1", "Invalid JSON: truncated", 99L, raw);

    ProducerRecord<byte[], byte[]> record = letter.toProducerRecord();
    DeadLetter back = DeadLetter.fromRecord(record.headers(), record.value());

    assertThat(record.topic()).isEqualTo(Topics.DEADLETTER);
    assertThat(back.payload()).isEqualTo(raw);
    assertThat(back.reason()).isEqualTo("Invalid JSON: truncated");
    assertThat(back.origin()).isEqualTo("factory/line-3/m1");
    assertThat(back.collectorId()).isEqualTo("edge-1");
    assertThat(back.source()).isEqualTo("mqtt-gw");
    assertThat(back.receivedAtMicros()).isEqualTo(99L);
  }
}
