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
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety job's tasks: the alarms Kafka sink never shares its task thread with an Iceberg
 * writer, whose Parquet flush at each checkpoint would hold up live alarms on {@code alarms.v1}; it
 * reads the fast path straight from the tag alarms; and only the fast path's exchanges have the
 * short buffer timeout.
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
        .anySatisfy(task -> assertThat(task).startsWith("alarms.v1: Writer"))
        .anySatisfy(task -> assertThat(task).startsWith("alarm-lifecycle"))
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

  @Test
  void theFastPathFeedsTheAlarmsTopicFromTheTagAlarms(@TempDir Path dataDir) {
    StreamGraph graph = streamGraph(dataDir, IronlakeJobs.KNOWN);
    StreamNode writer = node(graph, "alarms.v1: Writer");

    assertThat(writer.getInEdges())
        .extracting(e -> graph.getStreamNode(e.getSourceId()).getOperatorName())
        .containsExactlyInAnyOrder("tag-alarms", "alarms-live-from-lifecycle");
  }

  @Test
  void onlyTheFastPathHasTheShortBufferTimeout(@TempDir Path dataDir) {
    StreamGraph graph = streamGraph(dataDir, IronlakeJobs.KNOWN);
    long fast = SafetyJob.BUFFER_TIMEOUT.toMillis();

    assertThat(node(graph, "Source: telemetry.v1").getBufferTimeout()).isEqualTo(fast);
    assertThat(node(graph, "dedup-and-route").getBufferTimeout()).isEqualTo(fast);
    assertThat(node(graph, "safety-signals").getBufferTimeout()).isEqualTo(fast);
    assertThat(node(graph, "tag-alarms").getBufferTimeout()).isZero();
    assertThat(node(graph, "alarms-live-from-lifecycle").getBufferTimeout()).isZero();
    // Everything else keeps Flink's default, e.g. the table writers and the patterns.
    assertThat(node(graph, "safety-alarms-table: Writer").getBufferTimeout()).isEqualTo(100);
    assertThat(node(graph, "safety-alarm-rate-table-rows").getBufferTimeout()).isEqualTo(100);
    assertThat(node(graph, "pattern-signals").getBufferTimeout()).isEqualTo(100);
  }

  private static StreamNode node(StreamGraph graph, String name) {
    List<StreamNode> found =
        graph.getStreamNodes().stream().filter(n -> n.getOperatorName().equals(name)).toList();
    assertThat(found)
        .as(
            "operator %s among %s",
            name, graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList())
        .hasSize(1);
    return found.get(0);
  }

  private static StreamGraph streamGraph(Path dataDir, Set<String> jobs) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .parallelism(2)
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    IronlakeJobs.addJobs(env, config, jobs);
    return env.getStreamGraph();
  }

  private static List<String> taskNames(Path dataDir, Set<String> jobs) {
    Iterable<JobVertex> vertices = streamGraph(dataDir, jobs).getJobGraph().getVertices();
    return StreamSupport.stream(vertices.spliterator(), false).map(JobVertex::getName).toList();
  }
}
