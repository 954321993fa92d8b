package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.rules.PublishedCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ironlake jobs rules check|apply}. */
class RulesCommandTest {
  private static final String EXAMPLE =
      Path.of("..", "stream-jobs", "examples", "rules.yaml").toString();

  @TempDir Path dir;

  @Test
  void checkAcceptsTheExampleAndListsEveryProblemOfABadFile() throws Exception {
    Result ok = execute("jobs", "rules", "check", EXAMPLE);
    assertThat(ok.code).as(ok.err).isZero();
    assertThat(ok.out)
        .contains(
            "Valid: catalog plant-sh from "
                + EXAMPLE
                + ": 1 spc, 2 oee, 3 safety, 1 data-quality, 2 energy rules, 1 patterns, flood 10 per"
                + " PT10M");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "name: bad\nrules:\n  - match: {tag: t}\n    safety: {limits: {hh: 1, h: 2}}\n"
            + "flood: {window: soon}\n");
    Result refused = execute("jobs", "rules", "check", bad.toString());
    assertThat(refused.code).isEqualTo(1);
    assertThat(refused.err)
        .contains("ironlake: Invalid rule catalog " + bad + ":")
        .contains(
            "  Invalid value 1 for `rules[0].safety.limits.hh` in "
                + bad
                + ": expected above h (2.0)")
        .contains("  Invalid value \"soon\" for `flood.window` in " + bad);
  }

  @Test
  void applyPublishesNumberedVersionsToACompactedTopicAndRefusesABadFile() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      Result first =
          execute("jobs", "rules", "apply", EXAMPLE, "--kafka", kafka.bootstrapServers());
      assertThat(first.code).as(first.err).isZero();
      assertThat(first.out).contains("Published catalog plant-sh").contains("as version 1 ");
      Result second =
          execute("jobs", "rules", "apply", EXAMPLE, "--kafka", kafka.bootstrapServers());
      assertThat(second.out).contains("as version 2 ");

      Path bad = dir.resolve("bad.yaml");
      Files.writeString(bad, "name: plant-sh\nrules: 3\n");
      Result refused =
          execute("jobs", "rules", "apply", bad.toString(), "--kafka", kafka.bootstrapServers());
      assertThat(refused.code).isEqualTo(1);
      assertThat(refused.err).contains("Invalid value 3 for `rules` in " + bad);

      List<PublishedCatalog> published = read(kafka.bootstrapServers(), "rules.v1");
      assertThat(published).extracting(PublishedCatalog::version).containsExactly(1L, 2L);
      assertThat(published.get(1).name()).isEqualTo("plant-sh");
      assertThat(published.get(1).yaml())
          .isEqualTo(Files.readString(Path.of(EXAMPLE), StandardCharsets.UTF_8));
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "rules.v1");
        Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      }
    }
  }

  private static List<PublishedCatalog> read(String bootstrap, String topic) {
    List<PublishedCatalog> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          out.add(PublishedCatalog.fromJson(r.value()));
        }
      }
    }
    return out;
  }

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = IronlakeMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
