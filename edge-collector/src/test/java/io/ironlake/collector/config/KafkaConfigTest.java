package io.ironlake.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {
  @Test
  void snappyIsTheDefaultOnlyWhereTheJarCarriesItsNativeLibrary() {
    assertThat(KafkaConfig.defaultCompression("Linux", "amd64")).isEqualTo("snappy");
    assertThat(KafkaConfig.defaultCompression("Linux", "x86_64")).isEqualTo("snappy");
    assertThat(KafkaConfig.defaultCompression("Linux", "aarch64")).isEqualTo("snappy");
    assertThat(KafkaConfig.defaultCompression("Linux", "arm")).isEqualTo("lz4");
    assertThat(KafkaConfig.defaultCompression("Linux", "riscv64")).isEqualTo("lz4");
    assertThat(KafkaConfig.defaultCompression("Windows 11", "amd64")).isEqualTo("lz4");
    assertThat(KafkaConfig.defaultCompression("Mac OS X", "aarch64")).isEqualTo("lz4");
    assertThat(KafkaConfig.of("127.0.0.1:9092").compression())
        .isEqualTo(KafkaConfig.COMPRESSION_DEFAULT);
  }

  @Test
  void theDefaultCompressionCompressesAndRestoresABatchHere() {
    // The codec (with its native library, for snappy) works on this platform.
    MemoryRecordsBuilder b =
        MemoryRecords.builder(
            ByteBuffer.allocate(1 << 16),
            Compression.of(CompressionType.forName(KafkaConfig.COMPRESSION_DEFAULT)).build(),
            TimestampType.CREATE_TIME,
            0L);
    byte[] value =
        "plant-sh/assembly/line-1/press-01 power_kw 12.5".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 100; i++) {
      b.append(i, null, value);
    }
    MemoryRecords records = b.build();
    assertThat(records.sizeInBytes()).isLessThan(100 * value.length / 2);
    int n = 0;
    for (Record r : records.records()) {
      byte[] read = new byte[r.valueSize()];
      r.value().get(read);
      assertThat(read).isEqualTo(value);
      n++;
    }
    assertThat(n).isEqualTo(100);
  }
}
