package io.ironlake.jobs.safety;

import java.io.Serializable;
import java.time.Duration;

/**
 * A frozen-value alarm: raised when every sample has stayed within {@code tolerance} of the value
 * at the start of a stretch for {@code after}; cleared by the first sample outside it.
 *
 * @param after how long a value may stay unchanged; positive
 * @param tolerance the change that counts as a change (0: any difference), ≥ 0
 */
public record FrozenValueParams(Duration after, double tolerance) implements Serializable {
  public FrozenValueParams {
    if (after == null || after.isNegative() || after.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value " + after + " for `after`: expected a positive duration");
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException(
          "Invalid value " + tolerance + " for `tolerance`: expected zero or more");
    }
  }
}
