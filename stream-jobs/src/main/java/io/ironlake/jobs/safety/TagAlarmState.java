package io.ironlake.jobs.safety;

/**
 * What {@link TagAlarms} remembers of one tag between samples (Flink keeps it as keyed state).
 *
 * @param hh HH alarm
 * @param h H alarm
 * @param l L alarm
 * @param ll LL alarm
 * @param roc rate-of-change alarm
 * @param previousTs the previous sample's time, {@link LevelState#NONE} before the first
 * @param previousValue the previous sample's value
 * @param frozenReference the value a frozen stretch started with
 * @param frozenSince when that stretch started, {@link LevelState#NONE} before the first sample
 * @param frozen the frozen-value alarm (pendingSince unused)
 */
public record TagAlarmState(
    LevelState hh,
    LevelState h,
    LevelState l,
    LevelState ll,
    LevelState roc,
    long previousTs,
    double previousValue,
    double frozenReference,
    long frozenSince,
    LevelState frozen) {

  /** A tag never seen. */
  public static TagAlarmState initial() {
    return new TagAlarmState(
        LevelState.NORMAL,
        LevelState.NORMAL,
        LevelState.NORMAL,
        LevelState.NORMAL,
        LevelState.NORMAL,
        LevelState.NONE,
        0,
        0,
        LevelState.NONE,
        LevelState.NORMAL);
  }
}
