package io.ironlake.cli.quickstart;

import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.rules.RuleCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the embedded pipeline runs: the simulated plant's size and speed, and how often Flink
 * commits to the lakehouse.
 *
 * <pre>{@code
 * QuickstartOptions o = QuickstartOptions.builder(Path.of("ironlake-data")).speed(60).build();
 * }</pre>
 *
 * @param dataDir where Kafka, the lakehouse, checkpoints and logs live
 * @param speed simulated seconds per real second
 * @param opcUaLines lines served over OPC UA
 * @param machinesPerLine machines per line
 * @param mqttLines lines whose machines publish over MQTT
 * @param checkpointInterval Flink checkpoint (and Iceberg commit) interval
 * @param simulatedDuration emit for exactly this much simulated time, or null for no end
 * @param simulatedStart the simulated clock's start, or null for now
 * @param seed the simulator's random seed
 * @param meterResets forced meter resets: device name to simulated offset
 * @param jobs the Flink jobs to run (see {@code IronlakeJobs})
 * @param ruleCatalog the jobs' initial rules, or null for the built-in ones with the simulated
 *     machines' ideal cycle times
 */
public record QuickstartOptions(
    Path dataDir,
    double speed,
    int opcUaLines,
    int machinesPerLine,
    int mqttLines,
    Duration checkpointInterval,
    Duration simulatedDuration,
    Instant simulatedStart,
    long seed,
    Map<String, Duration> meterResets,
    Set<String> jobs,
    RuleCatalog ruleCatalog) {

  public QuickstartOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (!(speed > 0)) {
      throw new IllegalArgumentException("Invalid speed " + speed + ": expected a number > 0");
    }
    if (opcUaLines < 0 || mqttLines < 0 || opcUaLines + mqttLines == 0) {
      throw new IllegalArgumentException(
          "Invalid plant: expected at least one line (OPC UA lines "
              + opcUaLines
              + ", MQTT lines "
              + mqttLines
              + ")");
    }
    if (machinesPerLine < 1) {
      throw new IllegalArgumentException(
          "Invalid machines per line " + machinesPerLine + ": expected at least 1");
    }
    meterResets = Map.copyOf(meterResets);
    jobs = Set.copyOf(jobs);
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builder with the quickstart's defaults. */
  public static final class Builder {
    private final Path dataDir;
    private double speed = 10;
    private int opcUaLines = 2;
    private int machinesPerLine = 5;
    private int mqttLines = 1;
    private Duration checkpointInterval = Duration.ofSeconds(10);
    private Duration simulatedDuration;
    private Instant simulatedStart;
    private long seed = 42;
    private final Map<String, Duration> meterResets = new LinkedHashMap<>();
    private Set<String> jobs = IronlakeJobs.ALL;
    private RuleCatalog ruleCatalog;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder speed(double v) {
      speed = v;
      return this;
    }

    public Builder opcUaLines(int v) {
      opcUaLines = v;
      return this;
    }

    public Builder machinesPerLine(int v) {
      machinesPerLine = v;
      return this;
    }

    public Builder mqttLines(int v) {
      mqttLines = v;
      return this;
    }

    public Builder checkpointInterval(Duration v) {
      checkpointInterval = v;
      return this;
    }

    public Builder simulatedDuration(Duration v) {
      simulatedDuration = v;
      return this;
    }

    public Builder simulatedStart(Instant v) {
      simulatedStart = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder meterResetAt(String device, Duration simOffset) {
      meterResets.put(device, simOffset);
      return this;
    }

    public Builder jobs(Set<String> v) {
      jobs = v;
      return this;
    }

    /** The jobs' initial rules (null: built-in, with the simulated ideal cycle times). */
    public Builder ruleCatalog(RuleCatalog v) {
      ruleCatalog = v;
      return this;
    }

    public QuickstartOptions build() {
      return new QuickstartOptions(
          dataDir,
          speed,
          opcUaLines,
          machinesPerLine,
          mqttLines,
          checkpointInterval,
          simulatedDuration,
          simulatedStart,
          seed,
          meterResets,
          jobs,
          ruleCatalog);
    }
  }
}
