package io.ironlake.cli;

import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Options and the run loop shared by {@code jobs run} and {@code jobs submit}: a job on a local
 * MiniCluster until Ctrl-C or {@code --duration}, stopped with a savepoint.
 */
final class JobRunOptions {
  @Option(
      names = "--kafka",
      required = true,
      description = "Kafka bootstrap servers, host:port[,...].")
  String kafka;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "10s",
      description = "Checkpoint (and Iceberg commit) interval (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--duration",
      description =
          "Stop by itself after this long (e.g. 10m), with a savepoint. Default: until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--fresh",
      description = "Start over from the topic's beginning instead of the newest savepoint.")
  boolean fresh;

  /** The initial rule catalog; null for the built-in one. Set by the command, not an option. */
  RuleCatalog ruleCatalog;

  /**
   * Opens the lakehouse under {@code lakeDir}, starts the job with its checkpoints under {@code
   * flinkDir}, reports every ten seconds and stops with a savepoint on Ctrl-C or at the end of
   * {@code --duration}.
   */
  void run(
      PrintWriter out,
      Path lakeDir,
      Path flinkDir,
      String label,
      Function<JobsConfig, LocalJobRunner> start,
      Function<LakehouseCatalog, Supplier<String>> report)
      throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.install(stop);
    try (LakehouseCatalog lake = LakehouseCatalog.open(lakeDir)) {
      lake.createMissingTables();
      JobsConfig config =
          JobsConfig.builder()
              .kafkaBootstrapServers(kafka)
              .dataDir(flinkDir)
              .catalogProperties(lake.properties())
              .checkpointInterval(checkpointInterval)
              .restoreFromLatest(!fresh)
              .ruleCatalog(ruleCatalog)
              .build();
      Supplier<String> status = report.apply(lake);
      try (LocalJobRunner runner = start.apply(config)) {
        out.println(
            "Running "
                + label
                + " (job "
                + runner.jobId()
                + ")"
                + runner.restoredFrom().map(p -> ", restored from " + p).orElse("")
                + ". Ctrl-C stops with a savepoint.");
        out.flush();
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline
            && !stop.await(
                Math.min(10_000_000_000L, Math.max(1, deadline - System.nanoTime())),
                TimeUnit.NANOSECONDS)) {
          out.println(runner.status() + "  " + status.get());
          out.flush();
        }
        out.println("Stopping with a savepoint...");
        out.flush();
      }
      out.println("Stopped. " + status.get());
      out.flush();
    }
  }
}
