package io.ironlake.jobs.rules;

import io.ironlake.jobs.dataquality.DataQualityParams;
import io.ironlake.jobs.energy.EnergyParams;
import io.ironlake.jobs.quality.OeeParams;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.safety.FloodParams;
import io.ironlake.jobs.safety.PatternParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rule catalog of matched rules, as a catalog file ({@link RuleCatalogFile}) describes it: for
 * each kind of parameters, the most specific rule whose {@link RuleMatch} matches the point wins
 * ({@link RuleMatch#specificity()}), the later one on a tie. Answers are memoized per device path
 * and tag.
 */
public final class MatchingRuleCatalog implements RuleCatalog {
  private static final long serialVersionUID = 1L;
  private static final int MEMO_LIMIT = 100_000;

  /**
   * One rule of one kind.
   *
   * @param match which points it applies to
   * @param index its position in the file ({@code rules[index]})
   * @param params the parameters
   * @param <T> the kind of parameters
   */
  public record Rule<T extends Serializable>(RuleMatch match, int index, T params)
      implements Serializable {}

  private final String name;
  private final List<Rule<SpcParams>> spc;
  private final List<Rule<OeeParams>> oee;
  private final List<Rule<TagSafetyParams>> safety;
  private final List<Rule<DataQualityParams>> dataQuality;
  private final List<Rule<EnergyParams>> energy;
  private final List<PatternParams> patterns;
  private final FloodParams flood;
  private transient Memo spcMemo;
  private transient Memo oeeMemo;
  private transient Memo safetyMemo;
  private transient Memo dataQualityMemo;
  private transient Memo energyMemo;
  private transient List<Rule<EnergyParams>> energyLineRules;

  /**
   * @param name the catalog's name (the Kafka record key when published)
   * @param spc SPC rules
   * @param oee OEE rules (their tag level is {@code *})
   * @param safety single-signal alarm rules
   * @param dataQuality data-quality rules; a tag no rule matches gets {@link
   *     DataQualityParams#DEFAULTS}
   * @param energy energy rules (their tag level is {@code *}); a device no rule matches gets {@link
   *     EnergyParams#DEFAULTS}
   * @param patterns multi-signal patterns
   * @param flood alarm-flood detection
   */
  public MatchingRuleCatalog(
      String name,
      List<Rule<SpcParams>> spc,
      List<Rule<OeeParams>> oee,
      List<Rule<TagSafetyParams>> safety,
      List<Rule<DataQualityParams>> dataQuality,
      List<Rule<EnergyParams>> energy,
      List<PatternParams> patterns,
      FloodParams flood) {
    this.name = Objects.requireNonNull(name, "Missing value for `name`");
    this.spc = List.copyOf(spc);
    this.oee = List.copyOf(oee);
    this.safety = List.copyOf(safety);
    this.dataQuality = List.copyOf(dataQuality);
    this.energy = List.copyOf(energy);
    for (Rule<EnergyParams> r : this.energy) {
      if (!r.match().anyTag()) {
        throw new IllegalArgumentException(
            "Invalid value "
                + r.match()
                + " for `energy` rule: expected no tag (energy is per device)");
      }
    }
    this.patterns = List.copyOf(patterns);
    this.flood = Objects.requireNonNull(flood, "Missing value for `flood`");
  }

  /** The catalog's name. */
  public String name() {
    return name;
  }

  /** The SPC rules in file order. */
  public List<Rule<SpcParams>> spcRules() {
    return spc;
  }

  /** The OEE rules in file order. */
  public List<Rule<OeeParams>> oeeRules() {
    return oee;
  }

  /** The safety rules in file order. */
  public List<Rule<TagSafetyParams>> safetyRules() {
    return safety;
  }

  /** The data-quality rules in file order. */
  public List<Rule<DataQualityParams>> dataQualityRules() {
    return dataQuality;
  }

  /** The energy rules in file order. */
  public List<Rule<EnergyParams>> energyRules() {
    return energy;
  }

  @Override
  public Optional<SpcParams> spc(String devicePath, String tag) {
    if (spcMemo == null) {
      spcMemo = new Memo();
    }
    return Optional.ofNullable(best(spc, spcMemo, devicePath, tag));
  }

  @Override
  public Optional<OeeParams> oee(String devicePath) {
    if (oeeMemo == null) {
      oeeMemo = new Memo();
    }
    return Optional.ofNullable(best(oee, oeeMemo, devicePath, null));
  }

  @Override
  public Optional<TagSafetyParams> safety(String devicePath, String tag) {
    if (safetyMemo == null) {
      safetyMemo = new Memo();
    }
    return Optional.ofNullable(best(safety, safetyMemo, devicePath, tag));
  }

  @Override
  public DataQualityParams dataQuality(String devicePath, String tag) {
    if (dataQualityMemo == null) {
      dataQualityMemo = new Memo();
    }
    DataQualityParams p = best(dataQuality, dataQualityMemo, devicePath, tag);
    return p == null ? DataQualityParams.DEFAULTS : p;
  }

  /**
   * The most specific energy rule matching the device, else {@link EnergyParams#DEFAULTS}. For a
   * line path ({@code site/area/line}, asked for the line rows' shift calendar) only rules that
   * leave the device level {@code *} apply.
   */
  @Override
  public EnergyParams energy(String devicePath) {
    if (energy.isEmpty()) {
      return EnergyParams.DEFAULTS;
    }
    if (energyMemo == null) {
      energyMemo = new Memo();
    }
    EnergyParams p;
    if (devicePath.split("/", -1).length == 3) {
      if (energyLineRules == null) {
        energyLineRules = energy.stream().filter(r -> "*".equals(r.match().device())).toList();
      }
      // the memo key cannot clash with a device's: "*" is not a device name
      p = best(energyLineRules, energyMemo, devicePath + "/*", null);
    } else {
      p = best(energy, energyMemo, devicePath, null);
    }
    return p == null ? EnergyParams.DEFAULTS : p;
  }

  @Override
  public List<PatternParams> patterns() {
    return patterns;
  }

  @Override
  public FloodParams flood() {
    return flood;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatchingRuleCatalog c
        && name.equals(c.name)
        && spc.equals(c.spc)
        && oee.equals(c.oee)
        && safety.equals(c.safety)
        && dataQuality.equals(c.dataQuality)
        && energy.equals(c.energy)
        && patterns.equals(c.patterns)
        && flood.equals(c.flood);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, spc, oee, safety, dataQuality, energy, patterns, flood);
  }

  @Override
  public String toString() {
    return "MatchingRuleCatalog[name="
        + name
        + ", spc="
        + spc.size()
        + ", oee="
        + oee.size()
        + ", safety="
        + safety.size()
        + ", dataQuality="
        + dataQuality.size()
        + ", energy="
        + energy.size()
        + ", patterns="
        + patterns.stream().map(PatternParams::name).toList()
        + ", flood="
        + flood
        + "]";
  }

  @SuppressWarnings("unchecked")
  private static <T extends Serializable> T best(
      List<Rule<T>> rules, Memo memo, String devicePath, String tag) {
    if (rules.isEmpty()) {
      return null;
    }
    Optional<Object> found = memo.get(devicePath, tag);
    if (found == null) {
      Rule<T> best = null;
      for (Rule<T> r : rules) {
        if (r.match().matches(devicePath, tag)
            && (best == null || r.match().specificity() >= best.match().specificity())) {
          best = r;
        }
      }
      found = Optional.ofNullable(best == null ? null : best.params());
      memo.put(devicePath, tag, found);
    }
    return (T) found.orElse(null);
  }

  /**
   * Lookups already made, by device path then tag (no key string is built per lookup); cleared when
   * it holds {@value #MEMO_LIMIT} of them.
   */
  private static final class Memo {
    private static final String NO_TAG = "\u0000";
    private final Map<String, Map<String, Optional<Object>>> byDevice = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    Optional<Object> get(String devicePath, String tag) {
      Map<String, Optional<Object>> tags = byDevice.get(devicePath);
      return tags == null ? null : tags.get(tag == null ? NO_TAG : tag);
    }

    void put(String devicePath, String tag, Optional<Object> found) {
      if (size.incrementAndGet() > MEMO_LIMIT) {
        byDevice.clear();
        size.set(1);
      }
      byDevice
          .computeIfAbsent(devicePath, k -> new ConcurrentHashMap<>())
          .put(tag == null ? NO_TAG : tag, found);
    }
  }
}
