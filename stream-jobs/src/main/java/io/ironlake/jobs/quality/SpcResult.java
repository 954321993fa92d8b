package io.ironlake.jobs.quality;

import java.util.List;
import java.util.Set;

/**
 * One charted subgroup: its statistics against the control limits.
 *
 * @param index 1 for the characteristic's first subgroup
 * @param startMicros first measurement's time
 * @param endMicros last measurement's time
 * @param subgroup n, mean, range, stddev
 * @param limits the control limits it was checked against
 * @param configured whether those were configured (else computed from the baseline)
 * @param capability Cp/Cpk over the latest {@code capabilitySubgroups} subgroups up to this one
 * @param capabilitySubgroups how many subgroups that was
 * @param violated the Nelson rules firing at this subgroup
 * @param dispersionOutOfLimits whether R (or S) is outside its chart's limits
 * @param changes rules that started or stopped firing at this subgroup
 */
public record SpcResult(
    long index,
    long startMicros,
    long endMicros,
    Subgroup subgroup,
    ControlLimits limits,
    boolean configured,
    Capability capability,
    int capabilitySubgroups,
    Set<NelsonRule> violated,
    boolean dispersionOutOfLimits,
    List<RuleChange> changes) {

  /** In control: no rule fires and the dispersion is within its limits. */
  public boolean inControl() {
    return violated.isEmpty() && !dispersionOutOfLimits;
  }

  /**
   * A rule started ({@code firing}) or stopped firing.
   *
   * @param rule the rule
   * @param firing true when it started
   * @param raisedAtMicros when it started firing (the end of the subgroup where it first fired)
   */
  public record RuleChange(NelsonRule rule, boolean firing, long raisedAtMicros) {}
}
