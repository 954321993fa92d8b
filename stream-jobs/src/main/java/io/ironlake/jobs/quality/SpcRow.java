package io.ironlake.jobs.quality;

/**
 * One subgroup of one characteristic: a row of {@code ironlake.spc}. NaN stands for an unknown
 * number (written as null).
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param characteristic the tag charted
 * @param chart XBAR_R or XBAR_S
 * @param subgroupIndex 1 for the first subgroup of the characteristic
 * @param subgroupStartMicros first measurement's time
 * @param subgroupEndMicros last measurement's time
 * @param n measurements
 * @param mean X-bar
 * @param range R
 * @param stddev S
 * @param centerLine X-bar center line
 * @param ucl X-bar upper control limit
 * @param lcl X-bar lower control limit
 * @param dispersionCenter R-bar or S-bar
 * @param dispersionUcl R or S chart upper limit
 * @param dispersionLcl R or S chart lower limit
 * @param limitsSource BASELINE or CONFIGURED
 * @param lsl lower specification limit
 * @param usl upper specification limit
 * @param cp Cp over the capability window
 * @param cpk Cpk over the capability window
 * @param capabilitySubgroups subgroups in the capability window
 * @param violatedRules numbers of the Nelson rules firing, comma-separated, empty when none
 * @param dispersionOutOfLimits whether R or S is outside its limits
 * @param inControl no rule fires and R or S is inside its limits
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record SpcRow(
    String site,
    String area,
    String line,
    String device,
    String characteristic,
    ChartType chart,
    long subgroupIndex,
    long subgroupStartMicros,
    long subgroupEndMicros,
    int n,
    double mean,
    double range,
    double stddev,
    double centerLine,
    double ucl,
    double lcl,
    double dispersionCenter,
    double dispersionUcl,
    double dispersionLcl,
    String limitsSource,
    double lsl,
    double usl,
    double cp,
    double cpk,
    int capabilitySubgroups,
    String violatedRules,
    boolean dispersionOutOfLimits,
    boolean inControl,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public SpcRow(
      String site,
      String area,
      String line,
      String device,
      String characteristic,
      ChartType chart,
      long subgroupIndex,
      long subgroupStartMicros,
      long subgroupEndMicros,
      int n,
      double mean,
      double range,
      double stddev,
      double centerLine,
      double ucl,
      double lcl,
      double dispersionCenter,
      double dispersionUcl,
      double dispersionLcl,
      String limitsSource,
      double lsl,
      double usl,
      double cp,
      double cpk,
      int capabilitySubgroups,
      String violatedRules,
      boolean dispersionOutOfLimits,
      boolean inControl) {
    this(
        site,
        area,
        line,
        device,
        characteristic,
        chart,
        subgroupIndex,
        subgroupStartMicros,
        subgroupEndMicros,
        n,
        mean,
        range,
        stddev,
        centerLine,
        ucl,
        lcl,
        dispersionCenter,
        dispersionUcl,
        dispersionLcl,
        limitsSource,
        lsl,
        usl,
        cp,
        cpk,
        capabilitySubgroups,
        violatedRules,
        dispersionOutOfLimits,
        inControl,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public SpcRow withRulesVersion(long version) {
    return new SpcRow(
        site,
        area,
        line,
        device,
        characteristic,
        chart,
        subgroupIndex,
        subgroupStartMicros,
        subgroupEndMicros,
        n,
        mean,
        range,
        stddev,
        centerLine,
        ucl,
        lcl,
        dispersionCenter,
        dispersionUcl,
        dispersionLcl,
        limitsSource,
        lsl,
        usl,
        cp,
        cpk,
        capabilitySubgroups,
        violatedRules,
        dispersionOutOfLimits,
        inControl,
        version);
  }

  /** The row of a charted subgroup. */
  public static SpcRow of(
      String site,
      String area,
      String line,
      String device,
      String characteristic,
      SpcParams params,
      SpcResult r) {
    ControlLimits l = r.limits();
    StringBuilder rules = new StringBuilder();
    for (NelsonRule rule : NelsonRule.values()) {
      if (r.violated().contains(rule)) {
        rules.append(rules.length() == 0 ? "" : ",").append(rule.number());
      }
    }
    return new SpcRow(
        site,
        area,
        line,
        device,
        characteristic,
        params.chart(),
        r.index(),
        r.startMicros(),
        r.endMicros(),
        r.subgroup().n(),
        r.subgroup().mean(),
        r.subgroup().range(),
        r.subgroup().stddev(),
        l.center(),
        l.ucl(),
        l.lcl(),
        l.dispersionCenter(),
        l.dispersionUcl(),
        l.dispersionLcl(),
        r.configured() ? "CONFIGURED" : "BASELINE",
        params.lsl(),
        params.usl(),
        r.capability().cp(),
        r.capability().cpk(),
        r.capabilitySubgroups(),
        rules.toString(),
        r.dispersionOutOfLimits(),
        r.inControl());
  }
}
