package io.ironlake.cli;

import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import io.ironlake.lakehouse.tables.TableStats;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The Flink jobs under {@code ironlake jobs}. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description =
        "Ironlake's Flink jobs: list them, run them here, submit them to a Flink cluster, run your"
            + " own Flink SQL, apply rule catalogs.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Run.class,
      JobsCommand.Submit.class,
      RulesCommand.class
    })
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

    @Mixin JobRunOptions job;

    @Option(
        names = "--rules",
        paramLabel = "FILE",
        description =
            "The initial rule catalog (YAML; default: the built-in rules). A catalog published"
                + " with `jobs rules apply` replaces it while the jobs run.")
    java.nio.file.Path rules;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (rules != null) {
        job.ruleCatalog = RulesCommand.load(rules, spec);
        if (job.ruleCatalog == null) {
          return 1;
        }
      }
      Set<String> jobs =
          names == null || names.isEmpty() ? IronlakeJobs.ALL : new LinkedHashSet<>(names);
      job.run(
          out,
          data.dataDir(),
          data.dataDir(),
          new TreeSet<>(jobs).toString(),
          config -> LocalJobRunner.start(config, jobs),
          lake -> () -> rows(new TableStats(lake.catalog())));
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

  /**
   * Submits built-in jobs to a Flink cluster ({@code NAME --flink URL}), or runs an engineer's
   * Flink SQL script on a MiniCluster in this JVM ({@code --sql FILE}).
   */
  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Submits built-in jobs to a Flink cluster, or runs your own Flink SQL job in this JVM.",
        "",
        "NAME[,NAME] --flink URL: uploads the job jar through the cluster's REST API, runs the",
        "named jobs as one Flink job reading telemetry.v1 from --kafka and writing the Iceberg",
        "catalog (--catalog-uri, or the local one under --data-dir if the cluster sees it), and",
        "prints the job id once it runs. Kafka and the catalog must be reachable from the cluster.",
        "",
        "--sql FILE: runs the script on a Flink MiniCluster in this JVM until Ctrl-C. Before it",
        "runs, the table `telemetry` (telemetry.v1 on --kafka, one row per point, watermark on",
        "ts) and the catalog `ironlake` (the lakehouse under --data-dir) are registered.",
        "Statements are separated by `;`; every INSERT INTO joins one streaming job.",
        "Example: stream-jobs/examples/temperature-max.sql"
      })
  static final class Submit implements Callable<Integer> {
    @Mixin DataDirOption data;

    @Parameters(
        arity = "0..1",
        paramLabel = "NAME[,NAME]",
        description = "Built-in jobs to submit with --flink. See `ironlake jobs list`.")
    String names;

    @Option(names = "--sql", description = "The Flink SQL script to run in this JVM.")
    java.nio.file.Path sql;

    @Mixin JobRunOptions job;

    @Mixin ClusterSubmitOptions cluster;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (cluster.requested()) {
        if (sql != null || names == null) {
          throw new ParameterException(
              spec.commandLine(),
              "With --flink, name the built-in jobs to submit (e.g. `ingest,energy`), not --sql");
        }
        if (job.duration != null || job.fresh) {
          throw new ParameterException(
              spec.commandLine(), "--duration and --fresh apply to --sql runs in this JVM");
        }
        return cluster.submit(
            out,
            spec.commandLine().getErr(),
            names,
            job.kafka,
            job.checkpointInterval,
            data.dataDir());
      }
      if (sql == null) {
        throw new ParameterException(
            spec.commandLine(),
            names == null
                ? "Missing --flink URL (submit built-in jobs) or --sql FILE (run a SQL job here)"
                : "Missing --flink URL: where to submit " + names);
      }
      if (names != null) {
        throw new ParameterException(
            spec.commandLine(), "--sql runs one script; job names go with --flink");
      }
      if (!java.nio.file.Files.isRegularFile(sql)) {
        spec.commandLine()
            .getErr()
            .println("ironlake: Cannot read SQL script " + sql + ": no such file");
        return 1;
      }
      String script = java.nio.file.Files.readString(sql);
      String name = sql.getFileName().toString().replaceFirst("\\.sql$", "");
      // Each script keeps its own checkpoints and savepoints.
      job.run(
          out,
          data.dataDir(),
          data.dataDir().resolve("sql-jobs").resolve(name),
          "SQL job " + name,
          config -> LocalJobRunner.startSql(config, name, script),
          lake -> () -> "");
      return 0;
    }
  }
}
