package io.ironlake.collector.spool;

import java.util.Locale;

/**
 * When the spool forces what it wrote to disk, and so what a source's acknowledgement promises.
 * Every policy survives a crash of the collector process ({@code kill -9}): written data is in the
 * operating system's page cache. They differ on a power loss or kernel crash.
 */
public enum FsyncPolicy {
  /**
   * Forced to disk before the source is acknowledged; concurrent appends share one fsync (group
   * commit). Nothing acknowledged is lost even on a power loss; each MQTT acknowledgement waits for
   * an fsync.
   */
  ALWAYS,
  /**
   * Forced every {@code fsync-interval-ms} in the background; sources are acknowledged once the
   * points are written. A power loss can lose what was acknowledged in the last interval.
   */
  INTERVAL,
  /** Never forced by the collector; the OS writes back when it likes (Linux: within ~30 s). */
  NEVER;

  /** The name used in the YAML file, e.g. {@code interval}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy of a YAML name such as {@code always}. */
  public static FsyncPolicy fromConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
