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
import java.util.Optional;

/**
 * Where the quality and safety jobs get their parameters, per device path ({@code
 * site/area/line/device}) and tag. Implementations are serializable (they ship with the job) and
 * answer from memory: they are asked once per point. {@link MatchingRuleCatalog} is what a YAML
 * catalog file holds ({@link RuleCatalogFile}); {@link StaticRuleCatalog} is built in Java, e.g.
 * from {@link IndicatorDefaults}. Running jobs take newer catalogs from the rules topic ({@link
 * LiveRules}).
 */
public interface RuleCatalog extends Serializable {
  /** How a characteristic is charted, if it is one. */
  Optional<SpcParams> spc(String devicePath, String tag);

  /** How a device's OEE is computed, if it is. */
  Optional<OeeParams> oee(String devicePath);

  /** The single-signal alarms of a tag, if any. */
  Optional<TagSafetyParams> safety(String devicePath, String tag);

  /** The multi-signal patterns (each says which devices it applies to). */
  List<PatternParams> patterns();

  /** Alarm-flood detection. */
  FloodParams flood();

  /** How the data quality of a tag is judged (every tag is judged). */
  default DataQualityParams dataQuality(String devicePath, String tag) {
    return DataQualityParams.DEFAULTS;
  }

  /**
   * How a device's energy is computed; also asked for a line path ({@code site/area/line}) for the
   * line rows' shift calendar and time zone.
   */
  default EnergyParams energy(String devicePath) {
    return EnergyParams.DEFAULTS;
  }

  /** The built-in defaults ({@link IndicatorDefaults}). */
  static RuleCatalog defaults() {
    return IndicatorDefaults.catalog();
  }
}
