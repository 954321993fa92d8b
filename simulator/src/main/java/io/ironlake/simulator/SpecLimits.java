package io.ironlake.simulator;

/**
 * Specification limits of a quality characteristic.
 *
 * @param lsl lower specification limit
 * @param nominal target value
 * @param usl upper specification limit
 */
public record SpecLimits(double lsl, double nominal, double usl) {

  public SpecLimits {
    if (!(lsl < nominal && nominal < usl)) {
      throw new IllegalArgumentException(
          "Invalid spec limits "
              + lsl
              + " / "
              + nominal
              + " / "
              + usl
              + ": expected LSL < nominal < USL");
    }
  }

  /** Whether {@code value} lies within [LSL, USL]. */
  public boolean contains(double value) {
    return value >= lsl && value <= usl;
  }
}
