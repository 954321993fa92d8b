package io.ironlake.jobs.dataquality;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the data quality of one tag is judged (see the README for the score formula).
 *
 * @param expectedPeriod how often the tag should be sampled; expected points per hour = 1 h / it
 * @param expectedType the value type a valid point has
 * @param validMin lowest valid numeric value, inclusive (null: no lower bound)
 * @param validMax highest valid numeric value, inclusive (null: no upper bound)
 * @param latencyTarget a point is timely when {@code ingest_ts - ts} is at most this
 * @param gapFactor an interval between consecutive samples longer than {@code gapFactor x
 *     expectedPeriod} is a gap
 * @param frozenAfter a run of identical double values lasting at least this long is frozen
 * @param weights the weights of the score's parts
 */
public record DataQualityParams(
    Duration expectedPeriod,
    ValueType expectedType,
    Double validMin,
    Double validMax,
    Duration latencyTarget,
    double gapFactor,
    Duration frozenAfter,
    Weights weights)
    implements Serializable {

  /** Defaults: one sample per second, any type, no range, 5 s latency, gaps over 3 periods. */
  public static final DataQualityParams DEFAULTS =
      new DataQualityParams(
          Duration.ofSeconds(1),
          ValueType.ANY,
          null,
          null,
          Duration.ofSeconds(5),
          3,
          Duration.ofMinutes(10),
          Weights.DEFAULT);

  public DataQualityParams {
    positive(expectedPeriod, "expectedPeriod");
    positive(latencyTarget, "latencyTarget");
    positive(frozenAfter, "frozenAfter");
    if (expectedType == null) {
      throw new IllegalArgumentException("Missing value for `expectedType`");
    }
    if (weights == null) {
      throw new IllegalArgumentException("Missing value for `weights`");
    }
    if (!(gapFactor >= 1) || Double.isInfinite(gapFactor)) {
      throw new IllegalArgumentException(
          "Invalid value " + gapFactor + " for `gapFactor`: expected a finite number >= 1");
    }
    if (validMin != null && validMax != null && validMin > validMax) {
      throw new IllegalArgumentException(
          "Invalid value " + validMin + " for `validMin`: expected <= validMax " + validMax);
    }
  }

  /** A copy with another expected period. */
  public DataQualityParams withExpectedPeriod(Duration period) {
    return new DataQualityParams(
        period, expectedType, validMin, validMax, latencyTarget, gapFactor, frozenAfter, weights);
  }

  /** A copy with another valid type and range (null bounds: unbounded). */
  public DataQualityParams withValidity(ValueType type, Double min, Double max) {
    return new DataQualityParams(
        expectedPeriod, type, min, max, latencyTarget, gapFactor, frozenAfter, weights);
  }

  private static void positive(Duration d, String key) {
    if (d == null) {
      throw new IllegalArgumentException("Missing value for `" + key + "`");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value " + d + " for `" + key + "`: expected a positive duration");
    }
  }

  /** The value types a tag may be expected to have. */
  public enum ValueType {
    ANY,
    NUMERIC,
    DOUBLE,
    LONG,
    BOOLEAN,
    STRING
  }

  /**
   * Weights of the score's parts; each at least 0, at least one positive.
   *
   * @param completeness weight of completeness
   * @param timeliness weight of the timely share
   * @param validity weight of the valid share
   * @param quality weight of the share not BAD
   * @param uniqueness weight of the share not duplicated
   * @param liveness weight of "not frozen" (1 or 0)
   */
  public record Weights(
      double completeness,
      double timeliness,
      double validity,
      double quality,
      double uniqueness,
      double liveness)
      implements Serializable {
    /** 30 completeness, 15 timeliness, 20 validity, 15 quality, 10 uniqueness, 10 liveness. */
    public static final Weights DEFAULT = new Weights(0.30, 0.15, 0.20, 0.15, 0.10, 0.10);

    public Weights {
      double[] all = {completeness, timeliness, validity, quality, uniqueness, liveness};
      double sum = 0;
      for (double w : all) {
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException(
              "Invalid value " + w + " for `weights`: expected finite weights >= 0");
        }
        sum += w;
      }
      if (sum <= 0) {
        throw new IllegalArgumentException(
            "Invalid value 0 for `weights`: expected at least one positive weight");
      }
    }

    /** The sum of the weights. */
    public double sum() {
      return completeness + timeliness + validity + quality + uniqueness + liveness;
    }
  }
}
