package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety job's tasks: the alarms Kafka sink shares its task thread with the alarm lifecycle
 * only, never with an Iceberg writer, whose Parquet flush at each checkpoint would hold up live
 * alarms on {@code alarms.v1}.
 */
class SafetyJobGraphTest {
  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theAlarmsKafkaSinkIsNotChainedToATableWriter(@TempDir Path dataDir) {
    assertThat(taskNames(dataDir, Set.of(IronlakeJobs.SAFETY)))
        .anySatisfy(
            task -> assertThat(task).startsWith("alarm-lifecycle").contains("alarms.v1: Writer"))
        .anySatisfy(
            task ->
                assertThat(task)
                    .startsWith("safety-alarms-table-rows")
                    .contains("safety-alarms-table: Writer"))
        .allSatisfy(
            task -> {
              if (task.contains("alarms.v1: Writer")) {
                assertThat(task).doesNotContain("table: Writer");
              }
            });
  }

  @Test
  void withEveryJobTheAlarmsKafkaSinkStaysApartFromTableWriters(@TempDir Path dataDir) {
    List<String> tasks = taskNames(dataDir, IronlakeJobs.KNOWN);

    assertThat(tasks).filteredOn(t -> t.contains("alarms.v1: Writer")).hasSize(1);
    assertThat(tasks)
        .filteredOn(t -> t.contains("alarms.v1: Writer"))
        .allSatisfy(t -> assertThat(t).doesNotContain("table: Writer"));
  }

  private static List<String> taskNames(Path dataDir, Set<String> jobs) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .parallelism(2)
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    IronlakeJobs.addJobs(env, config, jobs);
    Iterable<JobVertex> vertices = env.getStreamGraph().getJobGraph().getVertices();
    return StreamSupport.stream(vertices.spliterator(), false).map(JobVertex::getName).toList();
  }
}
