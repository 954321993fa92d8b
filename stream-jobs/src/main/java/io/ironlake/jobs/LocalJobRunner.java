package io.ironlake.jobs;

import io.ironlake.jobs.internal.RestorePoints;
import io.ironlake.jobs.sql.SqlJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Ironlake's built-in jobs on one Flink MiniCluster inside this JVM, as one Flink job that
 * shares the Kafka source and the dedup step. Checkpoints go to {@code <dataDir>/flink/checkpoints}
 * and are kept on cancel; {@link #close()} stops with a savepoint in {@code
 * <dataDir>/flink/savepoints}, which commits everything read so far; the next {@link #start}
 * resumes from the newest of them, so a restart loses and doubles nothing.
 *
 * <pre>{@code
 * try (LocalJobRunner jobs = LocalJobRunner.start(config, IronlakeJobs.ALL)) {
 *   ... jobs.status() ...
 * } // stops with a savepoint and shuts the cluster down
 * }</pre>
 */
public final class LocalJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);

  /** The Flink job's name. */
  public static final String JOB_NAME = "ironlake-jobs";

  /** How long {@link #close()} waits for the final savepoint before cancelling. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private static final long RPC_TIMEOUT_SECONDS = 30;

  private final MiniCluster cluster;
  private final JobID jobId;
  private final JobsConfig config;
  private final Set<String> jobNames;
  private final Optional<Path> restoredFrom;
  private volatile boolean closed;

  private LocalJobRunner(
      MiniCluster cluster,
      JobID jobId,
      JobsConfig config,
      Set<String> jobNames,
      Optional<Path> restoredFrom) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.config = config;
    this.jobNames = jobNames;
    this.restoredFrom = restoredFrom;
  }

  /**
   * Starts a MiniCluster with {@code config.taskSlots()} slots and submits the named jobs ({@link
   * IronlakeJobs#INGEST}, {@link IronlakeJobs#ENERGY}, {@link IronlakeJobs#QUALITY}, {@link
   * IronlakeJobs#SAFETY}); returns once the job is submitted.
   */
  public static LocalJobRunner start(JobsConfig config, Set<String> jobNames) {
    IronlakeJobs.checkNames(jobNames);
    return start(config, jobNames, env -> IronlakeJobs.addJobs(env, config, jobNames));
  }

  /**
   * Starts a MiniCluster like {@link #start(JobsConfig, Set)} and runs an engineer's Flink SQL
   * script on it, with the {@code telemetry} Kafka table and the {@code ironlake} catalog
   * registered (see {@link SqlJobs}). Give each script its own {@code dataDir} so its checkpoints
   * and savepoints are its own.
   */
  public static LocalJobRunner startSql(JobsConfig config, String name, String script) {
    return start(config, Set.of(name), env -> SqlJobs.addTo(env, config, script));
  }

  private static LocalJobRunner start(
      JobsConfig config,
      Set<String> jobNames,
      java.util.function.Consumer<StreamExecutionEnvironment> pipeline) {
    Configuration flink = flinkConfiguration(config);
    RestorePoints.removeEmptyJobDirs(config.checkpointDir());
    Optional<Path> restore =
        config.restoreFromLatest()
            ? RestorePoints.newest(config.checkpointDir(), config.savepointDir())
            : Optional.empty();

    StreamExecutionEnvironment env = new StreamExecutionEnvironment(flink);
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    pipeline.accept(env);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(JOB_NAME);
    restore.ifPresent(
        path ->
            graph.setSavepointRestoreSettings(
                SavepointRestoreSettings.forPath(path.toString(), true, RecoveryClaimMode.CLAIM)));

    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(config.taskSlots())
                .withRandomPorts()
                .build());
    try {
      cluster.start();
      JobID id =
          cluster
              .submitJob(graph.getJobGraph())
              .get(RPC_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .getJobID();
      LOG.info(
          "jobs started: jobId={}, jobs={}, slots={}, checkpointInterval={}, restoredFrom={}",
          id,
          jobNames,
          config.taskSlots(),
          config.checkpointInterval(),
          restore.map(Path::toString).orElse("none"));
      return new LocalJobRunner(cluster, id, config, Set.copyOf(jobNames), restore);
    } catch (Exception e) {
      closeQuietly(cluster);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "Cannot start the jobs " + jobNames + ": " + rootMessage(e), e);
    }
  }

  /**
   * Waits until every task of the job has started (state restored, operators open: execution state
   * RUNNING, or FINISHED for a bounded one). Starting the tasks of all jobs takes the CPU for some
   * seconds; a caller that produces data in real time (a simulator behind OPC UA, whose server
   * queues only so many changes per node) should wait for this first.
   *
   * @throws IllegalStateException if the job ends or the timeout passes first
   */
  public void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      AccessExecutionGraph graph;
      try {
        graph = cluster.getExecutionGraph(jobId).get(RPC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot wait for the jobs to run: interrupted", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("Cannot wait for the jobs to run: " + rootMessage(e), e);
      }
      if (graph.getState().isGloballyTerminalState()) {
        throw new IllegalStateException(
            "Cannot wait for the jobs to run: job " + jobId + " is " + graph.getState());
      }
      long waiting = 0;
      for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
        ExecutionState s = v.getExecutionState();
        if (s != ExecutionState.RUNNING && s != ExecutionState.FINISHED) {
          waiting++;
        }
      }
      if (waiting == 0) {
        LOG.info("jobs running: jobId={}", jobId);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Cannot wait for the jobs to run: "
                + waiting
                + " tasks of job "
                + jobId
                + " not running after "
                + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot wait for the jobs to run: interrupted", e);
      }
    }
  }

  /** The Flink job id. */
  public JobID jobId() {
    return jobId;
  }

  /** The built-in jobs running. */
  public Set<String> jobNames() {
    return jobNames;
  }

  /** The savepoint or checkpoint this run resumed from, if any. */
  public Optional<Path> restoredFrom() {
    return restoredFrom;
  }

  /** The Flink job's status (e.g. INITIALIZING, RUNNING, RESTARTING, CANCELED, FINISHED). */
  public JobStatus status() {
    try {
      return cluster.getJobStatus(jobId).get(RPC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot read the job status: interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read the job status: " + rootMessage(e), e);
    }
  }

  /**
   * Cancels the job without a savepoint; the last checkpoint stays and the next start resumes from
   * it. The cluster keeps running until {@link #close()}.
   */
  public void cancel() {
    try {
      if (!status().isGloballyTerminalState()) {
        cluster.cancelJob(jobId).get(RPC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("jobs cancelled: jobId={}", jobId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot cancel job " + jobId + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot cancel job " + jobId + ": " + rootMessage(e), e);
    }
  }

  /**
   * Stops the job with a savepoint (which commits what was read to the tables), or cancels it if
   * that fails within {@link #STOP_TIMEOUT}, then shuts the cluster down. Safe to call twice.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!status().isGloballyTerminalState()) {
        stopWithSavepoint();
      }
    } catch (RuntimeException e) {
      LOG.warn("jobs stop failed: jobId={}, error={}", jobId, e.getMessage());
    } finally {
      closeQuietly(cluster);
      LOG.info("jobs closed: jobId={}", jobId);
    }
  }

  private void stopWithSavepoint() {
    try {
      String savepoint =
          cluster
              .stopWithSavepoint(
                  jobId,
                  config.savepointDir().toUri().toString(),
                  false,
                  SavepointFormatType.CANONICAL)
              .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      LOG.info("jobs stopped: jobId={}, savepoint={}", jobId, savepoint);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelQuietly("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      cancelQuietly(rootMessage(e));
    }
  }

  private void cancelQuietly(String why) {
    LOG.warn("jobs savepoint failed, cancelling: jobId={}, reason={}", jobId, why);
    try {
      cluster.cancelJob(jobId).get(RPC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("jobs cancel failed: jobId={}, error={}", jobId, rootMessage(e));
    }
  }

  /** The Flink configuration of the local cluster and job. */
  static Configuration flinkConfiguration(JobsConfig config) {
    Configuration flink = new Configuration();
    flink.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
    flink.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    flink.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir().toUri().toString());
    flink.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, config.savepointDir().toUri().toString());
    flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
    flink.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
    return flink;
  }

  private static void closeQuietly(MiniCluster cluster) {
    try {
      cluster.close();
    } catch (Exception e) {
      LOG.warn("minicluster close failed: error={}", e.toString());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
