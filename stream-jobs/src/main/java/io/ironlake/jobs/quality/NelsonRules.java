package io.ironlake.jobs.quality;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the {@link NelsonRule}s over z-scores of X-bar values ({@link
 * ControlLimits#zScore(double)}: the distance from the center line in σ of the mean).
 *
 * <p>A rule fires at the point that completes its pattern, looking back over at most {@link
 * NelsonRule#window()} points. Rules 5 and 6 also fire with fewer points than their window at the
 * start of a series (two of the first two, four of the first four), and only when the current point
 * is one of those beyond the zone, so one pattern is reported once. A point exactly on the center
 * line is on neither side.
 */
public final class NelsonRules {
  /** The longest look-back of any rule (rule 7). */
  public static final int HISTORY = 15;

  private NelsonRules() {}

  /**
   * The enabled rules that fire at the last of {@code z} (oldest first; only the last {@link
   * #HISTORY} matter).
   */
  public static Set<NelsonRule> firing(double[] z, Set<NelsonRule> enabled) {
    EnumSet<NelsonRule> fired = EnumSet.noneOf(NelsonRule.class);
    int last = z.length - 1;
    if (last < 0) {
      return fired;
    }
    for (NelsonRule rule : enabled) {
      if (fires(rule, z, last)) {
        fired.add(rule);
      }
    }
    return fired;
  }

  /** For each point of a whole series, the rules firing there (all eight enabled). */
  public static List<Set<NelsonRule>> evaluate(double[] z) {
    List<Set<NelsonRule>> result = new ArrayList<>(z.length);
    for (int i = 0; i < z.length; i++) {
      double[] upTo = java.util.Arrays.copyOfRange(z, Math.max(0, i + 1 - HISTORY), i + 1);
      result.add(firing(upTo, EnumSet.allOf(NelsonRule.class)));
    }
    return result;
  }

  private static boolean fires(NelsonRule rule, double[] z, int i) {
    switch (rule) {
      case R1:
        return Math.abs(z[i]) > 3;
      case R2:
        return full(z, i, 9) && (all(z, i, 9, v -> v > 0) || all(z, i, 9, v -> v < 0));
      case R3:
        return full(z, i, 6) && (monotonic(z, i, 6, 1) || monotonic(z, i, 6, -1));
      case R4:
        return full(z, i, 14) && alternating(z, i, 14);
      case R5:
        return (z[i] > 2 && count(z, i, 3, v -> v > 2) >= 2)
            || (z[i] < -2 && count(z, i, 3, v -> v < -2) >= 2);
      case R6:
        return (z[i] > 1 && count(z, i, 5, v -> v > 1) >= 4)
            || (z[i] < -1 && count(z, i, 5, v -> v < -1) >= 4);
      case R7:
        return full(z, i, 15) && all(z, i, 15, v -> Math.abs(v) < 1);
      case R8:
        return full(z, i, 8)
            && all(z, i, 8, v -> Math.abs(v) > 1)
            && count(z, i, 8, v -> v > 0) > 0
            && count(z, i, 8, v -> v < 0) > 0;
      default:
        throw new IllegalStateException("Unknown rule " + rule);
    }
  }

  private interface Test {
    boolean test(double v);
  }

  private static boolean full(double[] z, int i, int window) {
    return i + 1 >= window;
  }

  private static boolean all(double[] z, int i, int window, Test t) {
    return count(z, i, window, t) == window;
  }

  private static int count(double[] z, int i, int window, Test t) {
    int c = 0;
    for (int j = Math.max(0, i - window + 1); j <= i; j++) {
      if (t.test(z[j])) {
        c++;
      }
    }
    return c;
  }

  private static boolean monotonic(double[] z, int i, int window, int direction) {
    for (int j = i - window + 2; j <= i; j++) {
      if (Math.signum(z[j] - z[j - 1]) != direction) {
        return false;
      }
    }
    return true;
  }

  private static boolean alternating(double[] z, int i, int window) {
    double previous = 0;
    for (int j = i - window + 2; j <= i; j++) {
      double step = Math.signum(z[j] - z[j - 1]);
      if (step == 0 || step == previous) {
        return false;
      }
      previous = step;
    }
    return true;
  }
}
