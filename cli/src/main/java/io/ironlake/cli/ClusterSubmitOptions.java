package io.ironlake.cli;

import io.ironlake.cli.flink.FlinkRestClient;
import io.ironlake.cli.flink.FlinkRestException;
import io.ironlake.cli.flink.JarRun;
import io.ironlake.jobs.ClusterJobMain;
import io.ironlake.jobs.IronlakeJobs;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * Options of {@code jobs submit NAME --flink URL} and the submission itself: uploads the job jar to
 * a Flink cluster through its REST API, runs {@link ClusterJobMain} with the job names and
 * settings, and waits until the job runs or fails.
 */
final class ClusterSubmitOptions {
  /** The system property the launcher sets to the built job jar. */
  static final String JOBS_JAR_PROPERTY = "ironlake.jobs.jar";

  /** How long to wait for the job to reach RUNNING after the cluster accepted it. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--flink",
      paramLabel = "URL",
      description = "Submit to this Flink cluster's REST endpoint (e.g. http://jobmanager:8081).")
  URI flink;

  @Option(names = "--parallelism", description = "The job's parallelism (default: the cluster's).")
  Integer parallelism;

  @Option(
      names = "--savepoint",
      paramLabel = "PATH",
      description = "Start from this savepoint or retained checkpoint (a path the cluster sees).")
  String savepoint;

  @Option(
      names = "--allow-non-restored-state",
      description = "With --savepoint: skip state of operators that are no longer in the job.")
  boolean allowNonRestoredState;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description =
          "The job jar (default: stream-jobs/target/ironlake-jobs-VERSION.jar of this build).")
  Path jar;

  @Option(
      names = "--catalog-uri",
      description =
          "The Iceberg catalog the cluster writes to: jdbc:... or http(s)://... (REST). Default:"
              + " the local catalog under --data-dir, if the cluster sees that folder.")
  String catalogUri;

  @Option(names = "--warehouse", description = "The catalog's warehouse (with --catalog-uri).")
  String warehouse;

  @Option(
      names = "--catalog-property",
      paramLabel = "KEY=VALUE",
      description = "Another Iceberg catalog property (repeatable), e.g. s3.endpoint=...")
  List<String> catalogProperties = new ArrayList<>();

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description = "Where the job's checkpoints go (default: the cluster's setting).")
  String checkpointDir;

  boolean requested() {
    return flink != null;
  }

  /** Submits; returns the exit code (0 running, 1 refused or failed), messages to out/err. */
  int submit(
      PrintWriter out,
      PrintWriter err,
      String names,
      String kafka,
      Duration checkpointInterval,
      Path dataDir) {
    Set<String> jobs = new LinkedHashSet<>();
    for (String n : names.split(",")) {
      if (!n.isBlank()) {
        jobs.add(n.trim());
      }
    }
    Path jobJar;
    JarRun run;
    try {
      // Refuse unknown names and bad options here, before uploading 100 MB.
      for (String name : jobs) {
        if (!IronlakeJobs.KNOWN.contains(name)) {
          throw new IllegalArgumentException(
              "Invalid job name "
                  + name
                  + ": expected one of "
                  + new TreeSet<>(IronlakeJobs.KNOWN));
        }
      }
      if (jobs.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid job names []: expected one or more of " + new TreeSet<>(IronlakeJobs.KNOWN));
      }
      jobJar = jobJar();
      run =
          new JarRun(
              ClusterJobMain.class.getName(),
              programArgs(jobs, kafka, checkpointInterval, dataDir),
              Optional.ofNullable(parallelism),
              Optional.ofNullable(savepoint),
              allowNonRestoredState);
    } catch (IllegalArgumentException e) {
      err.println("ironlake: " + e.getMessage());
      return 2;
    }
    FlinkRestClient client = new FlinkRestClient(flink);
    try {
      out.println("Uploading " + jobJar + " to " + client.base() + " ...");
      out.flush();
      String jarId = client.uploadJar(jobJar);
      String jobId;
      try {
        jobId = client.runJar(jarId, run);
      } finally {
        client.deleteJar(jarId); // the cluster keeps its own copy of a submitted job's jar
      }
      String state = awaitStarted(client, jobId);
      if (state.equals("FAILED") || state.equals("CANCELED")) {
        err.println(
            "ironlake: Cannot start job "
                + jobId
                + " on "
                + client.base()
                + ": it is "
                + state
                + ": "
                + client.failureCause(jobId));
        return 1;
      }
      out.println("Submitted " + jobs + " as Flink job " + jobId + " (" + state + ").");
      out.println("Follow it: " + client.base() + "#/job/running/" + jobId + "/overview");
      out.println("Status:    " + client.base() + "jobs/" + jobId);
      out.flush();
      return 0;
    } catch (FlinkRestException e) {
      err.println("ironlake: " + e.getMessage());
      return 1;
    }
  }

  private List<String> programArgs(
      Set<String> jobs, String kafka, Duration checkpointInterval, Path dataDir) {
    List<String> args = new ArrayList<>();
    args.add("--jobs");
    args.add(String.join(",", jobs));
    args.add("--kafka");
    args.add(kafka);
    args.add("--checkpoint-interval");
    args.add(checkpointInterval.toMillis() + "ms");
    if (catalogUri != null) {
      args.add("--catalog-uri");
      args.add(catalogUri);
      if (warehouse != null) {
        args.add("--warehouse");
        args.add(warehouse);
      }
      for (String p : catalogProperties) {
        args.add("--catalog-property");
        args.add(p);
      }
    } else {
      if (warehouse != null || !catalogProperties.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid options: --warehouse and --catalog-property need --catalog-uri");
      }
      args.add("--data-dir");
      args.add(dataDir.toString());
    }
    if (parallelism != null) {
      args.add("--parallelism");
      args.add(parallelism.toString());
    }
    if (checkpointDir != null) {
      args.add("--checkpoint-dir");
      args.add(checkpointDir);
    }
    return args;
  }

  private Path jobJar() {
    Path path = jar;
    if (path == null) {
      String built = System.getProperty(JOBS_JAR_PROPERTY);
      if (built == null || built.isBlank()) {
        throw new IllegalArgumentException(
            "Cannot find the job jar: pass --jar FILE (`mvn -pl stream-jobs -am package` builds"
                + " stream-jobs/target/ironlake-jobs-VERSION.jar)");
      }
      path = Path.of(built);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "Cannot read the job jar "
              + path
              + ": no such file (`mvn -pl stream-jobs -am package` builds it)");
    }
    return path;
  }

  /** Polls the job's state until it is RUNNING, terminal, or the wait is over. */
  private static String awaitStarted(FlinkRestClient client, String jobId) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String state = client.jobState(jobId);
    while (!Set.of("RUNNING", "FAILED", "CANCELED", "FINISHED").contains(state)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500); // polling a remote REST endpoint; nothing to wait on locally
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return state;
      }
      state = client.jobState(jobId);
    }
    return state;
  }
}
