package io.ironlake.jobs.safety;

/**
 * The state of one threshold alarm: normal, pending (beyond the limit, on-delay running) or active.
 *
 * @param active whether the alarm is raised
 * @param pendingSince when the value went beyond the limit while not active, or {@link #NONE}
 * @param raisedAt when the active alarm was raised, or {@link #NONE}
 */
public record LevelState(boolean active, long pendingSince, long raisedAt) {
  /** Marks an absent time. */
  public static final long NONE = Long.MIN_VALUE;

  /** Normal: not beyond the limit, nothing pending. */
  public static final LevelState NORMAL = new LevelState(false, NONE, NONE);
}
