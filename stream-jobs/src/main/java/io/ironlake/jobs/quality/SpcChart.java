package io.ironlake.jobs.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An X-bar/R or X-bar/S chart of one characteristic, fed measurements in timestamp order.
 * Consecutive measurements form subgroups of {@link SpcParams#subgroupSize()}. With configured
 * limits each subgroup is charted when complete. Otherwise the first {@link
 * SpcParams#baselineSubgroups()} subgroups are held until they are all there, the limits are
 * computed from them (phase I) and they are charted against those limits, in order; the limits then
 * stay fixed. A baseline without spread (all equal) cannot give limits: it is dropped and a new one
 * begins.
 *
 * <pre>{@code
 * SpcChart chart = new SpcChart(params, SpcState.initial());
 * List<SpcResult> done = chart.add(tsMicros, value);   // then keep chart.snapshot()
 * }</pre>
 */
public final class SpcChart {
  private final SpcParams params;
  private SpcState s;
  private boolean baselineRejected;

  /** Continues from a snapshot. */
  public SpcChart(SpcParams params, SpcState state) {
    this.params = params;
    this.s = state;
  }

  /** What to keep for the next call. */
  public SpcState snapshot() {
    return s;
  }

  /** Whether the last {@link #add} completed a baseline without spread, which was dropped. */
  public boolean baselineRejected() {
    return baselineRejected;
  }

  /** Adds a measurement; returns the subgroups charted because of it (none, one or a baseline). */
  public List<SpcResult> add(long tsMicros, double value) {
    baselineRejected = false;
    double[] values = Arrays.copyOf(s.values(), s.values().length + 1);
    values[values.length - 1] = value;
    long start = s.values().length == 0 ? tsMicros : s.start();
    if (values.length < params.subgroupSize()) {
      s = with(values, start, tsMicros);
      return List.of();
    }
    Subgroup sg = Subgroup.of(values);
    long index = s.index() + 1;
    s = withIndex(with(new double[0], 0, 0), index);

    if (s.limits() == null && params.configuredLimits() != null) {
      s = withLimits(params.configuredLimits(), true);
    }
    if (s.limits() != null) {
      return List.of(chart(index, start, tsMicros, sg));
    }
    // Phase I: hold the subgroup until the baseline is complete.
    double[] base = Arrays.copyOf(s.baseline(), s.baseline().length + 3);
    base[base.length - 3] = sg.mean();
    base[base.length - 2] = sg.range();
    base[base.length - 1] = sg.stddev();
    long[] bStart = append(s.baselineStart(), start);
    long[] bEnd = append(s.baselineEnd(), tsMicros);
    int count = bStart.length;
    if (count < params.baselineSubgroups()) {
      s = withBaseline(base, bStart, bEnd);
      return List.of();
    }
    List<Subgroup> baseline = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      baseline.add(
          new Subgroup(params.subgroupSize(), base[3 * i], base[3 * i + 1], base[3 * i + 2]));
    }
    s = withBaseline(new double[0], new long[0], new long[0]);
    ControlLimits limits;
    try {
      limits = ControlLimits.fromBaseline(params.chart(), baseline);
    } catch (IllegalArgumentException e) {
      baselineRejected = true; // no spread: start a new baseline
      return List.of();
    }
    s = withLimits(limits, false);
    List<SpcResult> results = new ArrayList<>(count);
    long first = index - count + 1;
    for (int i = 0; i < count; i++) {
      results.add(chart(first + i, bStart[i], bEnd[i], baseline.get(i)));
    }
    return results;
  }

  private SpcResult chart(long index, long start, long end, Subgroup sg) {
    ControlLimits limits = s.limits();
    double[] z = tail(append(s.z(), limits.zScore(sg.mean())), NelsonRules.HISTORY);
    Set<NelsonRule> fired = NelsonRules.firing(z, params.rules());

    double dispersion = params.chart() == ChartType.XBAR_R ? sg.range() : sg.stddev();
    double[] cap =
        tail(
            append(append(s.capability(), sg.mean()), dispersion),
            2 * params.capabilitySubgroups());
    int capCount = cap.length / 2;
    double meanOfMeans = 0;
    double meanDispersion = 0;
    for (int i = 0; i < capCount; i++) {
      meanOfMeans += cap[2 * i];
      meanDispersion += cap[2 * i + 1];
    }
    meanOfMeans /= capCount;
    meanDispersion /= capCount;
    SpcConstants k = SpcConstants.forSize(params.subgroupSize());
    double sigma =
        params.chart() == ChartType.XBAR_R ? meanDispersion / k.d2() : meanDispersion / k.c4();
    Capability capability = Capability.of(meanOfMeans, sigma, params.lsl(), params.usl());

    long[] raisedAt = s.raisedAt().clone();
    List<SpcResult.RuleChange> changes = new ArrayList<>(2);
    for (NelsonRule rule : NelsonRule.values()) {
      int i = rule.number() - 1;
      boolean was = raisedAt[i] != Long.MIN_VALUE;
      boolean is = fired.contains(rule);
      if (is && !was) {
        raisedAt[i] = end;
        changes.add(new SpcResult.RuleChange(rule, true, end));
      } else if (!is && was) {
        changes.add(new SpcResult.RuleChange(rule, false, raisedAt[i]));
        raisedAt[i] = Long.MIN_VALUE;
      }
    }
    s =
        new SpcState(
            s.values(),
            s.start(),
            s.end(),
            s.index(),
            s.baseline(),
            s.baselineStart(),
            s.baselineEnd(),
            s.limits(),
            s.configured(),
            z,
            cap,
            raisedAt);
    return new SpcResult(
        index,
        start,
        end,
        sg,
        limits,
        s.configured(),
        capability,
        capCount,
        fired.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fired)),
        limits.dispersionOutOfLimits(sg),
        List.copyOf(changes));
  }

  private SpcState with(double[] values, long start, long end) {
    return new SpcState(
        values,
        start,
        end,
        s.index(),
        s.baseline(),
        s.baselineStart(),
        s.baselineEnd(),
        s.limits(),
        s.configured(),
        s.z(),
        s.capability(),
        s.raisedAt());
  }

  private SpcState withIndex(SpcState t, long index) {
    return new SpcState(
        t.values(),
        t.start(),
        t.end(),
        index,
        t.baseline(),
        t.baselineStart(),
        t.baselineEnd(),
        t.limits(),
        t.configured(),
        t.z(),
        t.capability(),
        t.raisedAt());
  }

  private SpcState withBaseline(double[] base, long[] bStart, long[] bEnd) {
    return new SpcState(
        s.values(),
        s.start(),
        s.end(),
        s.index(),
        base,
        bStart,
        bEnd,
        s.limits(),
        s.configured(),
        s.z(),
        s.capability(),
        s.raisedAt());
  }

  private SpcState withLimits(ControlLimits limits, boolean configured) {
    return new SpcState(
        s.values(),
        s.start(),
        s.end(),
        s.index(),
        s.baseline(),
        s.baselineStart(),
        s.baselineEnd(),
        limits,
        configured,
        s.z(),
        s.capability(),
        s.raisedAt());
  }

  private static double[] append(double[] a, double v) {
    double[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  private static long[] append(long[] a, long v) {
    long[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  private static double[] tail(double[] a, int max) {
    return a.length <= max ? a : Arrays.copyOfRange(a, a.length - max, a.length);
  }
}
