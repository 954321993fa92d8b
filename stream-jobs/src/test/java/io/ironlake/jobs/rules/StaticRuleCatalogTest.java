package io.ironlake.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.jobs.energy.EnergyParams;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaticRuleCatalogTest {
  private static final String M1 = "plant-sh/assembly/line-1/m01";
  private static final String M2 = "plant-sh/assembly/line-1/m02";

  @Test
  void defaultsMatchTheSimulatorsTags() {
    RuleCatalog d = RuleCatalog.defaults();
    assertThat(d.spc(M1, "diameter_mm")).contains(IndicatorDefaults.DIAMETER_SPC);
    assertThat(d.spc(M1, "power_kw")).isEmpty();
    assertThat(d.oee(M1)).contains(IndicatorDefaults.OEE);
    assertThat(d.oee(M1).orElseThrow().idealCycleTime()).isNull();
    assertThat(d.safety(M1, "temperature_c")).contains(IndicatorDefaults.TEMPERATURE);
    assertThat(d.safety(M1, "power_kw")).contains(IndicatorDefaults.POWER);
    assertThat(d.safety(M1, "state")).isEmpty();
    assertThat(d.patterns()).containsExactly(IndicatorDefaults.OVERHEAT_WITHOUT_COOLANT);
    assertThat(d.flood().threshold()).isEqualTo(10);
    assertThat(d.flood().window()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void deviceRulesOverrideTagRules() {
    SpcParams tight = SpcParams.builder().specLimits(11.99, 12.01).subgroupSize(3).build();
    TagSafetyParams hot =
        new TagSafetyParams(LimitAlarmParams.builder().high(60).build(), null, null);
    RuleCatalog c =
        IndicatorDefaults.builder()
            .spc(M2, "diameter_mm", tight)
            .safety(M2, "temperature_c", hot)
            .idealCycleTime(M1, Duration.ofSeconds(30))
            .safety("power_kw", null)
            .build();
    assertThat(c.spc(M2, "diameter_mm")).contains(tight);
    assertThat(c.spc(M1, "diameter_mm")).contains(IndicatorDefaults.DIAMETER_SPC);
    assertThat(c.safety(M2, "temperature_c")).contains(hot);
    assertThat(c.safety(M1, "power_kw")).isEmpty();
    assertThat(c.oee(M1).orElseThrow().idealCycleTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.oee(M2).orElseThrow().idealCycleTime()).isNull();
  }

  @Test
  void dataQualityParamsPerDeviceTagThenTagThenDefault() {
    var slow =
        io.ironlake.jobs.dataquality.DataQualityParams.DEFAULTS.withExpectedPeriod(
            Duration.ofSeconds(10));
    var slower = slow.withExpectedPeriod(Duration.ofMinutes(1));
    RuleCatalog c =
        IndicatorDefaults.builder()
            .dataQuality("temperature_c", slow)
            .dataQuality(M2, "temperature_c", slower)
            .build();
    assertThat(c.dataQuality(M1, "power_kw"))
        .isEqualTo(io.ironlake.jobs.dataquality.DataQualityParams.DEFAULTS);
    assertThat(c.dataQuality(M1, "temperature_c")).isEqualTo(slow);
    assertThat(c.dataQuality(M2, "temperature_c")).isEqualTo(slower);
    assertThat(c).isNotEqualTo(IndicatorDefaults.catalog());
    assertThat(((StaticRuleCatalog) c).toBuilder().build()).isEqualTo(c);
  }

  @Test
  void catalogsSerializeForFlink() throws Exception {
    RuleCatalog c =
        IndicatorDefaults.builder()
            .idealCycleTime(M1, Duration.ofSeconds(30))
            .dataQuality("temperature_c", io.ironlake.jobs.dataquality.DataQualityParams.DEFAULTS)
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(c);
    }
  }

  @Test
  void energyParamsPerDeviceThenLineThenAreaThenSiteThenDefault() throws Exception {
    EnergyParams site = EnergyParams.builder().emissionFactorKgPerKwh(0.5366).build();
    EnergyParams line = site.toBuilder().meterRolloverKwh(1_000_000).build();
    EnergyParams m2 = line.toBuilder().baselineKwhPerHour(40).build();
    StaticRuleCatalog c =
        StaticRuleCatalog.builder()
            .energy("plant-sh", site)
            .energy("plant-sh/assembly/line-1", line)
            .energy(M2, m2)
            .build();
    assertThat(c.energy(M2)).isEqualTo(m2);
    assertThat(c.energy(M1)).isEqualTo(line);
    assertThat(c.energy("plant-sh/assembly/line-1")).isEqualTo(line);
    assertThat(c.energy("plant-sh/assembly/line-10/m01")).as("whole segments only").isEqualTo(site);
    assertThat(c.energy("plant-sz/assembly/line-1/m01")).isEqualTo(EnergyParams.DEFAULTS);
    assertThat(RuleCatalog.defaults().energy(M1)).isEqualTo(EnergyParams.DEFAULTS);
    assertThat(c.toBuilder().energy(M2, null).build().energy(M2)).isEqualTo(line);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      StaticRuleCatalog back = (StaticRuleCatalog) in.readObject();
      assertThat(back).isEqualTo(c);
      assertThat(back.energy(M2)).isEqualTo(m2);
    }
  }

  @Test
  void patternNamesAreUnique() {
    assertThatThrownBy(
            () -> IndicatorDefaults.builder().pattern(IndicatorDefaults.OVERHEAT_WITHOUT_COOLANT))
        .hasMessage("Invalid pattern name overheat-without-coolant: already defined");
  }
}
