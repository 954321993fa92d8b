package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.jobs.ClusterJobMain.Submission;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job jar's program arguments become job names and a {@link JobsConfig}. */
class ClusterJobMainTest {
  @TempDir Path dir;

  @Test
  void readsJobsKafkaAndARestCatalog() {
    Submission s =
        ClusterJobMain.parse(
            new String[] {
              "--jobs", "ingest,energy",
              "--kafka", "kafka:9092",
              "--catalog-uri", "http://rest:8181",
              "--warehouse", "s3://lake/wh",
              "--catalog-property", "s3.endpoint=http://minio:9000",
              "--checkpoint-interval", "30s",
              "--starting-offsets", "latest",
              "--parallelism", "3",
              "--checkpoint-dir", "s3://lake/checkpoints"
            });
    assertThat(s.jobs()).isEqualTo(Set.of("ingest", "energy"));
    JobsConfig c = s.config();
    assertThat(c.kafkaBootstrapServers()).isEqualTo("kafka:9092");
    assertThat(c.catalogProperties())
        .containsEntry("type", "rest")
        .containsEntry("uri", "http://rest:8181")
        .containsEntry("warehouse", "s3://lake/wh")
        .containsEntry("s3.endpoint", "http://minio:9000");
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.startingOffsets()).isEqualTo(JobsConfig.StartingOffsets.LATEST);
    assertThat(c.parallelism()).isEqualTo(3);
    assertThat(s.parallelismSet()).isTrue();
    assertThat(s.checkpointDir()).contains("s3://lake/checkpoints");
  }

  @Test
  void defaultsToTheLocalCatalogUnderTheDataDir() {
    Submission s =
        ClusterJobMain.parse(
            new String[] {"--jobs", "ingest", "--kafka", "k:9092", "--data-dir", dir.toString()});
    assertThat(s.config().catalogProperties().get("uri")).startsWith("jdbc:sqlite:");
    assertThat(s.config().dataDir()).isEqualTo(dir);
    assertThat(s.parallelismSet()).isFalse();
    assertThat(s.checkpointDir()).isEmpty();
    assertThat(s.config().indicatorTopics()).isEqualTo(IndicatorTopics.DEFAULTS);
    Submission off =
        ClusterJobMain.parse(
            new String[] {"--jobs", "energy", "--kafka", "k:9092", "--indicator-topics", "off"});
    assertThat(off.config().indicatorTopics().enabled()).isFalse();
  }

  @Test
  void refusesBadArgumentsNamingThem() {
    assertThatThrownBy(() -> ClusterJobMain.parse(new String[] {"--kafka", "k:9092"}))
        .hasMessageStartingWith("Missing program argument --jobs");
    assertThatThrownBy(
            () -> ClusterJobMain.parse(new String[] {"--jobs", "nope", "--kafka", "k:9092"}))
        .hasMessageStartingWith("Invalid job name nope: expected one of");
    assertThatThrownBy(() -> ClusterJobMain.parse(new String[] {"--jobs", "ingest", "--bogus"}))
        .hasMessageStartingWith("Unknown program argument --bogus");
    assertThatThrownBy(
            () ->
                ClusterJobMain.parse(
                    new String[] {"--jobs", "ingest", "--kafka", "k", "--parallelism", "0"}))
        .hasMessage("Invalid value \"0\" for --parallelism: expected a whole number, at least 1");
    assertThatThrownBy(
            () ->
                ClusterJobMain.parse(
                    new String[] {"--jobs", "ingest", "--kafka", "k", "--warehouse", "/w"}))
        .hasMessage("Invalid program arguments: --warehouse needs --catalog-uri");
    assertThatThrownBy(
            () ->
                ClusterJobMain.parse(
                    new String[] {"--jobs", "ingest", "--kafka", "k", "--indicator-topics", "x"}))
        .hasMessage("Invalid value \"x\" for --indicator-topics: expected on or off");
  }
}
