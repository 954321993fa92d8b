package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.quality.ChartType;
import io.ironlake.jobs.quality.ControlLimits;
import io.ironlake.jobs.quality.ShiftCalendar;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.rules.IndicatorDefaults;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.jobs.safety.AlarmCommand;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmJson;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality and safety jobs as the quickstart runs them (every built-in job on one {@link
 * LocalJobRunner}, points from Kafka), checked where a user looks: the Iceberg tables and {@code
 * alarms.v1}, with an acknowledgement sent through the command topic.
 */
class IndicatorJobsIT {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String TOPIC = "telemetry.indicators";
  private static final String ALARMS = "alarms.indicators";
  private static final String COMMANDS = "alarm-commands.indicators";
  private static final Instant T0 = Instant.parse("2025-03-04T08:00:00Z");

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
    kafka.createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void qualityAndSafetyIndicatorsReachTheTablesAndTheAlarmTopic(@TempDir Path dataDir)
      throws Exception {
    StaticRuleCatalog rules =
        IndicatorDefaults.builder()
            .spc(
                "dia",
                SpcParams.builder()
                    .subgroupSize(2)
                    .specLimits(11.95, 12.05)
                    .configuredLimits(ControlLimits.fromProcess(ChartType.XBAR_R, 2, 12.0, 0.01))
                    .build())
            .oee(
                IndicatorDefaults.OEE.withShifts(
                    ShiftCalendar.every(ZoneOffset.UTC, LocalTime.MIDNIGHT, Duration.ofHours(1))))
            .idealCycleTime("plant-sh/assembly/line-1/m1", Duration.ofSeconds(1))
            .safety(
                "temp",
                new TagSafetyParams(
                    LimitAlarmParams.builder().high(80).deadband(2).build(), null, null))
            .build();
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("indicators-test")
            .checkpointInterval(Duration.ofSeconds(1))
            .ruleCatalog(rules)
            .alarmsTopic(ALARMS)
            .alarmCommandsTopic(COMMANDS)
            .build();
    TestPoints t = new TestPoints("plant-sh", "assembly", T0);
    List<TelemetryPoint> points = new ArrayList<>();
    points.add(t.at("line-1", "m1", "state", 0, PointValue.of("RUNNING")));
    points.add(t.at("line-1", "m1", "total_count", 0, PointValue.of(1_000L)));
    points.add(t.at("line-1", "m1", "good_count", 0, PointValue.of(900L)));
    points.add(t.at("line-1", "m1", "dia", 1, PointValue.of(12.00)));
    points.add(t.at("line-1", "m1", "dia", 2, PointValue.of(12.02)));
    points.add(t.at("line-1", "m1", "dia", 3, PointValue.of(11.99)));
    points.add(t.at("line-1", "m1", "dia", 4, PointValue.of(11.97)));
    points.add(t.at("line-1", "m1", "temp", 10, PointValue.of(70.0)));
    points.add(t.at("line-1", "m1", "temp", 20, PointValue.of(85.0))); // H raised
    points.add(t.at("line-1", "m1", "coolant_flow_lpm", 25, PointValue.of(1.0)));
    points.add(t.at("line-1", "m1", "temperature_c", 30, PointValue.of(50.0))); // pattern
    points.add(t.at("line-1", "m1", "total_count", 3000, PointValue.of(1_100L)));
    points.add(t.at("line-1", "m1", "good_count", 3000, PointValue.of(995L)));
    points.add(t.at("line-1", "m1", "state", 3000, PointValue.of("IDLE")));
    points.add(t.at("line-1", "m1", "speed_rpm", 3720, PointValue.of(0.0))); // moves the watermark

    List<AlarmEvent> onTopic = new ArrayList<>();
    try (LocalJobRunner jobs = LocalJobRunner.start(config, IronlakeJobs.ALL);
        TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), TOPIC);
        TelemetryProducer commands = new TelemetryProducer(kafka.bootstrapServers(), COMMANDS);
        KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      points.forEach(producer::send);
      consumer.subscribe(List.of(ALARMS));

      awaitOnTopic("H RAISED", consumer, onTopic, e -> e.type().name().equals("H"));
      AlarmEvent raised =
          onTopic.stream().filter(e -> e.type().name().equals("H")).findFirst().orElseThrow();
      assertThat(raised.alarmId()).isEqualTo("plant-sh/assembly/line-1/m1/temp/H/" + t.micros(20));

      // A malformed command is skipped; the ACK is applied.
      commands.sendRaw("x", "not json".getBytes(StandardCharsets.UTF_8));
      commands.sendRaw(
          raised.alarmId(),
          AlarmJson.toJson(
              new AlarmCommand(AlarmCommand.ACK, raised.alarmId(), "operator-7", t.micros(40))));
      awaitOnTopic("ACKNOWLEDGED", consumer, onTopic, e -> e.state().name().equals("ACKNOWLEDGED"));
      // The pattern alarm is published on its own: the topic may show it after the ACK.
      awaitOnTopic("PATTERN RAISED", consumer, onTopic, e -> e.type().name().equals("PATTERN"));

      producer.send(t.at("line-1", "m1", "temp", 3780, PointValue.of(70.0))); // H cleared
      producer.send(t.at("line-1", "m1", "speed_rpm", 3790, PointValue.of(0.0)));
      await("CLEARED in ironlake.alarms")
          .atMost(DEADLINE)
          .until(
              () ->
                  rows(dataDir, "alarms").stream()
                      .anyMatch(r -> "CLEARED".equals(r.getField("state"))));
      await("the 08:00 shift in ironlake.oee")
          .atMost(DEADLINE)
          .until(() -> rows(dataDir, "oee").size() >= 2);
      await("ironlake.spc and ironlake.alarm_rate")
          .atMost(DEADLINE)
          .until(() -> rows(dataDir, "spc").size() >= 2 && !rows(dataDir, "alarm_rate").isEmpty());
      assertThat(jobs.status()).isEqualTo(JobStatus.RUNNING);
    }

    // Alarms: the H occurrence's lifecycle and the pattern, in the table and on the topic.
    List<Record> alarms = rows(dataDir, "alarms");
    assertThat(alarms)
        .extracting(r -> r.getField("type") + " " + r.getField("state"))
        .containsExactlyInAnyOrder("H RAISED", "H ACKNOWLEDGED", "H CLEARED", "PATTERN RAISED");
    Record acked =
        alarms.stream()
            .filter(r -> "ACKNOWLEDGED".equals(r.getField("state")))
            .findFirst()
            .orElseThrow();
    assertThat(acked.getField("actor")).isEqualTo("operator-7");
    assertThat(acked.getField("alarm_id"))
        .isEqualTo("plant-sh/assembly/line-1/m1/temp/H/" + t.micros(20));
    assertThat(acked.getField("raised_ts")).isEqualTo(at(20));
    assertThat(acked.getField("ts")).isEqualTo(at(40));
    Record pattern =
        alarms.stream().filter(r -> "PATTERN".equals(r.getField("type"))).findFirst().orElseThrow();
    assertThat(pattern.getField("tag")).isEqualTo("overheat-without-coolant");
    assertThat(pattern.getField("priority")).isEqualTo("HIGH");
    assertThat(pattern.getField("ts")).isEqualTo(at(30));
    assertThat(onTopic)
        .extracting(e -> e.type() + " " + e.state())
        .contains("H RAISED", "H ACKNOWLEDGED", "PATTERN RAISED");

    // Alarm rate: two alarms raised on line-1 in 08:00-08:10.
    assertThat(rows(dataDir, "alarm_rate"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getField("line")).isEqualTo("line-1");
              assertThat(r.getField("window_start")).isEqualTo(at(0));
              assertThat(r.getField("alarms")).isEqualTo(2);
              assertThat(r.getField("flood")).isEqualTo(false);
            });

    // SPC: two subgroups of two against the configured limits 12 ± 3·0.01/√2.
    List<Record> spc = rows(dataDir, "spc");
    assertThat(spc).hasSize(2);
    assertThat(spc)
        .allSatisfy(
            r -> {
              assertThat(r.getField("limits_source")).isEqualTo("CONFIGURED");
              assertThat((Double) r.getField("ucl")).isCloseTo(12.0212132, Offset.offset(1e-7));
              assertThat(r.getField("in_control")).isEqualTo(true);
              assertThat(r.getField("violated_rules")).isEqualTo("");
            });

    // OEE 08:00-09:00: RUNNING 50 min, IDLE 10 min; 100 parts of ideal 1 s, 95 good.
    List<Record> oee = rows(dataDir, "oee");
    Record device = only(oee, "DEVICE");
    assertThat(device.getField("device")).isEqualTo("m1");
    assertThat(device.getField("shift_start")).isEqualTo(at(0));
    assertThat(device.getField("shift_end")).isEqualTo(at(3600));
    assertThat(device.getField("run_seconds")).isEqualTo(3000.0);
    assertThat(device.getField("idle_seconds")).isEqualTo(600.0);
    assertThat((Double) device.getField("availability"))
        .isCloseTo(3000.0 / 3600, Offset.offset(1e-12));
    assertThat((Double) device.getField("performance"))
        .isCloseTo(100.0 / 3000, Offset.offset(1e-12));
    assertThat((Double) device.getField("quality")).isCloseTo(0.95, Offset.offset(1e-12));
    assertThat((Double) device.getField("oee")).isCloseTo(95.0 / 3600, Offset.offset(1e-12));
    assertThat(device.getField("scrap")).isEqualTo(5L);
    Record line = only(oee, "LINE");
    assertThat(line.getField("device")).isNull();
    assertThat(line.getField("oee")).isEqualTo(device.getField("oee"));
  }

  private static Record only(List<Record> oee, String scope) {
    return oee.stream().filter(r -> scope.equals(r.getField("scope"))).findFirst().orElseThrow();
  }

  private static OffsetDateTime at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000)).atOffset(ZoneOffset.UTC);
  }

  private static List<Record> rows(Path dataDir, String table) {
    return LakeReads.rows(dataDir, IronlakeTables.byName(table).identifier());
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "indicators-test-reader",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Polls {@code consumer} into {@code onTopic} until an event matches, within the deadline. */
  private static void awaitOnTopic(
      String what,
      KafkaConsumer<byte[], byte[]> consumer,
      List<AlarmEvent> onTopic,
      Predicate<AlarmEvent> match) {
    await(what + " on " + ALARMS)
        .atMost(DEADLINE)
        .until(() -> poll(consumer, onTopic).stream().anyMatch(match));
  }

  private static List<AlarmEvent> poll(
      KafkaConsumer<byte[], byte[]> consumer, List<AlarmEvent> into) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      into.add(AlarmJson.parseEvent(r.value()));
    }
    return into;
  }
}
