package io.ironlake.jobs.rules;

import io.ironlake.jobs.dataquality.DataQualityParams;
import io.ironlake.jobs.energy.EnergyParams;
import io.ironlake.jobs.quality.OeeParams;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.safety.FloodParams;
import io.ironlake.jobs.safety.PatternParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule catalog fixed when the job is built: parameters per tag, overridden per device and tag.
 *
 * <pre>{@code
 * RuleCatalog rules = IndicatorDefaults.builder()
 *     .idealCycleTime("plant-sh/assembly/line-1/m01", Duration.ofSeconds(30))
 *     .safety("plant-sh/assembly/line-1/m02", "temperature_c", hotterMachine)
 *     .build();
 * }</pre>
 */
public final class StaticRuleCatalog implements RuleCatalog {
  private static final long serialVersionUID = 1L;

  private final Map<String, SpcParams> spcByTag;
  private final Map<String, SpcParams> spcByDeviceTag;
  private final OeeParams oee;
  private final Map<String, OeeParams> oeeByDevice;
  private final Map<String, Duration> idealCycleTimes;
  private final Map<String, TagSafetyParams> safetyByTag;
  private final Map<String, TagSafetyParams> safetyByDeviceTag;
  private final List<PatternParams> patterns;
  private final FloodParams flood;
  private final DataQualityParams dataQuality;
  private final Map<String, DataQualityParams> dataQualityByTag;
  private final Map<String, DataQualityParams> dataQualityByDeviceTag;
  private final EnergyParams energy;
  private final Map<String, EnergyParams> energyByPath;

  private StaticRuleCatalog(Builder b) {
    this.spcByTag = Map.copyOf(b.spcByTag);
    this.spcByDeviceTag = Map.copyOf(b.spcByDeviceTag);
    this.oee = b.oee;
    this.oeeByDevice = Map.copyOf(b.oeeByDevice);
    this.idealCycleTimes = Map.copyOf(b.idealCycleTimes);
    this.safetyByTag = Map.copyOf(b.safetyByTag);
    this.safetyByDeviceTag = Map.copyOf(b.safetyByDeviceTag);
    this.patterns = List.copyOf(b.patterns);
    this.flood = b.flood;
    this.dataQuality = b.dataQuality;
    this.dataQualityByTag = Map.copyOf(b.dataQualityByTag);
    this.dataQualityByDeviceTag = Map.copyOf(b.dataQualityByDeviceTag);
    this.energy = b.energy;
    this.energyByPath = Map.copyOf(b.energyByPath);
  }

  /** An empty builder: no rules, ISA-18.2 flood detection. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<SpcParams> spc(String devicePath, String tag) {
    SpcParams p = spcByDeviceTag.get(key(devicePath, tag));
    return Optional.ofNullable(p != null ? p : spcByTag.get(tag));
  }

  @Override
  public Optional<OeeParams> oee(String devicePath) {
    OeeParams p = oeeByDevice.getOrDefault(devicePath, oee);
    if (p == null) {
      return Optional.empty();
    }
    Duration ideal = idealCycleTimes.get(devicePath);
    return Optional.of(ideal == null ? p : p.withIdealCycleTime(ideal));
  }

  @Override
  public Optional<TagSafetyParams> safety(String devicePath, String tag) {
    TagSafetyParams p = safetyByDeviceTag.get(key(devicePath, tag));
    return Optional.ofNullable(p != null ? p : safetyByTag.get(tag));
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
  public DataQualityParams dataQuality(String devicePath, String tag) {
    DataQualityParams p = dataQualityByDeviceTag.get(key(devicePath, tag));
    return p != null ? p : dataQualityByTag.getOrDefault(tag, dataQuality);
  }

  /** The entry of the longest path prefix (whole segments) of {@code devicePath}, else default. */
  @Override
  public EnergyParams energy(String devicePath) {
    if (!energyByPath.isEmpty()) {
      String path = devicePath;
      while (true) {
        EnergyParams p = energyByPath.get(path);
        if (p != null) {
          return p;
        }
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
          break;
        }
        path = path.substring(0, slash);
      }
    }
    return energy;
  }

  /** A builder starting from this catalog. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.spcByTag.putAll(spcByTag);
    b.spcByDeviceTag.putAll(spcByDeviceTag);
    b.oee = oee;
    b.oeeByDevice.putAll(oeeByDevice);
    b.idealCycleTimes.putAll(idealCycleTimes);
    b.safetyByTag.putAll(safetyByTag);
    b.safetyByDeviceTag.putAll(safetyByDeviceTag);
    b.patterns.addAll(patterns);
    b.flood = flood;
    b.dataQuality = dataQuality;
    b.dataQualityByTag.putAll(dataQualityByTag);
    b.dataQualityByDeviceTag.putAll(dataQualityByDeviceTag);
    b.energy = energy;
    b.energyByPath.putAll(energyByPath);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StaticRuleCatalog c
        && spcByTag.equals(c.spcByTag)
        && spcByDeviceTag.equals(c.spcByDeviceTag)
        && java.util.Objects.equals(oee, c.oee)
        && oeeByDevice.equals(c.oeeByDevice)
        && idealCycleTimes.equals(c.idealCycleTimes)
        && safetyByTag.equals(c.safetyByTag)
        && safetyByDeviceTag.equals(c.safetyByDeviceTag)
        && patterns.equals(c.patterns)
        && flood.equals(c.flood)
        && dataQuality.equals(c.dataQuality)
        && dataQualityByTag.equals(c.dataQualityByTag)
        && dataQualityByDeviceTag.equals(c.dataQualityByDeviceTag)
        && energy.equals(c.energy)
        && energyByPath.equals(c.energyByPath);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        spcByTag,
        spcByDeviceTag,
        oee,
        oeeByDevice,
        idealCycleTimes,
        safetyByTag,
        safetyByDeviceTag,
        patterns,
        flood,
        dataQuality,
        dataQualityByTag,
        dataQualityByDeviceTag,
        energy,
        energyByPath);
  }

  @Override
  public String toString() {
    return "StaticRuleCatalog[spc="
        + spcByTag.keySet()
        + ", spcOverrides="
        + spcByDeviceTag.size()
        + ", oee="
        + (oee != null)
        + ", idealCycleTimes="
        + idealCycleTimes.size()
        + ", safety="
        + safetyByTag.keySet()
        + ", safetyOverrides="
        + safetyByDeviceTag.size()
        + ", patterns="
        + patterns.stream().map(PatternParams::name).toList()
        + ", flood="
        + flood
        + "]";
  }

  private static String key(String devicePath, String tag) {
    return devicePath + '\u0000' + tag;
  }

  /** Builds a {@link StaticRuleCatalog}; a null value removes an entry. */
  public static final class Builder {
    private final Map<String, SpcParams> spcByTag = new HashMap<>();
    private final Map<String, SpcParams> spcByDeviceTag = new HashMap<>();
    private OeeParams oee;
    private final Map<String, OeeParams> oeeByDevice = new HashMap<>();
    private final Map<String, Duration> idealCycleTimes = new HashMap<>();
    private final Map<String, TagSafetyParams> safetyByTag = new HashMap<>();
    private final Map<String, TagSafetyParams> safetyByDeviceTag = new HashMap<>();
    private final List<PatternParams> patterns = new ArrayList<>();
    private FloodParams flood = FloodParams.ISA_18_2;
    private DataQualityParams dataQuality = DataQualityParams.DEFAULTS;
    private final Map<String, DataQualityParams> dataQualityByTag = new HashMap<>();
    private final Map<String, DataQualityParams> dataQualityByDeviceTag = new HashMap<>();
    private EnergyParams energy = EnergyParams.DEFAULTS;
    private final Map<String, EnergyParams> energyByPath = new HashMap<>();

    private Builder() {}

    /** Charts this tag on every device. */
    public Builder spc(String tag, SpcParams params) {
      put(spcByTag, tag, params);
      return this;
    }

    /** Charts this tag on one device ({@code site/area/line/device}), overriding the tag's rule. */
    public Builder spc(String devicePath, String tag, SpcParams params) {
      put(spcByDeviceTag, key(devicePath, tag), params);
      return this;
    }

    /** Computes OEE for every device with these parameters (null: for none). */
    public Builder oee(OeeParams params) {
      this.oee = params;
      return this;
    }

    /** OEE parameters of one device, overriding the default. */
    public Builder oee(String devicePath, OeeParams params) {
      put(oeeByDevice, devicePath, params);
      return this;
    }

    /** The ideal cycle time of one device (used with whichever OEE parameters apply to it). */
    public Builder idealCycleTime(String devicePath, Duration value) {
      put(idealCycleTimes, devicePath, value);
      return this;
    }

    /** Alarms of this tag on every device. */
    public Builder safety(String tag, TagSafetyParams params) {
      put(safetyByTag, tag, params);
      return this;
    }

    /** Alarms of this tag on one device, overriding the tag's rule. */
    public Builder safety(String devicePath, String tag, TagSafetyParams params) {
      put(safetyByDeviceTag, key(devicePath, tag), params);
      return this;
    }

    /** Adds a multi-signal pattern; names must be unique. */
    public Builder pattern(PatternParams params) {
      for (PatternParams p : patterns) {
        if (p.name().equals(params.name())) {
          throw new IllegalArgumentException(
              "Invalid pattern name " + params.name() + ": already defined");
        }
      }
      patterns.add(params);
      return this;
    }

    /** Removes every pattern. */
    public Builder noPatterns() {
      patterns.clear();
      return this;
    }

    public Builder flood(FloodParams params) {
      this.flood = params;
      return this;
    }

    /** Data-quality parameters of every tag without its own. */
    public Builder dataQuality(DataQualityParams params) {
      this.dataQuality = params;
      return this;
    }

    /** Data-quality parameters of this tag on every device. */
    public Builder dataQuality(String tag, DataQualityParams params) {
      put(dataQualityByTag, tag, params);
      return this;
    }

    /** Data-quality parameters of this tag on one device, overriding the tag's. */
    public Builder dataQuality(String devicePath, String tag, DataQualityParams params) {
      put(dataQualityByDeviceTag, key(devicePath, tag), params);
      return this;
    }

    /** Energy parameters of every device without its own. */
    public Builder energy(EnergyParams params) {
      this.energy = params;
      return this;
    }

    /**
     * Energy parameters of a site, area, line or device: {@code site}, {@code site/area}, {@code
     * site/area/line} or {@code site/area/line/device}; the longest matching path wins.
     */
    public Builder energy(String path, EnergyParams params) {
      put(energyByPath, path, params);
      return this;
    }

    public StaticRuleCatalog build() {
      if (flood == null) {
        throw new IllegalArgumentException("Missing value for `flood`");
      }
      if (dataQuality == null) {
        throw new IllegalArgumentException("Missing value for `dataQuality`");
      }
      if (energy == null) {
        throw new IllegalArgumentException("Missing value for `energy`");
      }
      return new StaticRuleCatalog(this);
    }

    private static <V> void put(Map<String, V> map, String key, V value) {
      if (value == null) {
        map.remove(key);
      } else {
        map.put(key, value);
      }
    }
  }
}
