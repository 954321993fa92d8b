package io.ironlake.cli;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
    subcommands = {CollectorCommand.Run.class})
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
        Runtime.getRuntime()
            .addShutdownHook(new Thread(stop::countDown, "ironlake-collector-stop"));
        out.println("Collector " + cfg.id() + " running with " + config + ". Ctrl-C to stop.");
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
}
