package io.ironlake.cli;

import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import io.ironlake.lakehouse.tables.TableStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The Flink jobs under {@code ironlake jobs}. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "Ironlake's Flink jobs: list them, run them on a local MiniCluster.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Run.class})
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Lists the built-in jobs. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the built-in jobs.")
  static final class ListJobs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      new TreeSet<>(IronlakeJobs.ALL).forEach(spec.commandLine().getOut()::println);
      return 0;
    }
  }

  /** Runs built-in jobs on a MiniCluster in this JVM until Ctrl-C. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Runs built-in jobs on a Flink MiniCluster in this JVM until Ctrl-C.",
        "",
        "Reads telemetry.v1 from --kafka and writes the lakehouse under --data-dir. Ctrl-C stops",
        "with a savepoint (everything read is committed); the next run resumes from it."
      })
  static final class Run implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Parameters(
        arity = "0..*",
        paramLabel = "NAME",
        description = "Jobs to run (default: all). See `ironlake jobs list`.")
    List<String> names;

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
        description = "Start from the beginning of the topic instead of the newest savepoint.")
    boolean fresh;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Set<String> jobs =
          names == null || names.isEmpty() ? IronlakeJobs.ALL : new LinkedHashSet<>(names);
      CountDownLatch stop = new CountDownLatch(1);
      StopSignals.install(stop);
      try (LakehouseCatalog lake = LakehouseCatalog.open(data.dataDir())) {
        lake.createMissingTables();
        JobsConfig config =
            JobsConfig.builder()
                .kafkaBootstrapServers(kafka)
                .dataDir(data.dataDir())
                .catalogProperties(lake.properties())
                .checkpointInterval(checkpointInterval)
                .restoreFromLatest(!fresh)
                .build();
        TableStats stats = new TableStats(lake.catalog());
        try (LocalJobRunner runner = LocalJobRunner.start(config, jobs)) {
          out.println(
              "Running "
                  + new TreeSet<>(jobs)
                  + " (job "
                  + runner.jobId()
                  + ")"
                  + runner.restoredFrom().map(p -> ", restored from " + p).orElse("")
                  + ". Ctrl-C stops with a savepoint.");
          out.flush();
          long deadline =
              duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
          while (System.nanoTime() < deadline
              && !stop.await(
                  Math.min(10_000_000_000L, Math.max(1, deadline - System.nanoTime())),
                  TimeUnit.NANOSECONDS)) {
            out.println(runner.status() + "  " + rows(stats));
            out.flush();
          }
          out.println("Stopping with a savepoint...");
          out.flush();
        }
        out.println("Stopped. " + rows(stats));
        out.flush();
      }
      return 0;
    }

    private static String rows(TableStats stats) {
      StringJoiner joiner = new StringJoiner(", ", "rows: ", "");
      for (TableSpec table : IronlakeTables.all()) {
        joiner.add(table.identifier().name() + " " + stats.totalRecords(table.identifier()));
      }
      return joiner.toString();
    }
  }
}
