package io.ironlake.jobs.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ironlake.jobs.dataquality.DataQualityParams;
import io.ironlake.jobs.dataquality.DataQualityParams.ValueType;
import io.ironlake.jobs.dataquality.DataQualityParams.Weights;
import io.ironlake.jobs.energy.EnergyParams;
import io.ironlake.jobs.energy.EnergySource;
import io.ironlake.jobs.quality.ChartType;
import io.ironlake.jobs.quality.ControlLimits;
import io.ironlake.jobs.quality.NelsonRule;
import io.ironlake.jobs.quality.OeeParams;
import io.ironlake.jobs.quality.PlannedStop;
import io.ironlake.jobs.quality.ShiftCalendar;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.rules.MatchingRuleCatalog.Rule;
import io.ironlake.jobs.rules.internal.YamlReader;
import io.ironlake.jobs.safety.AlarmType;
import io.ironlake.jobs.safety.FloodParams;
import io.ironlake.jobs.safety.FrozenValueParams;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.PatternParams;
import io.ironlake.jobs.safety.Priority;
import io.ironlake.jobs.safety.RateOfChangeParams;
import io.ironlake.jobs.safety.SignalCondition;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a rule catalog file (YAML; the format is in the module README, an example in {@code
 * stream-jobs/examples/rules.yaml}) into a {@link MatchingRuleCatalog}, refusing it with a {@link
 * RuleCatalogException} that lists every problem with the file, the key path (e.g. {@code
 * rules[3].safety.limits.hh}) and what was expected.
 *
 * <pre>{@code
 * MatchingRuleCatalog rules = RuleCatalogFile.load(Path.of("rules.yaml"));
 * }</pre>
 */
public final class RuleCatalogFile {
  private static final YAMLMapper YAML = yaml();
  private static final String NAME_REGEX = "[A-Za-z0-9._-]{1,200}";
  private static final Set<String> TOP = Set.of("name", "calendars", "rules", "patterns", "flood");
  private static final Set<String> RULE =
      Set.of("match", "spc", "oee", "safety", "dataQuality", "energy");
  private static final Set<String> MATCH = Set.of("site", "area", "line", "device", "tag");
  private static final Set<String> SPC =
      Set.of(
          "chart",
          "subgroupSize",
          "lsl",
          "usl",
          "baselineSubgroups",
          "capabilitySubgroups",
          "nelsonRules",
          "processLimits");
  private static final Set<String> PROCESS = Set.of("mean", "sigma");
  private static final Set<String> OEE =
      Set.of(
          "stateTag",
          "goodCountTag",
          "totalCountTag",
          "runStates",
          "idleStates",
          "plannedStates",
          "idealCycleTime",
          "shifts",
          "maxStateGap");
  private static final Set<String> ENERGY =
      Set.of(
          "meterTag",
          "powerTag",
          "stateTag",
          "goodCountTag",
          "runStates",
          "source",
          "meterRolloverKwh",
          "maxPowerGap",
          "emissionFactorKgPerKwh",
          "baselineKwhPerHour",
          "baselineWindows",
          "shifts");
  private static final Set<String> CALENDAR = Set.of("zone", "starts", "plannedStops");
  private static final Set<String> STOP = Set.of("start", "length");
  private static final Set<String> SAFETY = Set.of("limits", "rateOfChange", "frozen");
  private static final Set<String> LIMITS = Set.of("hh", "h", "l", "ll", "deadband", "onDelay");
  private static final Set<String> ROC = Set.of("maxPerSecond", "deadband", "onDelay");
  private static final Set<String> FROZEN = Set.of("after", "tolerance");
  private static final Set<String> DATA_QUALITY =
      Set.of(
          "expectedPeriod",
          "expectedType",
          "validMin",
          "validMax",
          "latencyTarget",
          "gapFactor",
          "frozenAfter",
          "weights");
  private static final Set<String> WEIGHTS =
      Set.of("completeness", "timeliness", "validity", "quality", "uniqueness", "liveness");
  private static final Set<String> PATTERN =
      Set.of("name", "first", "second", "within", "priority", "devicePrefix", "holdOff");
  private static final Set<String> CONDITION = Set.of("tag", "above", "below");
  private static final Set<String> FLOOD = Set.of("window", "threshold");

  private final YamlReader in;
  private final Map<String, ShiftCalendar> calendars = new HashMap<>();

  private RuleCatalogFile(String source) {
    this.in = new YamlReader(source);
  }

  /** Reads and validates a catalog file. */
  public static MatchingRuleCatalog load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new RuleCatalogException(
          List.of("Cannot read rule catalog " + file + ": " + e.getMessage()));
    }
    return parse(text, file.toString());
  }

  /** Validates catalog text; {@code source} names it in messages (a file, a topic record). */
  public static MatchingRuleCatalog parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml == null ? "" : yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new RuleCatalogException(
          List.of(
              "Cannot parse rule catalog "
                  + source
                  + where
                  + ": "
                  + e.getOriginalMessage().lines().findFirst().orElse("")));
    }
    return new RuleCatalogFile(source).read(root);
  }

  private MatchingRuleCatalog read(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      root = com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    if (!in.object(root, "", TOP)) {
      throw new RuleCatalogException(in.problems());
    }
    String name = in.text(root, "", "name", null);
    if (name != null && !name.matches(NAME_REGEX)) {
      in.invalid("name", root.get("name"), "1 to 200 letters, digits, '.', '_' or '-'");
    }
    JsonNode cals = root.get("calendars");
    if (cals != null && in.object(cals, "calendars", fieldNames(cals))) {
      for (Iterator<Map.Entry<String, JsonNode>> it = cals.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ShiftCalendar c = calendar(e.getValue(), "calendars." + e.getKey());
        if (c != null) {
          calendars.put(e.getKey(), c);
        }
      }
    }
    List<Rule<SpcParams>> spc = new ArrayList<>();
    List<Rule<OeeParams>> oee = new ArrayList<>();
    List<Rule<TagSafetyParams>> safety = new ArrayList<>();
    List<Rule<DataQualityParams>> dataQuality = new ArrayList<>();
    List<Rule<EnergyParams>> energy = new ArrayList<>();
    JsonNode rules = root.get("rules");
    if (rules != null && !rules.isNull()) {
      if (!rules.isArray()) {
        in.invalid("rules", rules, "a list of rules");
      } else {
        for (int i = 0; i < rules.size(); i++) {
          readRule(rules.get(i), i, spc, oee, safety, dataQuality, energy);
        }
      }
    }
    List<PatternParams> patterns = new ArrayList<>();
    JsonNode pats = root.get("patterns");
    if (pats != null && !pats.isNull()) {
      if (!pats.isArray()) {
        in.invalid("patterns", pats, "a list of patterns");
      } else {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < pats.size(); i++) {
          PatternParams p = pattern(pats.get(i), "patterns[" + i + "]");
          if (p != null && !names.add(p.name())) {
            in.invalid("patterns[" + i + "].name", p.name(), "a name no other pattern has");
          } else if (p != null) {
            patterns.add(p);
          }
        }
      }
    }
    FloodParams flood = FloodParams.ISA_18_2;
    JsonNode f = root.get("flood");
    if (f != null && in.object(f, "flood", FLOOD)) {
      Duration window = in.duration(f, "flood", "window", FloodParams.ISA_18_2.window(), false);
      int threshold =
          in.integer(f, "flood", "threshold", FloodParams.ISA_18_2.threshold(), 1, 1_000_000);
      flood = new FloodParams(window, threshold);
    }
    if (!in.problems().isEmpty()) {
      throw new RuleCatalogException(in.problems());
    }
    return new MatchingRuleCatalog(name, spc, oee, safety, dataQuality, energy, patterns, flood);
  }

  private void readRule(
      JsonNode r,
      int i,
      List<Rule<SpcParams>> spc,
      List<Rule<OeeParams>> oee,
      List<Rule<TagSafetyParams>> safety,
      List<Rule<DataQualityParams>> dataQuality,
      List<Rule<EnergyParams>> energy) {
    String path = "rules[" + i + "]";
    if (!in.object(r, path, RULE)) {
      return;
    }
    RuleMatch match = match(r.get("match"), path + ".match");
    if (!r.has("spc")
        && !r.has("oee")
        && !r.has("safety")
        && !r.has("dataQuality")
        && !r.has("energy")) {
      in.missing(path, "at least one of dataQuality, energy, oee, safety, spc");
    }
    if (r.has("spc")) {
      SpcParams p = spc(r.get("spc"), path + ".spc");
      if (p != null) {
        spc.add(new Rule<>(match, i, p));
      }
    }
    if (r.has("oee")) {
      if (!match.anyTag()) {
        in.invalid(
            path + ".match.tag",
            r.get("match").get("tag"),
            "no tag in a rule with `oee` (OEE is per device; its tags are in the oee section)");
      }
      OeeParams p = oee(r.get("oee"), path + ".oee");
      if (p != null) {
        oee.add(new Rule<>(match, i, p));
      }
    }
    if (r.has("safety")) {
      TagSafetyParams p = safety(r.get("safety"), path + ".safety");
      if (p != null) {
        safety.add(new Rule<>(match, i, p));
      }
    }
    if (r.has("dataQuality")) {
      DataQualityParams p = dataQuality(r.get("dataQuality"), path + ".dataQuality");
      if (p != null) {
        dataQuality.add(new Rule<>(match, i, p));
      }
    }
    if (r.has("energy")) {
      boolean perDevice = match.anyTag();
      if (!perDevice) {
        in.invalid(
            path + ".match.tag",
            r.get("match").get("tag"),
            "no tag in a rule with `energy` (energy is per device; its tags are in the energy"
                + " section)");
      }
      EnergyParams p = energy(r.get("energy"), path + ".energy");
      if (p != null && perDevice) {
        energy.add(new Rule<>(match, i, p));
      }
    }
  }

  private RuleMatch match(JsonNode m, String path) {
    if (m == null || m.isNull()) {
      return RuleMatch.ANY;
    }
    if (!in.object(m, path, MATCH)) {
      return RuleMatch.ANY;
    }
    String[] v = new String[5];
    String[] keys = {"site", "area", "line", "device", "tag"};
    for (int k = 0; k < keys.length; k++) {
      v[k] = in.text(m, path, keys[k], "*");
      if (v[k] != null && v[k].contains("/")) {
        in.invalid(path + "." + keys[k], m.get(keys[k]), "a name or glob without '/'");
      }
    }
    return new RuleMatch(v[0], v[1], v[2], v[3], v[4]);
  }

  private SpcParams spc(JsonNode s, String path) {
    if (!in.object(s, path, SPC)) {
      return null;
    }
    int before = in.problems().size();
    ChartType chart = in.enumValue(s, path, "chart", ChartType.class, ChartType.XBAR_R);
    int n = in.integer(s, path, "subgroupSize", SpcParams.SUBGROUP_SIZE_DEFAULT, 2, 25);
    double lsl = in.number(s, path, "lsl", null);
    double usl = in.number(s, path, "usl", null);
    if (!Double.isNaN(lsl) && !Double.isNaN(usl) && !(usl > lsl)) {
      in.invalid(path + ".usl", s.get("usl"), "above lsl (" + lsl + ")");
    }
    int baseline =
        in.integer(s, path, "baselineSubgroups", SpcParams.BASELINE_SUBGROUPS_DEFAULT, 2, 10_000);
    int capability =
        in.integer(
            s, path, "capabilitySubgroups", SpcParams.CAPABILITY_SUBGROUPS_DEFAULT, 1, 10_000);
    Set<NelsonRule> rules = EnumSet.allOf(NelsonRule.class);
    JsonNode nr = s.get("nelsonRules");
    if (nr != null && !nr.isNull()) {
      rules = EnumSet.noneOf(NelsonRule.class);
      if (!nr.isArray()) {
        in.invalid(path + ".nelsonRules", nr, "a list of rule numbers 1 to 8");
      } else {
        for (int i = 0; i < nr.size(); i++) {
          JsonNode e = nr.get(i);
          if (!e.isIntegralNumber() || e.asInt() < 1 || e.asInt() > 8) {
            in.invalid(path + ".nelsonRules[" + i + "]", e, "a rule number 1 to 8");
          } else {
            rules.add(NelsonRule.of(e.asInt()));
          }
        }
      }
    }
    ControlLimits limits = null;
    JsonNode pl = s.get("processLimits");
    if (pl != null && in.object(pl, path + ".processLimits", PROCESS)) {
      double mean = in.number(pl, path + ".processLimits", "mean", null);
      double sigma = in.number(pl, path + ".processLimits", "sigma", null);
      if (!Double.isNaN(sigma) && !(sigma > 0)) {
        in.invalid(path + ".processLimits.sigma", pl.get("sigma"), "a positive number");
      } else if (!Double.isNaN(mean) && !Double.isNaN(sigma) && in.problems().size() == before) {
        limits = ControlLimits.fromProcess(chart, n, mean, sigma);
      }
    }
    if (in.problems().size() > before) {
      return null;
    }
    Set<NelsonRule> nelson = rules;
    ControlLimits configured = limits;
    return build(
        path,
        () ->
            SpcParams.builder()
                .chart(chart)
                .subgroupSize(n)
                .specLimits(lsl, usl)
                .baselineSubgroups(baseline)
                .capabilitySubgroups(capability)
                .rules(nelson)
                .configuredLimits(configured)
                .build());
  }

  private OeeParams oee(JsonNode o, String path) {
    if (!in.object(o, path, OEE)) {
      return null;
    }
    int before = in.problems().size();
    OeeParams d = IndicatorDefaults.OEE;
    String stateTag = in.text(o, path, "stateTag", d.stateTag());
    String goodTag = in.text(o, path, "goodCountTag", d.goodCountTag());
    String totalTag = in.text(o, path, "totalCountTag", d.totalCountTag());
    List<String> run = in.texts(o, path, "runStates", List.copyOf(d.runStates()));
    List<String> idle = in.texts(o, path, "idleStates", List.copyOf(d.idleStates()));
    List<String> planned = in.texts(o, path, "plannedStates", List.copyOf(d.plannedStates()));
    Duration ideal = in.duration(o, path, "idealCycleTime", Duration.ZERO, false);
    Duration gap = in.duration(o, path, "maxStateGap", d.maxStateGap(), false);
    ShiftCalendar shifts = shifts(o, path);
    if (in.problems().size() > before || shifts == null) {
      return null;
    }
    ShiftCalendar calendar = shifts;
    return build(
        path,
        () ->
            new OeeParams(
                stateTag,
                goodTag,
                totalTag,
                Set.copyOf(run),
                Set.copyOf(idle),
                Set.copyOf(planned),
                ideal.isZero() ? null : ideal,
                calendar,
                gap));
  }

  /** The {@code shifts} key: a calendar name, an inline calendar or the default; null if bad. */
  private ShiftCalendar shifts(JsonNode section, String path) {
    JsonNode sh = section.get("shifts");
    if (sh == null || sh.isNull()) {
      return ShiftCalendar.DEFAULT;
    }
    if (!sh.isTextual()) {
      return calendar(sh, path + ".shifts");
    }
    ShiftCalendar named = calendars.get(sh.asText());
    if (named == null) {
      in.invalid(
          path + ".shifts",
          sh,
          calendars.isEmpty()
              ? "an inline calendar (no `calendars` are defined)"
              : "the name of one of `calendars` "
                  + new java.util.TreeSet<>(calendars.keySet())
                  + " or an inline calendar");
    }
    return named;
  }

  private EnergyParams energy(JsonNode e, String path) {
    if (!in.object(e, path, ENERGY)) {
      return null;
    }
    int before = in.problems().size();
    EnergyParams d = EnergyParams.DEFAULTS;
    String meterTag = in.text(e, path, "meterTag", d.meterTag());
    String powerTag = in.text(e, path, "powerTag", d.powerTag());
    String stateTag = in.text(e, path, "stateTag", d.stateTag());
    String goodTag = in.text(e, path, "goodCountTag", d.goodCountTag());
    List<String> run = in.texts(e, path, "runStates", List.copyOf(d.runStates()));
    if (e.path("runStates").isArray() && e.get("runStates").isEmpty()) {
      in.invalid(path + ".runStates", e.get("runStates"), "at least one state");
    }
    EnergySource source = in.enumValue(e, path, "source", EnergySource.class, d.source());
    double rollover = in.number(e, path, "meterRolloverKwh", d.meterRolloverKwh());
    if (e.path("meterRolloverKwh").isNumber() && !(rollover > 0)) {
      in.invalid(path + ".meterRolloverKwh", e.get("meterRolloverKwh"), "a positive number");
    }
    Duration gap = in.duration(e, path, "maxPowerGap", d.maxPowerGap(), false);
    double factor = in.number(e, path, "emissionFactorKgPerKwh", d.emissionFactorKgPerKwh());
    if (e.path("emissionFactorKgPerKwh").isNumber() && !(factor >= 0)) {
      in.invalid(
          path + ".emissionFactorKgPerKwh",
          e.get("emissionFactorKgPerKwh"),
          "zero or a positive number");
    }
    double baseline = in.number(e, path, "baselineKwhPerHour", d.baselineKwhPerHour());
    if (e.path("baselineKwhPerHour").isNumber() && !(baseline >= 0)) {
      in.invalid(
          path + ".baselineKwhPerHour", e.get("baselineKwhPerHour"), "zero or a positive number");
    }
    int windows = in.integer(e, path, "baselineWindows", d.baselineWindows(), 1, 10_080);
    ShiftCalendar shifts = shifts(e, path);
    if (in.problems().size() > before || shifts == null) {
      return null;
    }
    return build(
        path,
        () ->
            new EnergyParams(
                meterTag,
                powerTag,
                stateTag,
                goodTag,
                Set.copyOf(run),
                source,
                rollover,
                gap,
                factor,
                baseline,
                windows,
                shifts));
  }

  private ShiftCalendar calendar(JsonNode c, String path) {
    if (!in.object(c, path, CALENDAR)) {
      return null;
    }
    int before = in.problems().size();
    ZoneId zone = java.time.ZoneOffset.UTC;
    String z = in.text(c, path, "zone", "UTC");
    try {
      zone = ZoneId.of(z).normalized();
    } catch (DateTimeException e) {
      in.invalid(path + ".zone", c.get("zone"), "a time zone such as UTC or Europe/Berlin");
    }
    List<LocalTime> starts = new ArrayList<>();
    JsonNode s = c.get("starts");
    if (s == null || !s.isArray() || s.isEmpty()) {
      in.invalid(path + ".starts", s, "a list of shift start times such as [\"06:00\", \"14:00\"]");
    } else {
      for (int i = 0; i < s.size(); i++) {
        LocalTime t = in.time(s.get(i), path + ".starts[" + i + "]");
        if (t != null && !starts.isEmpty() && !t.isAfter(starts.get(starts.size() - 1))) {
          in.invalid(path + ".starts[" + i + "]", s.get(i), "a time after the previous start");
        }
        if (t != null) {
          starts.add(t);
        }
      }
    }
    List<PlannedStop> stops = new ArrayList<>();
    JsonNode ps = c.get("plannedStops");
    if (ps != null && !ps.isNull()) {
      if (!ps.isArray()) {
        in.invalid(path + ".plannedStops", ps, "a list of {start, length}");
      } else {
        for (int i = 0; i < ps.size(); i++) {
          String p = path + ".plannedStops[" + i + "]";
          if (in.object(ps.get(i), p, STOP)) {
            LocalTime start = in.time(ps.get(i).get("start"), p + ".start");
            Duration length = in.duration(ps.get(i), p, "length", null, false);
            if (length != null && length.compareTo(Duration.ofDays(1)) >= 0) {
              in.invalid(p + ".length", ps.get(i).get("length"), "less than a day");
            } else if (start != null && length != null) {
              stops.add(new PlannedStop(start, length));
            }
          }
        }
      }
    }
    if (in.problems().size() > before) {
      return null;
    }
    ZoneId zoneId = zone;
    return build(path, () -> new ShiftCalendar(zoneId, starts, stops));
  }

  private TagSafetyParams safety(JsonNode s, String path) {
    if (!in.object(s, path, SAFETY)) {
      return null;
    }
    if (!s.has("limits") && !s.has("rateOfChange") && !s.has("frozen")) {
      in.missing(path, "at least one of frozen, limits, rateOfChange");
      return null;
    }
    int before = in.problems().size();
    LimitAlarmParams limits = null;
    JsonNode l = s.get("limits");
    String lp = path + ".limits";
    if (l != null && in.object(l, lp, LIMITS)) {
      double hh = in.number(l, lp, "hh", Double.NaN);
      double h = in.number(l, lp, "h", Double.NaN);
      double lo = in.number(l, lp, "l", Double.NaN);
      double ll = in.number(l, lp, "ll", Double.NaN);
      if (Double.isNaN(hh) && Double.isNaN(h) && Double.isNaN(lo) && Double.isNaN(ll)) {
        in.missing(lp, "at least one of hh, h, l, ll");
      }
      if (!Double.isNaN(hh) && !Double.isNaN(h) && !(hh > h)) {
        in.invalid(lp + ".hh", l.get("hh"), "above h (" + h + ")");
      }
      if (!Double.isNaN(ll) && !Double.isNaN(lo) && !(ll < lo)) {
        in.invalid(lp + ".ll", l.get("ll"), "below l (" + lo + ")");
      }
      double highest = Double.isNaN(lo) ? ll : lo;
      double lowestHigh = Double.isNaN(h) ? hh : h;
      if (!Double.isNaN(highest) && !Double.isNaN(lowestHigh) && !(lowestHigh > highest)) {
        in.invalid(
            lp + (Double.isNaN(h) ? ".hh" : ".h"),
            l.get(Double.isNaN(h) ? "hh" : "h"),
            "above the low limits (" + highest + ")");
      }
      double deadband = nonNegative(l, lp, "deadband");
      Duration onDelay = in.duration(l, lp, "onDelay", Duration.ZERO, true);
      if (in.problems().size() == before) {
        limits = new LimitAlarmParams(hh, h, lo, ll, deadband, onDelay);
      }
    }
    RateOfChangeParams roc = null;
    JsonNode r = s.get("rateOfChange");
    String rp = path + ".rateOfChange";
    if (r != null && in.object(r, rp, ROC)) {
      double max = in.number(r, rp, "maxPerSecond", null);
      if (!Double.isNaN(max) && !(max > 0)) {
        in.invalid(rp + ".maxPerSecond", r.get("maxPerSecond"), "a positive number");
      }
      double deadband = nonNegative(r, rp, "deadband");
      Duration onDelay = in.duration(r, rp, "onDelay", Duration.ZERO, true);
      if (in.problems().size() == before) {
        roc = new RateOfChangeParams(max, deadband, onDelay);
      }
    }
    FrozenValueParams frozen = null;
    JsonNode f = s.get("frozen");
    String fp = path + ".frozen";
    if (f != null && in.object(f, fp, FROZEN)) {
      Duration after = in.duration(f, fp, "after", null, false);
      double tolerance = nonNegative(f, fp, "tolerance");
      if (in.problems().size() == before) {
        frozen = new FrozenValueParams(after, tolerance);
      }
    }
    if (in.problems().size() > before) {
      return null;
    }
    return new TagSafetyParams(limits, roc, frozen);
  }

  private DataQualityParams dataQuality(JsonNode q, String path) {
    if (!in.object(q, path, DATA_QUALITY)) {
      return null;
    }
    int before = in.problems().size();
    DataQualityParams d = DataQualityParams.DEFAULTS;
    Duration period = in.duration(q, path, "expectedPeriod", d.expectedPeriod(), false);
    ValueType type = in.enumValue(q, path, "expectedType", ValueType.class, d.expectedType());
    Double min = in.optionalNumber(q, path, "validMin");
    Double max = in.optionalNumber(q, path, "validMax");
    if (min != null && max != null && min > max) {
      in.invalid(path + ".validMax", q.get("validMax"), "at least validMin (" + min + ")");
    }
    Duration latency = in.duration(q, path, "latencyTarget", d.latencyTarget(), false);
    double gapFactor = in.number(q, path, "gapFactor", d.gapFactor());
    if (!(gapFactor >= 1)) {
      in.invalid(path + ".gapFactor", q.get("gapFactor"), "a number of at least 1");
    }
    Duration frozenAfter = in.duration(q, path, "frozenAfter", d.frozenAfter(), false);
    Weights weights = d.weights();
    JsonNode w = q.get("weights");
    String wp = path + ".weights";
    if (w != null && in.object(w, wp, WEIGHTS)) {
      Weights dw = Weights.DEFAULT;
      double[] v = {
        nonNegative(w, wp, "completeness", dw.completeness()),
        nonNegative(w, wp, "timeliness", dw.timeliness()),
        nonNegative(w, wp, "validity", dw.validity()),
        nonNegative(w, wp, "quality", dw.quality()),
        nonNegative(w, wp, "uniqueness", dw.uniqueness()),
        nonNegative(w, wp, "liveness", dw.liveness())
      };
      if (v[0] + v[1] + v[2] + v[3] + v[4] + v[5] <= 0) {
        in.invalid(wp, w, "at least one positive weight");
      } else {
        weights = new Weights(v[0], v[1], v[2], v[3], v[4], v[5]);
      }
    }
    if (in.problems().size() > before) {
      return null;
    }
    Weights ws = weights;
    return build(
        path,
        () -> new DataQualityParams(period, type, min, max, latency, gapFactor, frozenAfter, ws));
  }

  private PatternParams pattern(JsonNode p, String path) {
    if (!in.object(p, path, PATTERN)) {
      return null;
    }
    int before = in.problems().size();
    String name = in.text(p, path, "name", null);
    if (name != null && !name.matches("[A-Za-z0-9_.-]+")) {
      in.invalid(path + ".name", p.get("name"), "letters, digits, '_', '.', '-'");
    }
    SignalCondition first = condition(p.get("first"), path + ".first");
    SignalCondition second = condition(p.get("second"), path + ".second");
    if (first != null && second != null && first.tag().equals(second.tag())) {
      in.invalid(path + ".second.tag", p.get("second").get("tag"), "a tag other than first's");
    }
    Duration within = in.duration(p, path, "within", null, false);
    Priority priority =
        in.enumValue(p, path, "priority", Priority.class, AlarmType.PATTERN.defaultPriority());
    String prefix = "";
    JsonNode dp = p.get("devicePrefix");
    if (dp != null && !dp.isNull()) {
      if (!dp.isTextual()) {
        in.invalid(path + ".devicePrefix", dp, "a text such as plant-sh/ (\"\" for all devices)");
      } else {
        prefix = dp.asText();
      }
    }
    Duration holdOff = in.duration(p, path, "holdOff", Duration.ZERO, true);
    if (in.problems().size() > before) {
      return null;
    }
    String devicePrefix = prefix;
    return build(
        path,
        () -> new PatternParams(name, first, second, within, priority, devicePrefix, holdOff));
  }

  private SignalCondition condition(JsonNode c, String path) {
    if (c == null) {
      in.missing(path, "a condition {tag, above} or {tag, below}");
      return null;
    }
    if (!in.object(c, path, CONDITION)) {
      return null;
    }
    String tag = in.text(c, path, "tag", null);
    if (c.has("above") == c.has("below")) {
      in.invalid(path, c, "exactly one of above, below");
      return null;
    }
    boolean above = c.has("above");
    double threshold = in.number(c, path, above ? "above" : "below", null);
    if (tag == null || Double.isNaN(threshold)) {
      return null;
    }
    return new SignalCondition(tag, above, threshold);
  }

  private double nonNegative(JsonNode parent, String path, String key) {
    return nonNegative(parent, path, key, 0);
  }

  private double nonNegative(JsonNode parent, String path, String key, double fallback) {
    double v = in.number(parent, path, key, fallback);
    if (!(v >= 0)) {
      in.invalid(path + "." + key, parent.get(key), "zero or a positive number");
      return fallback;
    }
    return v;
  }

  /** Runs a record's own checks, reporting what they refuse under the section's path. */
  private <T> T build(String path, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      in.invalid(path, "(this section)", "valid parameters: " + e.getMessage());
      return null;
    }
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> names = new HashSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static YAMLMapper yaml() {
    YAMLMapper m = new YAMLMapper();
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return m;
  }
}
