package io.ironlake.cli;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.check.CollectorCheck;
import io.ironlake.collector.check.ConditionAck;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The edge collector under {@code ironlake collector}. */
@Command(
    name = "collector",
    mixinStandardHelpOptions = true,
    description = "The edge collector: OPC UA and MQTT sources to Kafka.",
    subcommands = {
      CollectorCommand.Run.class,
      CollectorCommand.Check.class,
      CollectorCommand.Ack.class
    })
final class CollectorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the collector with a config file until Ctrl-C. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Runs the collector with a YAML config file until Ctrl-C.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The collector's YAML file.")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      CollectorConfig cfg = CollectorConfigLoader.load(config);
      CountDownLatch stop = new CountDownLatch(1);
      try (EdgeCollector collector = EdgeCollector.start(cfg, Clock.systemUTC())) {
        collector.watch(config, Duration.ofSeconds(1));
        Runtime.getRuntime()
            .addShutdownHook(new Thread(stop::countDown, "ironlake-collector-stop"));
        out.println(
            "Collector "
                + cfg.id()
                + " running with "
                + config
                + " (changes of its sources are applied as the file changes)"
                + (collector.httpPort() > 0
                    ? "; health and metrics on http://"
                        + cfg.http().bind()
                        + ":"
                        + collector.httpPort()
                        + "/health/ready and /metrics"
                    : "")
                + ". Ctrl-C to stop.");
        out.flush();
        while (!stop.await(10, TimeUnit.SECONDS)) {
          CollectorStats s = collector.stats();
          out.printf(
              "read %,d | sent %,d | dead letters %,d | send errors %,d | sources %s%n",
              s.pointsRead(),
              s.pointsSent(),
              s.deadLetters(),
              s.sendErrors(),
              collector.sourceStates());
          out.flush();
        }
      }
      return 0;
    }
  }

  /** Validates a config file and connects to each of its sources without sending anything. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a collector YAML file, connects to each source (not to Kafka, and without"
            + " touching the state folder or spool) and prints what it would map: OPC UA nodes"
            + " found and missing per device, MQTT devices and tags seen while listening and the"
            + " messages that would be dead letters.",
        "Exit code 0 when every source is reachable, 1 when one is not (or an OPC UA node is"
            + " missing), 2 for an invalid file."
      })
  static final class Check implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The collector's YAML file.")
    Path config;

    @Option(
        names = "--listen",
        defaultValue = "10s",
        description = "How long to listen to each MQTT source (default ${DEFAULT-VALUE}).")
    Duration listen;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      CollectorConfig cfg = CollectorConfigLoader.load(config);
      return CollectorCheck.run(cfg, listen, spec.commandLine().getOut());
    }
  }

  /** Acknowledges an OPC UA condition on the server of one of the file's sources. */
  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description = {
        "Acknowledges an OPC UA condition (Alarms & Conditions) on the server of an opcua source"
            + " of the file, by the condition_id and event_id of its record on events.v1.",
        "Exit code 0 when the server accepted it, 1 when it refused (e.g. Bad_EventIdUnknown: not"
            + " the condition's latest event) or cannot be reached, 2 for an invalid argument."
      })
  static final class Ack implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The collector's YAML file.")
    Path config;

    @Option(names = "--source", required = true, description = "The name of an opcua source.")
    String source;

    @Option(
        names = "--condition",
        required = true,
        description = "The condition_id of the record on events.v1.")
    String condition;

    @Option(
        names = "--event-id",
        required = true,
        description = "The event_id (hex) of the condition's latest record on events.v1.")
    String eventId;

    @Option(
        names = "--comment",
        defaultValue = "",
        description = "A comment sent with the acknowledgement.")
    String comment;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      CollectorConfig cfg = CollectorConfigLoader.load(config);
      return ConditionAck.run(
          cfg,
          config,
          source,
          condition,
          eventId,
          comment,
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
