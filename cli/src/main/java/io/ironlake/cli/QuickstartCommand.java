package io.ironlake.cli;

import io.ironlake.cli.quickstart.ProgressLine;
import io.ironlake.cli.quickstart.QuickstartOptions;
import io.ironlake.cli.quickstart.QuickstartPipeline;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.jobs.IndicatorTopics;
import io.ironlake.jobs.IronlakeJobs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the whole pipeline embedded in this JVM on a simulated factory. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline in one JVM on a simulated factory.",
      "",
      "Starts OPC UA and MQTT simulators, the edge collector, a Kafka broker (KRaft), the Flink",
      "jobs on a local MiniCluster and the Iceberg lakehouse under --data-dir. Stops on Ctrl-C, or",
      "after --duration with a summary.",
      "INSECURE: for a laptop only (no TLS, anonymous OPC UA and MQTT, ports on 127.0.0.1)."
    })
final class QuickstartCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Mixin PlantOptions plant;

  @Option(
      names = "--duration",
      description =
          "Run this long, then stop and print a summary (e.g. 90s, 5m). Default: until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--speed",
      defaultValue = "10",
      description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "10s",
      description =
          "Flink checkpoint interval: how often rows are committed to Iceberg (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description =
          "The jobs' initial rule catalog (YAML; default: the built-in rules with the simulated"
              + " machines' ideal cycle times). `jobs rules apply` changes it while running.")
  java.nio.file.Path rules;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    io.ironlake.jobs.rules.RuleCatalog catalog = null;
    if (rules != null) {
      catalog = RulesCommand.load(rules, spec);
      if (catalog == null) {
        return 1;
      }
    }
    QuickstartOptions options =
        QuickstartOptions.builder(data.dataDir())
            .speed(speed)
            .opcUaLines(plant.lines)
            .machinesPerLine(plant.machinesPerLine)
            .mqttLines(plant.mqttLines)
            .checkpointInterval(checkpointInterval)
            .ruleCatalog(catalog)
            .build();
    out.println(
        "Ironlake quickstart: INSECURE local demo (anonymous OPC UA and MQTT on 127.0.0.1).");
    out.println("Data directory: " + data.dataDir() + "   logs: " + data.dataDir().resolve("logs"));
    out.println("Starting Kafka, the lakehouse, Flink, the simulated factory and the collector...");
    out.flush();

    // Ctrl-C (SIGINT) and SIGTERM only ask us to stop: the JVM does not start shutting down, so
    // every part is still alive while we drain and close in order. A second Ctrl-C exits at once.
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.install(stop);

    QuickstartPipeline started = QuickstartPipeline.start(options);
    try (QuickstartPipeline pipeline = started) {
      out.println("OPC UA simulator: " + pipeline.opcUaEndpoint());
      out.println("MQTT broker:      " + pipeline.mqttBrokerUrl());
      out.println("Kafka:            " + pipeline.kafkaBootstrapServers());
      out.println("Collector config: " + pipeline.collectorConfigFile());
      out.println(
          "Live topics:      "
              + String.join(", ", liveTopics(options.jobs()))
              + " (JSON, keyed by device/line path; rows appear at each checkpoint)");
      out.println(
          "  consume e.g.:   kafka-console-consumer.sh --bootstrap-server "
              + pipeline.kafkaBootstrapServers()
              + " --topic "
              + Topics.ENERGY
              + " --from-beginning --isolation-level read_committed --property print.key=true");
      out.println(duration == null ? "Running; Ctrl-C to stop." : "Running for " + duration + ".");
      out.flush();

      ProgressLine progress = new ProgressLine(out, System.console() != null);
      long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < deadline && !stop.await(1, TimeUnit.SECONDS)) {
        progress.update(pipeline.stats());
      }
      progress.finish();
      out.println(
          "Stopping: draining what was collected into the lakehouse (Ctrl-C again exits at once)...");
      out.flush();
      boolean drained = pipeline.drain(Duration.ofSeconds(60));
      QuickstartPipeline.Stats s = pipeline.stats();
      out.println();
      out.println("Summary");
      out.printf("  points collected       %,d%n", s.pointsRead());
      out.printf("  points sent to Kafka   %,d%n", s.pointsSent());
      out.printf("  dead letters           %,d%n", s.deadLetters());
      s.tableRows()
          .forEach((table, rows) -> out.printf("  %-22s %,d rows%n", "ironlake." + table, rows));
      if (!drained) {
        out.println("  (not every point had reached the lakehouse when the drain deadline passed)");
      }
      out.println();
      out.println("Query what landed, e.g.:");
      out.println(
          "  ./ironlake sql \"SELECT line, device, round(sum(energy_kwh), 3) AS kwh FROM ironlake.energy GROUP BY line, device ORDER BY line, device\"");
      out.flush();
    }
    return 0;
  }

  /** The Kafka topics the quickstart's jobs fill for live consumers: alarms and indicator rows. */
  static List<String> liveTopics(Set<String> jobs) {
    List<String> topics = new ArrayList<>();
    if (jobs.contains(IronlakeJobs.SAFETY)) {
      topics.add(Topics.ALARMS);
    }
    topics.addAll(IndicatorTopics.DEFAULTS.topicsOf(jobs));
    return topics;
  }
}
