package io.ironlake.collector.spool;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The spool's settings: the {@code spool} mapping of the collector's YAML file.
 *
 * <pre>{@code
 * SpoolConfig config = SpoolConfig.defaults(stateDir.resolve("spool"))
 *     .withMaxBytes(256L << 20)
 *     .withOnFull(OnFull.DROP_OLDEST);
 * }</pre>
 *
 * @param dir {@code spool.dir}: the folder of the segment files and the cursor
 * @param maxBytes {@code spool.max-bytes}: the most disk the segment files may take
 * @param segmentBytes {@code spool.segment-bytes}: size at which a new segment file is started
 * @param fsync {@code spool.fsync}: when written data is forced to disk
 * @param fsyncIntervalMs {@code spool.fsync-interval-ms}: the period of {@link
 *     FsyncPolicy#INTERVAL}
 * @param onFull {@code spool.on-full}: what an append does when the spool is full
 */
public record SpoolConfig(
    Path dir,
    long maxBytes,
    long segmentBytes,
    FsyncPolicy fsync,
    int fsyncIntervalMs,
    OnFull onFull) {

  public static final long MAX_BYTES_DEFAULT = 1L << 30;
  public static final long SEGMENT_BYTES_DEFAULT = 64L << 20;
  public static final long SEGMENT_BYTES_MIN = 64L << 10;
  public static final long SEGMENT_BYTES_MAX = 1L << 30;
  public static final long MAX_BYTES_MAX = 1L << 40;
  public static final FsyncPolicy FSYNC_DEFAULT = FsyncPolicy.INTERVAL;
  public static final int FSYNC_INTERVAL_MS_DEFAULT = 100;
  public static final OnFull ON_FULL_DEFAULT = OnFull.BLOCK;

  public SpoolConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(onFull, "onFull");
    if (segmentBytes < SEGMENT_BYTES_MIN || segmentBytes > SEGMENT_BYTES_MAX) {
      throw new IllegalArgumentException(
          "Invalid segmentBytes "
              + segmentBytes
              + ": expected "
              + SEGMENT_BYTES_MIN
              + ".."
              + SEGMENT_BYTES_MAX);
    }
    if (maxBytes < 2 * segmentBytes || maxBytes > MAX_BYTES_MAX) {
      throw new IllegalArgumentException(
          "Invalid maxBytes "
              + maxBytes
              + ": expected at least twice segmentBytes ("
              + 2 * segmentBytes
              + ") and at most "
              + MAX_BYTES_MAX);
    }
    if (fsyncIntervalMs < 1) {
      throw new IllegalArgumentException("Invalid fsyncIntervalMs " + fsyncIntervalMs + ": < 1");
    }
  }

  /** The defaults, spooling in {@code dir}. */
  public static SpoolConfig defaults(Path dir) {
    return new SpoolConfig(
        dir,
        MAX_BYTES_DEFAULT,
        SEGMENT_BYTES_DEFAULT,
        FSYNC_DEFAULT,
        FSYNC_INTERVAL_MS_DEFAULT,
        ON_FULL_DEFAULT);
  }

  public SpoolConfig withMaxBytes(long bytes) {
    return new SpoolConfig(dir, bytes, segmentBytes, fsync, fsyncIntervalMs, onFull);
  }

  public SpoolConfig withSegmentBytes(long bytes) {
    return new SpoolConfig(dir, maxBytes, bytes, fsync, fsyncIntervalMs, onFull);
  }

  public SpoolConfig withFsync(FsyncPolicy policy, int intervalMs) {
    return new SpoolConfig(dir, maxBytes, segmentBytes, policy, intervalMs, onFull);
  }

  public SpoolConfig withOnFull(OnFull policy) {
    return new SpoolConfig(dir, maxBytes, segmentBytes, fsync, fsyncIntervalMs, policy);
  }
}
