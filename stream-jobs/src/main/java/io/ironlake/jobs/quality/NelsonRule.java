package io.ironlake.jobs.quality;

/**
 * The eight Nelson rules (the Western Electric zone rules plus the trend, alternation and
 * stratification tests), over a sequence of X-bar values. σ is the standard error of the plotted
 * mean, (UCL − CL)/3; a rule fires at the point that completes its pattern.
 */
public enum NelsonRule {
  /** One point more than 3σ from the center line. */
  R1(1, "one point beyond 3 sigma", 1),
  /** Nine points in a row on the same side of the center line (Western Electric: eight). */
  R2(2, "nine points in a row on one side of the center line", 9),
  /** Six points in a row steadily increasing or decreasing. */
  R3(3, "six points in a row steadily increasing or decreasing", 6),
  /** Fourteen points in a row alternating up and down. */
  R4(4, "fourteen points in a row alternating up and down", 14),
  /** Two of three points in a row more than 2σ from the center line, on the same side. */
  R5(5, "two of three points beyond 2 sigma on one side", 3),
  /** Four of five points in a row more than 1σ from the center line, on the same side. */
  R6(6, "four of five points beyond 1 sigma on one side", 5),
  /** Fifteen points in a row within 1σ of the center line, on either side (stratification). */
  R7(7, "fifteen points in a row within 1 sigma", 15),
  /** Eight points in a row more than 1σ from the center line, on both sides (mixture). */
  R8(8, "eight points in a row beyond 1 sigma on both sides", 8);

  private final int number;
  private final String description;
  private final int window;

  NelsonRule(int number, String description, int window) {
    this.number = number;
    this.description = description;
    this.window = window;
  }

  /** The rule's number, 1 to 8. */
  public int number() {
    return number;
  }

  /** What the rule detects, in words. */
  public String description() {
    return description;
  }

  /** How many points, ending at the current one, the rule looks at. */
  public int window() {
    return window;
  }

  /** The rule with this number. */
  public static NelsonRule of(int number) {
    if (number < 1 || number > 8) {
      throw new IllegalArgumentException("Invalid Nelson rule " + number + ": expected 1 to 8");
    }
    return values()[number - 1];
  }
}
