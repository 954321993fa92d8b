package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The files that ship with the collector jar (src/main/dist) stay valid. */
class DistFilesTest {
  private static final Path DIST = Path.of("src/main/dist");

  @Test
  void theExampleConfigLoadsAndKeepsStateWhereTheUnitPutsIt() throws Exception {
    CollectorConfig config = CollectorConfigLoader.load(DIST.resolve("collector.yaml"));
    assertThat(config.id()).isEqualTo("edge-1");
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/ironlake-collector"));
    assertThat(config.sources()).hasSize(2);
  }

  @Test
  void theUnitRunsTheJarWithTheConfigAndA256MegabyteHeap() throws Exception {
    String unit = Files.readString(DIST.resolve("ironlake-collector.service"));
    assertThat(unit)
        .contains("StateDirectory=ironlake-collector")
        .contains("Environment=\"JAVA_OPTS=-Xmx256m -XX:+UseParallelGC\"")
        .contains("-jar /opt/ironlake-collector/ironlake-collector.jar run")
        .contains("--config /etc/ironlake/collector.yaml")
        .contains("Restart=on-failure")
        .contains("SuccessExitStatus=143")
        .contains("User=ironlake-collector");
  }
}
