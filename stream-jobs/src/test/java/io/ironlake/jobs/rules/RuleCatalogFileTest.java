package io.ironlake.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.jobs.dataquality.DataQualityParams;
import io.ironlake.jobs.dataquality.DataQualityParams.ValueType;
import io.ironlake.jobs.energy.EnergyParams;
import io.ironlake.jobs.energy.EnergySource;
import io.ironlake.jobs.quality.ChartType;
import io.ironlake.jobs.quality.NelsonRule;
import io.ironlake.jobs.quality.OeeParams;
import io.ironlake.jobs.quality.PlannedStop;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.safety.FloodParams;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCatalogFileTest {
  static final Path EXAMPLE = Path.of("examples", "rules.yaml");
  private static final String M1 = "plant-sh/assembly/line-1/m01";
  private static final String M2 = "plant-sh/assembly/line-1/m02";
  private static final String L2 = "plant-sh/assembly/line-2/m01";

  @Test
  void exampleFileHoldsTheDefaultsAndItsOverrides() {
    MatchingRuleCatalog c = RuleCatalogFile.load(EXAMPLE);

    assertThat(c.name()).isEqualTo("plant-sh");
    assertThat(c.spc(M1, "diameter_mm")).contains(IndicatorDefaults.DIAMETER_SPC);
    assertThat(c.spc(L2, "diameter_mm")).contains(IndicatorDefaults.DIAMETER_SPC);
    assertThat(c.spc(M1, "temperature_c")).isEmpty();
    assertThat(c.safety(M1, "temperature_c")).contains(IndicatorDefaults.TEMPERATURE);
    assertThat(c.safety(M1, "power_kw")).contains(IndicatorDefaults.POWER);
    assertThat(c.safety(M1, "state")).isEmpty();
    assertThat(c.safety(M2, "temperature_c").orElseThrow().limits())
        .isEqualTo(
            LimitAlarmParams.builder()
                .highHigh(80)
                .high(70)
                .low(10)
                .lowLow(5)
                .deadband(2)
                .onDelay(Duration.ofSeconds(10))
                .build());
    assertThat(c.safety(M2, "temperature_c").orElseThrow().rateOfChange()).isNull();
    assertThat(c.oee(L2)).contains(IndicatorDefaults.OEE);
    assertThat(c.oee("plant-x/a/l/press")).contains(IndicatorDefaults.OEE);
    assertThat(c.oee(M1))
        .contains(IndicatorDefaults.OEE.withIdealCycleTime(Duration.ofSeconds(32)));
    assertThat(c.oee("plant-sh/assembly/line-1/m10")).contains(IndicatorDefaults.OEE);
    assertThat(c.dataQuality(M1, "temperature_c"))
        .isEqualTo(
            DataQualityParams.DEFAULTS
                .withExpectedPeriod(Duration.ofSeconds(1))
                .withValidity(ValueType.NUMERIC, -20.0, 150.0));
    assertThat(c.dataQuality(M1, "power_kw")).isEqualTo(DataQualityParams.DEFAULTS);
    EnergyParams site = EnergyParams.DEFAULTS.toBuilder().emissionFactorKgPerKwh(0.581).build();
    assertThat(c.energy(M2)).isEqualTo(site);
    assertThat(c.energy(L2)).isEqualTo(site);
    assertThat(c.energy("plant-sh/assembly/line-1")).isEqualTo(site);
    assertThat(c.energy(M1))
        .isEqualTo(site.toBuilder().baselineKwhPerHour(40).meterRolloverKwh(1_000_000).build());
    assertThat(c.energy("plant-x/a/l/press")).isEqualTo(EnergyParams.DEFAULTS);
    assertThat(c.energy("plant-x/a/l")).isEqualTo(EnergyParams.DEFAULTS);
    assertThat(c.patterns()).containsExactly(IndicatorDefaults.OVERHEAT_WITHOUT_COOLANT);
    assertThat(c.flood()).isEqualTo(FloodParams.ISA_18_2);
  }

  @Test
  void everyKeyIsRead() {
    String yaml =
        """
        name: full
        calendars:
          berlin:
            zone: Europe/Berlin
            starts: ["06:00", "18:00"]
            plannedStops: [{start: "12:00", length: 30m}]
        rules:
          - match: {site: s, area: a, line: l, device: d, tag: x}
            spc:
              chart: xbar_s
              subgroupSize: 4
              lsl: 1
              usl: 3
              baselineSubgroups: 10
              capabilitySubgroups: 5
              nelsonRules: [1, 2]
              processLimits: {mean: 2, sigma: 0.1}
            dataQuality:
              expectedPeriod: 10s
              expectedType: DOUBLE
              validMin: 0
              validMax: 5
              latencyTarget: 2s
              gapFactor: 4
              frozenAfter: PT5M
              weights: {completeness: 1, timeliness: 0, validity: 0, quality: 0, uniqueness: 0, liveness: 0}
          - match: {device: d}
            oee:
              stateTag: st
              goodCountTag: g
              totalCountTag: t
              runStates: [RUN]
              idleStates: [WAIT]
              plannedStates: [PAUSE]
              idealCycleTime: 1.5s
              shifts: berlin
              maxStateGap: 30m
          - match: {tag: y}
            safety:
              rateOfChange: {maxPerSecond: 3, deadband: 1, onDelay: 500ms}
              frozen: {after: 1h, tolerance: 0.01}
          - match: {site: s, line: l}
            energy:
              meterTag: kwh_total
              powerTag: kw
              stateTag: st
              goodCountTag: g
              runStates: [RUN, AUTO]
              source: power
              meterRolloverKwh: 999999.9
              maxPowerGap: 90s
              emissionFactorKgPerKwh: 0.4
              baselineKwhPerHour: 12.5
              baselineWindows: 30
              shifts: berlin
          - match: {device: e}
            energy:
              shifts: {zone: Asia/Shanghai, starts: ["08:00", "20:00"]}
        patterns:
          - name: p1
            first: {tag: x, above: 2}
            second: {tag: y, below: 1}
            within: 1m
            priority: low
            devicePrefix: s/
            holdOff: 0
        flood: {window: 1h, threshold: 50}
        """;
    MatchingRuleCatalog c = RuleCatalogFile.parse(yaml, "full.yaml");

    SpcParams spc = c.spc("s/a/l/d", "x").orElseThrow();
    assertThat(spc.chart()).isEqualTo(ChartType.XBAR_S);
    assertThat(spc.subgroupSize()).isEqualTo(4);
    assertThat(spc.lsl()).isEqualTo(1);
    assertThat(spc.usl()).isEqualTo(3);
    assertThat(spc.baselineSubgroups()).isEqualTo(10);
    assertThat(spc.capabilitySubgroups()).isEqualTo(5);
    assertThat(spc.rules()).isEqualTo(EnumSet.of(NelsonRule.R1, NelsonRule.R2));
    assertThat(spc.configuredLimits().center()).isEqualTo(2);
    assertThat(c.spc("s/a/l/e", "x")).isEmpty();
    DataQualityParams dq = c.dataQuality("s/a/l/d", "x");
    assertThat(dq.expectedPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(dq.expectedType()).isEqualTo(ValueType.DOUBLE);
    assertThat(dq.validMin()).isEqualTo(0.0);
    assertThat(dq.validMax()).isEqualTo(5.0);
    assertThat(dq.latencyTarget()).isEqualTo(Duration.ofSeconds(2));
    assertThat(dq.gapFactor()).isEqualTo(4);
    assertThat(dq.frozenAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(dq.weights()).isEqualTo(new DataQualityParams.Weights(1, 0, 0, 0, 0, 0));
    OeeParams oee = c.oee("any/where/at/d").orElseThrow();
    assertThat(oee.stateTag()).isEqualTo("st");
    assertThat(oee.goodCountTag()).isEqualTo("g");
    assertThat(oee.totalCountTag()).isEqualTo("t");
    assertThat(oee.runStates()).containsExactly("RUN");
    assertThat(oee.idleStates()).containsExactly("WAIT");
    assertThat(oee.plannedStates()).containsExactly("PAUSE");
    assertThat(oee.idealCycleTime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(oee.maxStateGap()).isEqualTo(Duration.ofMinutes(30));
    assertThat(oee.shifts().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(oee.shifts().starts()).containsExactly(LocalTime.of(6, 0), LocalTime.of(18, 0));
    assertThat(oee.shifts().plannedStops())
        .containsExactly(new PlannedStop(LocalTime.of(12, 0), Duration.ofMinutes(30)));
    TagSafetyParams y = c.safety("a/b/c/d", "y").orElseThrow();
    assertThat(y.limits()).isNull();
    assertThat(y.rateOfChange().maxPerSecond()).isEqualTo(3);
    assertThat(y.rateOfChange().onDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(y.frozen().after()).isEqualTo(Duration.ofHours(1));
    assertThat(y.frozen().tolerance()).isEqualTo(0.01);
    assertThat(c.patterns()).hasSize(1);
    assertThat(c.patterns().get(0).priority().name()).isEqualTo("LOW");
    assertThat(c.patterns().get(0).devicePrefix()).isEqualTo("s/");
    assertThat(c.patterns().get(0).holdOff()).isZero();
    assertThat(c.patterns().get(0).within()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.flood()).isEqualTo(new FloodParams(Duration.ofHours(1), 50));
    EnergyParams energy = c.energy("s/a/l/d");
    assertThat(energy.meterTag()).isEqualTo("kwh_total");
    assertThat(energy.powerTag()).isEqualTo("kw");
    assertThat(energy.stateTag()).isEqualTo("st");
    assertThat(energy.goodCountTag()).isEqualTo("g");
    assertThat(energy.runStates()).containsExactlyInAnyOrder("RUN", "AUTO");
    assertThat(energy.source()).isEqualTo(EnergySource.POWER);
    assertThat(energy.meterRolloverKwh()).isEqualTo(999_999.9);
    assertThat(energy.maxPowerGap()).isEqualTo(Duration.ofSeconds(90));
    assertThat(energy.emissionFactorKgPerKwh()).isEqualTo(0.4);
    assertThat(energy.baselineKwhPerHour()).isEqualTo(12.5);
    assertThat(energy.baselineWindows()).isEqualTo(30);
    assertThat(energy.shifts()).isEqualTo(oee.shifts());
    assertThat(c.energy("s/a/l")).isEqualTo(energy);
    // a device rule (device: e) beats the line rule; keys it omits take the defaults
    EnergyParams e = c.energy("s/a/l/e");
    assertThat(e.shifts().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(e.shifts().starts()).containsExactly(LocalTime.of(8, 0), LocalTime.of(20, 0));
    assertThat(e.toBuilder().shifts(EnergyParams.DEFAULTS.shifts()).build())
        .isEqualTo(EnergyParams.DEFAULTS);
    assertThat(c.energy("s/a/other/d")).isEqualTo(EnergyParams.DEFAULTS);
    assertThat(c.energyRules()).extracting(MatchingRuleCatalog.Rule::index).containsExactly(3, 4);
  }

  @Test
  void energyRulesAreMatchedPerDeviceAndALinePathOnlyByRulesWithoutADevice() {
    String yaml =
        """
        name: energy
        rules:
          - match: {site: plant-sh}
            energy: {emissionFactorKgPerKwh: 0.581}
          - match: {site: plant-sh, line: line-1}
            energy: {emissionFactorKgPerKwh: 0.6, shifts: {zone: Europe/Berlin, starts: ["06:00"]}}
          - match: {site: plant-sh, line: line-1, device: "m0?"}
            energy: {emissionFactorKgPerKwh: 0.7}
          - match: {site: plant-sh, line: line-1, device: m01}
            energy: {baselineKwhPerHour: 40}
          - match: {area: "*", device: "*"}
            energy: {emissionFactorKgPerKwh: 0.1}
        """;
    MatchingRuleCatalog c = RuleCatalogFile.parse(yaml, "energy.yaml");

    assertThat(c.energy("plant-sh/assembly/line-1/m01").baselineKwhPerHour()).isEqualTo(40);
    assertThat(c.energy("plant-sh/assembly/line-1/m01").emissionFactorKgPerKwh()).isNaN();
    assertThat(c.energy("plant-sh/assembly/line-1/m02").emissionFactorKgPerKwh()).isEqualTo(0.7);
    assertThat(c.energy("plant-sh/assembly/line-1/x01").emissionFactorKgPerKwh()).isEqualTo(0.6);
    assertThat(c.energy("plant-sh/assembly/line-2/m01").emissionFactorKgPerKwh()).isEqualTo(0.581);
    assertThat(c.energy("plant-x/a/l/m01").emissionFactorKgPerKwh()).isEqualTo(0.1);
    // line rows: the line rule, never a device rule
    assertThat(c.energy("plant-sh/assembly/line-1").emissionFactorKgPerKwh()).isEqualTo(0.6);
    assertThat(c.energy("plant-sh/assembly/line-1").shifts().zone())
        .isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(c.energy("plant-sh/assembly/line-2").emissionFactorKgPerKwh()).isEqualTo(0.581);
    assertThat(c.energy("plant-x/a/l").emissionFactorKgPerKwh()).isEqualTo(0.1);
    // the catalog without energy rules answers the defaults
    assertThat(RuleCatalogFile.parse("name: none", "none.yaml").energy("a/b/c/d"))
        .isEqualTo(EnergyParams.DEFAULTS);
  }

  @Test
  void everyEnergyProblemIsReportedWithItsKeyPath() {
    String yaml =
        """
        name: bad-energy
        calendars:
          day: {starts: ["06:00"]}
        rules:
          - match: {tag: power_kw}
            energy: {emissionFactorKgPerKwh: 0.5}
          - match: {site: s}
            energy:
              meterTag: ""
              powerTag: 7
              stateTag: [a]
              goodCountTag: " "
              runStates: []
              source: GAS
              meterRolloverKwh: 0
              maxPowerGap: 0
              emissionFactorKgPerKwh: -0.1
              baselineKwhPerHour: lots
              baselineWindows: 20000
              shifts: nights
              factor: 1
          - match: {site: t}
            energy:
              runStates: [RUNNING, 3]
              baselineKwhPerHour: -1
              baselineWindows: 0
              shifts: {zone: Mars/Base, starts: ["06:00"]}
          - match: {site: u}
            energy: 0.5
        """;
    assertThatThrownBy(() -> RuleCatalogFile.parse(yaml, "bad.yaml"))
        .isInstanceOf(RuleCatalogException.class)
        .satisfies(
            e ->
                assertThat(((RuleCatalogException) e).problems())
                    .containsExactly(
                        "Invalid value \"power_kw\" for `rules[0].match.tag` in bad.yaml:"
                            + " expected no tag in a rule with `energy` (energy is per device;"
                            + " its tags are in the energy section)",
                        "Unknown key `rules[1].energy.factor` in bad.yaml: expected one of"
                            + " [baselineKwhPerHour, baselineWindows, emissionFactorKgPerKwh,"
                            + " goodCountTag, maxPowerGap, meterRolloverKwh, meterTag, powerTag,"
                            + " runStates, shifts, source, stateTag]",
                        "Invalid value \"\" for `rules[1].energy.meterTag` in bad.yaml: expected"
                            + " a non-empty text",
                        "Invalid value 7 for `rules[1].energy.powerTag` in bad.yaml: expected a"
                            + " non-empty text",
                        "Invalid value (a list) for `rules[1].energy.stateTag` in bad.yaml:"
                            + " expected a non-empty text",
                        "Invalid value \" \" for `rules[1].energy.goodCountTag` in bad.yaml:"
                            + " expected a non-empty text",
                        "Invalid value (a list) for `rules[1].energy.runStates` in bad.yaml:"
                            + " expected at least one state",
                        "Invalid value \"GAS\" for `rules[1].energy.source` in bad.yaml:"
                            + " expected one of [AUTO, METER, POWER]",
                        "Invalid value 0 for `rules[1].energy.meterRolloverKwh` in bad.yaml:"
                            + " expected a positive number",
                        "Invalid value 0 for `rules[1].energy.maxPowerGap` in bad.yaml: expected"
                            + " a positive duration such as 500ms, 10s, 5m, 1h, 1d or PT10S",
                        "Invalid value -0.1 for `rules[1].energy.emissionFactorKgPerKwh` in"
                            + " bad.yaml: expected zero or a positive number",
                        "Invalid value \"lots\" for `rules[1].energy.baselineKwhPerHour` in"
                            + " bad.yaml: expected a number",
                        "Invalid value 20000 for `rules[1].energy.baselineWindows` in bad.yaml:"
                            + " expected an integer from 1 to 10080",
                        "Invalid value \"nights\" for `rules[1].energy.shifts` in bad.yaml:"
                            + " expected the name of one of `calendars` [day] or an inline"
                            + " calendar",
                        "Invalid value 3 for `rules[2].energy.runStates[1]` in bad.yaml: expected"
                            + " a non-empty text",
                        "Invalid value -1 for `rules[2].energy.baselineKwhPerHour` in bad.yaml:"
                            + " expected zero or a positive number",
                        "Invalid value 0 for `rules[2].energy.baselineWindows` in bad.yaml:"
                            + " expected an integer from 1 to 10080",
                        "Invalid value \"Mars/Base\" for `rules[2].energy.shifts.zone` in"
                            + " bad.yaml: expected a time zone such as UTC or Europe/Berlin",
                        "Invalid value 0.5 for `rules[3].energy` in bad.yaml: expected a mapping"
                            + " with keys [baselineKwhPerHour, baselineWindows,"
                            + " emissionFactorKgPerKwh, goodCountTag, maxPowerGap,"
                            + " meterRolloverKwh, meterTag, powerTag, runStates, shifts, source,"
                            + " stateTag]"));
  }

  @Test
  void mostSpecificRuleWinsAndTheLaterOnATie() {
    String yaml =
        """
        name: precedence
        rules:
          - match: {tag: "temp*"}
            safety: {limits: {h: 1}}
          - match: {tag: temperature_c}
            safety: {limits: {h: 2}}
          - match: {device: m01, tag: temperature_c}
            safety: {limits: {h: 3}}
          - match: {device: "m0*", tag: temperature_c}
            safety: {limits: {h: 4}}
          - match: {site: plant-sh, line: line-1, device: m01, tag: temperature_c}
            safety: {limits: {h: 5}}
          - match: {device: m02, tag: temperature_c}
            safety: {limits: {h: 6}}
          - match: {device: m02, tag: temperature_c}
            safety: {limits: {h: 7}}
          - match: {site: plant-sh, area: "*", device: m09, tag: "temp*"}
            safety: {limits: {h: 8}}
        """;
    MatchingRuleCatalog c = RuleCatalogFile.parse(yaml, "precedence.yaml");

    // exact tag beats a tag glob, even one with an exact device
    assertThat(high(c, "plant-sh/assembly/line-9/m09", "temperature_c")).isEqualTo(4);
    // exact device beats a device glob; more named levels beat fewer
    assertThat(high(c, "plant-sh/assembly/line-1/m01", "temperature_c")).isEqualTo(5);
    assertThat(high(c, "plant-sh/assembly/line-2/m01", "temperature_c")).isEqualTo(3);
    assertThat(high(c, "plant-sh/assembly/line-2/m05", "temperature_c")).isEqualTo(4);
    assertThat(high(c, "plant-sh/assembly/line-2/x01", "temperature_c")).isEqualTo(2);
    // equal specificity: the later rule
    assertThat(high(c, "plant-sh/assembly/line-2/m02", "temperature_c")).isEqualTo(7);
    assertThat(high(c, "plant-sh/assembly/line-2/x01", "temp_2")).isEqualTo(1);
    assertThat(high(c, "plant-sh/assembly/line-2/m09", "temp_2")).isEqualTo(8);
    assertThat(c.safety("plant-sh/assembly/line-2/x01", "pressure")).isEmpty();
  }

  private static double high(RuleCatalog c, String device, String tag) {
    return c.safety(device, tag).orElseThrow().limits().high();
  }

  @Test
  void everyProblemIsReportedWithFileKeyPathAndExpectation() {
    String yaml =
        """
        rules:
          - match: {tag: diameter_mm}
            spc: {lsl: 12.05, usl: 11.95, subgroupSize: 30, chart: XBAR_Q}
          - match: {device: m01, tag: state}
            oee: {shifts: nights, idealCycleTime: fast}
          - match: {tag: power_kw}
            safety: {limits: {h: 48, hh: 55}, frozen: {after: -5s}}
          - match: {tag: temperature_c}
            safety:
              limits: {hh: 40, h: 45, onDelay: 10s, deadbnd: 1}
          - match: {tag: x}
          - match: {tag: "a/b"}
            dataQuality: {gapFactor: 0.5, validMin: 5, validMax: 1, weights: {completeness: 0, timeliness: 0, validity: 0, quality: 0, uniqueness: 0, liveness: 0}}
        patterns:
          - {name: p, first: {tag: a, above: 1}, second: {tag: a, below: 2}, within: 30s}
          - {name: p, first: {tag: a, above: 1, below: 3}, second: {tag: b, below: 2}}
        flood: {threshold: 0}
        energy: {}
        """;
    assertThatThrownBy(() -> RuleCatalogFile.parse(yaml, "bad.yaml"))
        .isInstanceOf(RuleCatalogException.class)
        .satisfies(
            e ->
                assertThat(((RuleCatalogException) e).problems())
                    .containsExactly(
                        "Unknown key `energy` in bad.yaml: expected one of [calendars, flood,"
                            + " name, patterns, rules]",
                        "Missing value for `name` in bad.yaml: expected a text",
                        "Invalid value \"XBAR_Q\" for `rules[0].spc.chart` in bad.yaml: expected"
                            + " one of [XBAR_R, XBAR_S]",
                        "Invalid value 30 for `rules[0].spc.subgroupSize` in bad.yaml: expected"
                            + " an integer from 2 to 25",
                        "Invalid value 11.95 for `rules[0].spc.usl` in bad.yaml: expected above"
                            + " lsl (12.05)",
                        "Invalid value \"state\" for `rules[1].match.tag` in bad.yaml: expected no"
                            + " tag in a rule with `oee` (OEE is per device; its tags are in the"
                            + " oee section)",
                        "Invalid value \"fast\" for `rules[1].oee.idealCycleTime` in bad.yaml:"
                            + " expected a positive duration such as 500ms, 10s, 5m, 1h, 1d or"
                            + " PT10S",
                        "Invalid value \"nights\" for `rules[1].oee.shifts` in bad.yaml: expected"
                            + " an inline calendar (no `calendars` are defined)",
                        "Invalid value \"-5s\" for `rules[2].safety.frozen.after` in bad.yaml:"
                            + " expected a positive duration such as 500ms, 10s, 5m, 1h, 1d or"
                            + " PT10S",
                        "Unknown key `rules[3].safety.limits.deadbnd` in bad.yaml: expected one"
                            + " of [deadband, h, hh, l, ll, onDelay]",
                        "Invalid value 40 for `rules[3].safety.limits.hh` in bad.yaml: expected"
                            + " above h (45.0)",
                        "Missing value for `rules[4]` in bad.yaml: expected at least one of"
                            + " dataQuality, energy, oee, safety, spc",
                        "Invalid value \"a/b\" for `rules[5].match.tag` in bad.yaml: expected a"
                            + " name or glob without '/'",
                        "Invalid value 1 for `rules[5].dataQuality.validMax` in bad.yaml:"
                            + " expected at least validMin (5.0)",
                        "Invalid value 0.5 for `rules[5].dataQuality.gapFactor` in bad.yaml:"
                            + " expected a number of at least 1",
                        "Invalid value (a mapping) for `rules[5].dataQuality.weights` in"
                            + " bad.yaml: expected at least one positive weight",
                        "Invalid value \"a\" for `patterns[0].second.tag` in bad.yaml: expected a"
                            + " tag other than first's",
                        "Invalid value (a mapping) for `patterns[1].first` in bad.yaml: expected"
                            + " exactly one of above, below",
                        "Missing value for `patterns[1].within` in bad.yaml: expected a positive"
                            + " duration such as 500ms, 10s, 5m, 1h, 1d or PT10S",
                        "Invalid value 0 for `flood.threshold` in bad.yaml: expected an integer"
                            + " from 1 to 1000000"));
  }

  @Test
  void unreadableTextAndFilesAreRefusedWithWhere() {
    assertThatThrownBy(() -> RuleCatalogFile.parse("name: x\nrules: [\n", "broken.yaml"))
        .isInstanceOf(RuleCatalogException.class)
        .hasMessageStartingWith("Cannot parse rule catalog broken.yaml at line ");
    assertThatThrownBy(() -> RuleCatalogFile.parse("name: a\nname: b\n", "twice.yaml"))
        .hasMessageStartingWith("Cannot parse rule catalog twice.yaml")
        .hasMessageContaining("Duplicate field 'name'");
    assertThatThrownBy(() -> RuleCatalogFile.parse("- a\n- b\n", "list.yaml"))
        .hasMessage(
            "Invalid value (a list) for `(top level)` in list.yaml: expected a mapping with keys"
                + " [calendars, flood, name, patterns, rules]");
    assertThatThrownBy(() -> RuleCatalogFile.load(Path.of("no-such-rules.yaml")))
        .hasMessageStartingWith("Cannot read rule catalog no-such-rules.yaml: ");
  }

  @Test
  void catalogSurvivesJavaSerialization() throws Exception {
    MatchingRuleCatalog c = RuleCatalogFile.load(EXAMPLE);
    c.safety(M1, "temperature_c"); // fills the memo, which is not serialized
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    Object back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }
    assertThat(back).isEqualTo(c);
    assertThat(((RuleCatalog) back).safety(M2, "temperature_c"))
        .isEqualTo(c.safety(M2, "temperature_c"));
    assertThat(((RuleCatalog) back).energy(M1)).isEqualTo(c.energy(M1));
    assertThat(((MatchingRuleCatalog) back).energyRules()).hasSize(2);
    assertThat(back.hashCode()).isEqualTo(c.hashCode());
    assertThat(back)
        .isNotEqualTo(
            RuleCatalogFile.parse(
                java.nio.file.Files.readString(EXAMPLE).replace("0.581", "0.6"), "changed"));
    assertThat(List.of(back.toString())).allMatch(s -> s.contains("plant-sh"));
  }
}
