package io.ironlake.jobs;

import io.ironlake.jobs.JobsConfig.StartingOffsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the job jar ({@code stream-jobs/target/ironlake-jobs-VERSION.jar}) for a Flink
 * cluster: builds the named built-in jobs from program arguments and submits them as one Flink job.
 *
 * <pre>
 * flink run ironlake-jobs-VERSION.jar --jobs ingest,energy --kafka kafka:9092 \
 *     --catalog-uri http://iceberg-rest:8181 --warehouse s3://lake/warehouse
 * </pre>
 *
 * <p>{@code ironlake jobs submit NAME --flink URL} uploads the jar and runs this class through
 * Flink's REST API. Run it without arguments for the list of options.
 */
public final class ClusterJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJobMain.class);

  /** The Flink job's name prefix: {@code ironlake-jobs [ingest, energy]}. */
  public static final String JOB_NAME = LocalJobRunner.JOB_NAME;

  static final String USAGE =
      String.join(
          "\n",
          "Program arguments of the Ironlake job jar:",
          "  --jobs NAME[,NAME]         built-in jobs to run: " + String.join(", ", sorted()),
          "  --kafka HOST:PORT[,...]    Kafka bootstrap servers (required)",
          "  --catalog-uri URI          Iceberg catalog: jdbc:... (JDBC catalog) or http(s)://...",
          "                             (REST catalog); default: the local SQLite catalog under",
          "                             --data-dir",
          "  --warehouse LOCATION       the catalog's warehouse (with --catalog-uri)",
          "  --catalog-property K=V     any other Iceberg catalog property (repeatable)",
          "  --data-dir DIR             local data folder of the default catalog (a path every",
          "                             Flink process sees; default ironlake-data)",
          "  --topic NAME               telemetry topic (default telemetry.v1)",
          "  --group-id ID              Kafka consumer group (default ironlake-jobs)",
          "  --starting-offsets WHERE   earliest or latest, without committed offsets",
          "  --checkpoint-interval D    checkpoint and table commit interval (default 10s)",
          "  --checkpoint-dir URI       where checkpoints go (default: the cluster's setting)",
          "  --parallelism N            operator parallelism (default: the submission's)",
          "  --indicator-topics on|off  indicator rows to energy.v1, spc.v1, ... (default on)");

  private ClusterJobMain() {}

  /** Builds the jobs from the program arguments and executes them on the context's cluster. */
  public static void main(String[] args) throws Exception {
    Submission submission = parse(args);
    registerJdbcDrivers();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    if (submission.checkpointDir().isPresent()) {
      Configuration conf = new Configuration();
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, submission.checkpointDir().get());
      env.configure(conf);
    }
    JobsConfig config = submission.config();
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    if (submission.parallelismSet()) {
      env.setParallelism(config.parallelism());
    }
    IronlakeJobs.addJobs(env, config, submission.jobs());
    String name = JOB_NAME + " " + submission.jobs();
    LOG.info(
        "cluster job submitting: name={}, kafka={}, catalog={}, checkpointInterval={}",
        name,
        config.kafkaBootstrapServers(),
        config.catalogProperties().getOrDefault("uri", "?"),
        config.checkpointInterval());
    env.execute(name);
  }

  /**
   * Registers the JDBC drivers of this jar (SQLite) from its own class loader: a JVM that ran an
   * earlier job already initialised {@link java.sql.DriverManager} with another loader's drivers,
   * which it does not hand to classes of this one ("No suitable driver").
   */
  private static void registerJdbcDrivers() {
    for (java.sql.Driver driver :
        java.util.ServiceLoader.load(
            java.sql.Driver.class, ClusterJobMain.class.getClassLoader())) {
      try {
        java.sql.DriverManager.registerDriver(driver);
      } catch (java.sql.SQLException e) {
        LOG.warn("jdbc driver not registered: driver={}, error={}", driver, e.getMessage());
      }
    }
  }

  /** What the program arguments ask for. */
  record Submission(
      Set<String> jobs, JobsConfig config, Optional<String> checkpointDir, boolean parallelismSet) {
    Submission {
      jobs = Set.copyOf(jobs);
    }
  }

  /** Parses the program arguments; bad ones give an {@link IllegalArgumentException}. */
  static Submission parse(String[] args) {
    Map<String, String> single = new LinkedHashMap<>();
    List<String> catalogProps = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (!key.startsWith("--") || !USAGE.contains("  " + key + " ")) {
        throw new IllegalArgumentException("Unknown program argument " + key + "\n" + USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value for " + key + "\n" + USAGE);
      }
      String value = args[++i];
      if (key.equals("--catalog-property")) {
        catalogProps.add(value);
      } else {
        single.put(key, value);
      }
    }
    String jobsArg = required(single, "--jobs");
    Set<String> jobs = new LinkedHashSet<>();
    for (String name : jobsArg.split(",")) {
      if (!name.isBlank()) {
        jobs.add(name.trim());
      }
    }
    IronlakeJobs.checkNames(jobs);

    JobsConfig.Builder b =
        JobsConfig.builder()
            .kafkaBootstrapServers(required(single, "--kafka"))
            .dataDir(Path.of(single.getOrDefault("--data-dir", "ironlake-data")))
            .restoreFromLatest(false);
    Map<String, String> catalog = catalogProperties(single, catalogProps);
    if (!catalog.isEmpty()) {
      b.catalogProperties(catalog);
    }
    Optional.ofNullable(single.get("--topic")).ifPresent(b::topic);
    Optional.ofNullable(single.get("--group-id")).ifPresent(b::groupId);
    Optional.ofNullable(single.get("--starting-offsets"))
        .ifPresent(v -> b.startingOffsets(startingOffsets(v)));
    Optional.ofNullable(single.get("--checkpoint-interval"))
        .ifPresent(v -> b.checkpointInterval(duration("--checkpoint-interval", v)));
    Optional.ofNullable(single.get("--indicator-topics"))
        .ifPresent(v -> b.indicatorTopics(indicatorTopics(v)));
    String parallelism = single.get("--parallelism");
    if (parallelism != null) {
      int p = positiveInt("--parallelism", parallelism);
      b.parallelism(p).taskSlots(Math.max(p, JobsConfig.TASK_SLOTS_DEFAULT));
    }
    return new Submission(
        jobs, b.build(), Optional.ofNullable(single.get("--checkpoint-dir")), parallelism != null);
  }

  private static Map<String, String> catalogProperties(
      Map<String, String> single, List<String> extra) {
    Map<String, String> props = new LinkedHashMap<>();
    String uri = single.get("--catalog-uri");
    String warehouse = single.get("--warehouse");
    if (uri == null && warehouse != null) {
      throw new IllegalArgumentException(
          "Invalid program arguments: --warehouse needs --catalog-uri");
    }
    if (uri != null) {
      props.put("type", uri.startsWith("jdbc:") ? "jdbc" : "rest");
      props.put("uri", uri);
      if (warehouse != null) {
        props.put("warehouse", warehouse);
      }
    }
    for (String kv : extra) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Invalid value \"" + kv + "\" for --catalog-property: expected KEY=VALUE");
      }
      props.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (uri == null && !props.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid program arguments: --catalog-property needs --catalog-uri");
    }
    return props;
  }

  private static String required(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("Missing program argument " + key + "\n" + USAGE);
    }
    return v;
  }

  private static StartingOffsets startingOffsets(String v) {
    try {
      return StartingOffsets.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value \"" + v + "\" for --starting-offsets: expected earliest or latest", e);
    }
  }

  private static IndicatorTopics indicatorTopics(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "on" -> IndicatorTopics.DEFAULTS;
      case "off" -> IndicatorTopics.OFF;
      default ->
          throw new IllegalArgumentException(
              "Invalid value \"" + v + "\" for --indicator-topics: expected on or off");
    };
  }

  private static Duration duration(String key, String v) {
    try {
      return TimeUtils.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value \"" + v + "\" for " + key + ": expected a duration like 10s or 1min", e);
    }
  }

  private static int positiveInt(String key, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(
        "Invalid value \"" + v + "\" for " + key + ": expected a whole number, at least 1");
  }

  private static List<String> sorted() {
    return IronlakeJobs.KNOWN.stream().sorted().toList();
  }
}
