package io.ironlake.jobs.quality;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * How one characteristic (a numeric tag of a device) is charted. A rule catalog supplies one per
 * site/line/device/tag.
 *
 * <pre>{@code
 * SpcParams p = SpcParams.builder().specLimits(11.95, 12.05).subgroupSize(5).build();
 * }</pre>
 *
 * @param chart X-bar/R or X-bar/S
 * @param subgroupSize consecutive measurements per subgroup, 2 to 25
 * @param lsl lower specification limit
 * @param usl upper specification limit
 * @param configuredLimits fixed control limits; null to compute them from a baseline
 * @param baselineSubgroups subgroups the limits are computed from (phase I) when none are
 *     configured
 * @param capabilitySubgroups how many of the latest subgroups Cp/Cpk are computed over
 * @param rules the Nelson rules checked
 */
public record SpcParams(
    ChartType chart,
    int subgroupSize,
    double lsl,
    double usl,
    ControlLimits configuredLimits,
    int baselineSubgroups,
    int capabilitySubgroups,
    Set<NelsonRule> rules)
    implements Serializable {

  /** Default of {@code subgroupSize}. */
  public static final int SUBGROUP_SIZE_DEFAULT = 5;

  /** Default of {@code baselineSubgroups}: 25, the usual phase I length. */
  public static final int BASELINE_SUBGROUPS_DEFAULT = 25;

  /** Default of {@code capabilitySubgroups}. */
  public static final int CAPABILITY_SUBGROUPS_DEFAULT = 25;

  public SpcParams {
    if (chart == null) {
      throw new IllegalArgumentException("Missing value for `chart`");
    }
    SpcConstants.forSize(subgroupSize);
    if (!(usl > lsl)) {
      throw new IllegalArgumentException(
          "Invalid spec limits " + lsl + " .. " + usl + ": expected lsl < usl");
    }
    if (configuredLimits != null
        && (configuredLimits.chart() != chart || configuredLimits.subgroupSize() != subgroupSize)) {
      throw new IllegalArgumentException(
          "Invalid configured limits for "
              + configuredLimits.chart()
              + " n="
              + configuredLimits.subgroupSize()
              + ": expected "
              + chart
              + " n="
              + subgroupSize);
    }
    if (baselineSubgroups < 2) {
      throw new IllegalArgumentException(
          "Invalid value " + baselineSubgroups + " for `baselineSubgroups`: expected at least 2");
    }
    if (capabilitySubgroups < 1) {
      throw new IllegalArgumentException(
          "Invalid value "
              + capabilitySubgroups
              + " for `capabilitySubgroups`: expected at least 1");
    }
    rules = rules.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(rules));
  }

  /** A builder: X-bar/R, n = 5, limits from 25 baseline subgroups, all eight rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SpcParams}; spec limits are required. */
  public static final class Builder {
    private ChartType chart = ChartType.XBAR_R;
    private int subgroupSize = SUBGROUP_SIZE_DEFAULT;
    private double lsl = Double.NaN;
    private double usl = Double.NaN;
    private ControlLimits configuredLimits;
    private int baselineSubgroups = BASELINE_SUBGROUPS_DEFAULT;
    private int capabilitySubgroups = CAPABILITY_SUBGROUPS_DEFAULT;
    private Set<NelsonRule> rules = EnumSet.allOf(NelsonRule.class);

    private Builder() {}

    public Builder chart(ChartType value) {
      this.chart = value;
      return this;
    }

    public Builder subgroupSize(int value) {
      this.subgroupSize = value;
      return this;
    }

    public Builder specLimits(double lower, double upper) {
      this.lsl = lower;
      this.usl = upper;
      return this;
    }

    /**
     * Fixed control limits (for example {@link ControlLimits#fromProcess}) instead of a baseline.
     */
    public Builder configuredLimits(ControlLimits value) {
      this.configuredLimits = value;
      return this;
    }

    public Builder baselineSubgroups(int value) {
      this.baselineSubgroups = value;
      return this;
    }

    public Builder capabilitySubgroups(int value) {
      this.capabilitySubgroups = value;
      return this;
    }

    public Builder rules(Set<NelsonRule> value) {
      this.rules = value;
      return this;
    }

    public SpcParams build() {
      return new SpcParams(
          chart,
          subgroupSize,
          lsl,
          usl,
          configuredLimits,
          baselineSubgroups,
          capabilitySubgroups,
          rules);
    }
  }
}
