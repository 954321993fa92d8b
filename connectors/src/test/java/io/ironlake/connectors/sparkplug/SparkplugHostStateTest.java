package io.ironlake.connectors.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SparkplugHostStateTest {

  @Test
  void writesTheSparkplug3PayloadAndReadsItBack() {
    SparkplugHostState online = new SparkplugHostState(true, 1_668_114_759_262L);
    assertThat(new String(online.toJson(), StandardCharsets.UTF_8))
        .isEqualTo("{\"online\":true,\"timestamp\":1668114759262}");
    assertThat(SparkplugHostState.parse(online.toJson())).contains(online);
    assertThat(SparkplugHostState.parse(bytes("{ \"timestamp\" : 5, \"online\" : false }")))
        .contains(new SparkplugHostState(false, 5));
    assertThat(SparkplugHostState.topic("scada-1")).isEqualTo("spBv1.0/STATE/scada-1");
  }

  @Test
  void anythingElseIsNotAState() {
    assertThat(SparkplugHostState.parse(bytes("ONLINE"))).isEmpty(); // Sparkplug 2.2
    assertThat(SparkplugHostState.parse(bytes("{\"online\":\"true\",\"timestamp\":5}"))).isEmpty();
    assertThat(SparkplugHostState.parse(bytes("{\"online\":true,\"timestamp\":5.5}"))).isEmpty();
    assertThat(SparkplugHostState.parse(bytes("{\"online\":true}"))).isEmpty();
    assertThat(SparkplugHostState.parse(bytes("{\"online\":true,"))).isEmpty();
    assertThat(SparkplugHostState.parse(new byte[] {(byte) 0xff, 0x00, 0x13})).isEmpty();
    assertThat(SparkplugHostState.parse(new byte[0])).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
