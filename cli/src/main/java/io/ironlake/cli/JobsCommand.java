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
    description = "Ironlake's Flink jobs: list them, run them, run your own Flink SQL.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Run.class, JobsCommand.Submit.class})
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
      new TreeSet<>(IronlakeJobs.KNOWN).forEach(spec.commandLine().getOut()::println);
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
          awaitStop(stop, duration, () -> out.println(runner.status() + "  " + rows(stats)), out);
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

  /** Waits for Ctrl-C or the end of the duration, reporting every ten seconds. */
  static void awaitStop(CountDownLatch stop, Duration duration, Runnable report, PrintWriter out)
      throws InterruptedException {
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline
        && !stop.await(
            Math.min(10_000_000_000L, Math.max(1, deadline - System.nanoTime())),
            TimeUnit.NANOSECONDS)) {
      report.run();
      out.flush();
    }
  }

  /** Runs an engineer's Flink SQL script on a MiniCluster in this JVM. */
  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Runs your own Flink SQL job on a Flink MiniCluster in this JVM until Ctrl-C.",
        "",
        "Before the script runs, the table `telemetry` (telemetry.v1 on --kafka, one row per point,",
        "watermark on ts) and the catalog `ironlake` (the lakehouse under --data-dir) are",
        "registered. Statements are separated by `;`; every INSERT INTO joins one streaming job.",
        "Example: stream-jobs/examples/temperature-max.sql"
      })
  static final class Submit implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Option(names = "--sql", required = true, description = "The Flink SQL script.")
    java.nio.file.Path sql;

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
        description = "Stop by itself after this long, with a savepoint. Default: until Ctrl-C.")
    Duration duration;

    @Option(
        names = "--fresh",
        description = "Start over instead of resuming from the newest savepoint.")
    boolean fresh;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (!java.nio.file.Files.isRegularFile(sql)) {
        spec.commandLine()
            .getErr()
            .println("ironlake: Cannot read SQL script " + sql + ": no such file");
        return 1;
      }
      String script = java.nio.file.Files.readString(sql);
      String name = sql.getFileName().toString().replaceFirst("\\.sql$", "");
      CountDownLatch stop = new CountDownLatch(1);
      StopSignals.install(stop);
      try (LakehouseCatalog lake = LakehouseCatalog.open(data.dataDir())) {
        lake.createMissingTables();
        JobsConfig config =
            JobsConfig.builder()
                .kafkaBootstrapServers(kafka)
                // Each script keeps its own checkpoints and savepoints.
                .dataDir(data.dataDir().resolve("sql-jobs").resolve(name))
                .catalogProperties(lake.properties())
                .checkpointInterval(checkpointInterval)
                .restoreFromLatest(!fresh)
                .build();
        try (LocalJobRunner runner = LocalJobRunner.startSql(config, name, script)) {
          out.println(
              "Running SQL job "
                  + name
                  + " (job "
                  + runner.jobId()
                  + ")"
                  + runner.restoredFrom().map(p -> ", restored from " + p).orElse("")
                  + ". Ctrl-C stops with a savepoint.");
          out.flush();
          awaitStop(stop, duration, () -> out.println(runner.status()), out);
          out.println("Stopping with a savepoint...");
          out.flush();
        }
        out.println("Stopped.");
        out.flush();
      }
      return 0;
    }
  }
}
