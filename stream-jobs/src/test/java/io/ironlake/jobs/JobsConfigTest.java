package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.jobs.rules.IndicatorDefaults;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsConfigTest {
  @TempDir Path dataDir;

  @Test
  void defaultsAreTheDocumentedOnes() {
    JobsConfig c = JobsConfig.builder().kafkaBootstrapServers("k:9092").dataDir(dataDir).build();

    assertThat(c.topic()).isEqualTo("telemetry.v1");
    assertThat(c.groupId()).isEqualTo("ironlake-jobs");
    assertThat(c.startingOffsets()).isEqualTo(JobsConfig.StartingOffsets.EARLIEST);
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.dedupTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.parallelism()).isEqualTo(1);
    assertThat(c.taskSlots()).isEqualTo(2);
    assertThat(c.restoreFromLatest()).isTrue();
    assertThat(c.catalogProperties())
        .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .containsEntry(
            "uri", "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("catalog/iceberg.db"));
    assertThat(c.checkpointDir()).isEqualTo(dataDir.toAbsolutePath().resolve("flink/checkpoints"));
    assertThat(c.ruleCatalog()).isEqualTo(RuleCatalog.defaults());
    assertThat(c.alarmsTopic()).isEqualTo("alarms.v1");
    assertThat(c.alarmCommandsTopic()).isEqualTo("alarm-commands.v1");
    assertThat(c.bounded()).isFalse();
    assertThat(c.indicatorTopics()).isEqualTo(IndicatorTopics.DEFAULTS);
    assertThat(c.indicatorTopics().topicsOf(IronlakeJobs.KNOWN))
        .containsExactly(
            "data-quality.v1",
            "energy-demand.v1",
            "energy-peak.v1",
            "energy-shift.v1",
            "energy.v1",
            "oee.v1",
            "spc.v1");
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().bounded(true).build().toBuilder().build().bounded()).isTrue();
  }

  @Test
  void theConstructorWithoutRulesKeepsTheDefaults() {
    JobsConfig c = JobsConfig.builder().kafkaBootstrapServers("k:9092").dataDir(dataDir).build();
    JobsConfig old =
        new JobsConfig(
            c.kafkaBootstrapServers(),
            c.dataDir(),
            c.catalogProperties(),
            c.topic(),
            c.groupId(),
            c.startingOffsets(),
            c.checkpointInterval(),
            c.maxOutOfOrderness(),
            c.idleTimeout(),
            c.dedupTtl(),
            c.parallelism(),
            c.taskSlots(),
            c.restoreFromLatest());
    assertThat(old).isEqualTo(c);
  }

  @Test
  void rulesAndAlarmTopicsAreSettable() {
    RuleCatalog rules = IndicatorDefaults.builder().noPatterns().build();
    JobsConfig c =
        JobsConfig.builder()
            .kafkaBootstrapServers("k:9092")
            .dataDir(dataDir)
            .ruleCatalog(rules)
            .alarmsTopic("alarms.test")
            .alarmCommandsTopic("commands.test")
            .build();
    assertThat(c.ruleCatalog().patterns()).isEmpty();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThatThrownBy(() -> c.toBuilder().alarmsTopic(" ").build())
        .hasMessage("Missing value for `alarmsTopic`");
  }

  @Test
  void givenCatalogPropertiesReplaceTheLocalOnes() {
    Map<String, String> rest = Map.of("type", "rest", "uri", "http://catalog:8181");
    JobsConfig c =
        JobsConfig.builder()
            .kafkaBootstrapServers("k:9092")
            .dataDir(dataDir)
            .catalogProperties(rest)
            .build();
    assertThat(c.catalogProperties()).isEqualTo(rest);
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    JobsConfig.Builder b = JobsConfig.builder().kafkaBootstrapServers("k:9092").dataDir(dataDir);

    assertThatThrownBy(() -> JobsConfig.builder().dataDir(dataDir).build())
        .hasMessage("Missing value for `kafkaBootstrapServers`");
    assertThatThrownBy(() -> b.checkpointInterval(Duration.ZERO).build())
        .hasMessage("Invalid value PT0S for `checkpointInterval`: expected a positive duration");
    assertThatThrownBy(
            () -> b.checkpointInterval(Duration.ofSeconds(1)).parallelism(4).taskSlots(2).build())
        .hasMessage("Invalid value 2 for `taskSlots`: expected at least `parallelism` (4)");
  }

  @Test
  void unknownJobNamesAreRefused() {
    assertThatThrownBy(() -> IronlakeJobs.checkNames(Set.of("ingest", "oee")))
        .hasMessage(
            "Invalid job name oee: expected one of [dataquality, energy, ingest, quality, safety]");
    assertThatThrownBy(() -> IronlakeJobs.checkNames(Set.of()))
        .hasMessage(
            "Invalid job names []: expected one or more of [dataquality, energy, ingest, quality, safety]");
  }

  @Test
  void indicatorTopicsAreSettableAndChecked() {
    IndicatorTopics t =
        IndicatorTopics.DEFAULTS.withTopic("spc", "spc.plant-a").withoutTopic("energy_peak");
    assertThat(t.topicFor(IronlakeTables.SPC)).contains("spc.plant-a");
    assertThat(t.topicFor(IronlakeTables.ENERGY_PEAK)).isEmpty();
    assertThat(t.topicFor(IronlakeTables.TELEMETRY)).isEmpty();
    assertThat(t.topicsOf(Set.of("quality"))).containsExactly("oee.v1", "spc.plant-a");
    assertThat(IndicatorTopics.OFF.topicFor(IronlakeTables.SPC)).isEmpty();
    assertThat(IndicatorTopics.OFF.topicsOf(IronlakeJobs.KNOWN)).isEmpty();
    JobsConfig c =
        JobsConfig.builder()
            .kafkaBootstrapServers("k:9092")
            .dataDir(dataDir)
            .indicatorTopics(IndicatorTopics.OFF)
            .build();
    assertThat(c.toBuilder().build().indicatorTopics()).isEqualTo(IndicatorTopics.OFF);
    assertThatThrownBy(() -> IndicatorTopics.DEFAULTS.withTopic("telemetry", "t.v1"))
        .hasMessageStartingWith("Invalid table telemetry for `indicatorTopics`: expected one of");
    assertThatThrownBy(() -> IndicatorTopics.DEFAULTS.withTopic("spc", " "))
        .hasMessage("Missing value for `indicatorTopics.spc`");
    assertThatThrownBy(
            () ->
                JobsConfig.builder()
                    .kafkaBootstrapServers("k:9092")
                    .dataDir(dataDir)
                    .indicatorTopics(null)
                    .build())
        .hasMessage("Missing value for `indicatorTopics`");
  }
}
