package io.ironlake.lakehouse.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Every Ironlake table's definition, in one place. Schemas evolve additively: add new columns at
 * the end as optional, never rename, retype or remove one.
 */
public final class IronlakeTables {
  /** The namespace of Ironlake's tables. */
  public static final Namespace NAMESPACE = Namespace.of("ironlake");

  /**
   * Properties every table gets: format v2, Parquet with zstd, bounded metadata history, and more
   * commit retries than Iceberg's 4, since streaming sinks, maintenance and the gateway may commit
   * to one table at the same time.
   */
  public static final Map<String, String> COMMON_PROPERTIES =
      Map.of(
          TableProperties.FORMAT_VERSION, "2",
          TableProperties.DEFAULT_FILE_FORMAT, "parquet",
          TableProperties.PARQUET_COMPRESSION, "zstd",
          // Streaming jobs commit on every checkpoint; keep the metadata.json history bounded.
          TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
          TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100",
          TableProperties.COMMIT_NUM_RETRIES, "20");

  /** Doc of the {@code rules_version} column of the indicator tables. */
  private static final String RULES_VERSION_DOC =
      "version of the rule catalog that made the row, as published to the rules topic"
          + " (0: the catalog the job started with)";

  private static final Schema TELEMETRY_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(5, "tag", Types.StringType.get(), "measured quantity, e.g. power_kw"),
          required(6, "ts", Types.TimestampType.withZone(), "source timestamp (event time)"),
          optional(7, "ingest_ts", Types.TimestampType.withZone(), "when the collector read it"),
          optional(8, "value_double", Types.DoubleType.get(), "value, if a double"),
          optional(9, "value_long", Types.LongType.get(), "value, if an integer"),
          optional(10, "value_bool", Types.BooleanType.get(), "value, if a boolean"),
          optional(11, "value_string", Types.StringType.get(), "value, if a string"),
          optional(12, "quality", Types.StringType.get(), "GOOD, UNCERTAIN or BAD"),
          optional(13, "status_code", Types.LongType.get(), "raw OPC UA status code"),
          optional(14, "unit", Types.StringType.get(), "engineering unit"),
          optional(15, "collector_id", Types.StringType.get(), "collector that read it"),
          optional(16, "source", Types.StringType.get(), "collector source it came from"),
          optional(17, "seq", Types.LongType.get(), "sequence number per collector and source"));

  /** Raw telemetry: one row per point, exactly once. */
  public static final TableSpec TELEMETRY =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "telemetry"),
          TELEMETRY_SCHEMA,
          PartitionSpec.builderFor(TELEMETRY_SCHEMA).day("ts").identity("site").build(),
          SortOrder.builderFor(TELEMETRY_SCHEMA).asc("device").asc("tag").asc("ts").build(),
          COMMON_PROPERTIES,
          "One telemetry point of one tag of one device at one time.");

  private static final Schema ENERGY_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(5, "window_start", Types.TimestampType.withZone(), "window start, inclusive"),
          required(6, "window_end", Types.TimestampType.withZone(), "window end, exclusive"),
          required(7, "energy_kwh", Types.DoubleType.get(), "energy used in the window, kWh"),
          required(8, "readings", Types.IntegerType.get(), "meter readings in the window"),
          required(9, "meter_resets", Types.IntegerType.get(), "meter resets seen in the window"),
          optional(10, "source", Types.StringType.get(), "METER or POWER (integrated)"),
          optional(11, "meter_rollovers", Types.IntegerType.get(), "meter wraps in the window"),
          optional(12, "power_readings", Types.IntegerType.get(), "power samples in the window"),
          optional(13, "power_gaps", Types.IntegerType.get(), "power gaps not integrated"),
          optional(14, "producing_kwh", Types.DoubleType.get(), "energy in run states"),
          optional(15, "idle_kwh", Types.DoubleType.get(), "energy in other known states"),
          optional(16, "good_parts", Types.LongType.get(), "good parts counted in the window"),
          optional(17, "kwh_per_good_part", Types.DoubleType.get(), "energy / good parts"),
          optional(18, "co2e_kg", Types.DoubleType.get(), "energy x site emission factor"),
          optional(19, "baseline_kwh", Types.DoubleType.get(), "configured or learned baseline"),
          optional(20, "deviation_kwh", Types.DoubleType.get(), "energy - baseline"),
          optional(21, "deviation_pct", Types.DoubleType.get(), "100 x deviation / baseline"),
          optional(22, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Energy per device per minute, from cumulative meters. */
  public static final TableSpec ENERGY =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "energy"),
          ENERGY_SCHEMA,
          PartitionSpec.builderFor(ENERGY_SCHEMA).day("window_start").build(),
          SortOrder.builderFor(ENERGY_SCHEMA).asc("device").asc("window_start").build(),
          COMMON_PROPERTIES,
          "Energy used by one device in one one-minute window, from its cumulative meter or"
              + " integrated power: idle and producing split, good parts, CO2e, baseline deviation.");

  private static final Schema ENERGY_SHIFT_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          optional(4, "device", Types.StringType.get(), "the device; null on LINE rows"),
          required(5, "scope", Types.StringType.get(), "DEVICE or LINE"),
          required(6, "shift", Types.StringType.get(), "shift name in the calendar, e.g. A"),
          required(7, "shift_start", Types.TimestampType.withZone(), "shift start, inclusive"),
          required(8, "shift_end", Types.TimestampType.withZone(), "shift end, exclusive"),
          required(9, "energy_kwh", Types.DoubleType.get(), "energy used in the shift, kWh"),
          optional(10, "producing_kwh", Types.DoubleType.get(), "energy in run states"),
          optional(11, "idle_kwh", Types.DoubleType.get(), "energy in other known states"),
          optional(12, "good_parts", Types.LongType.get(), "good parts in the shift"),
          optional(13, "kwh_per_good_part", Types.DoubleType.get(), "energy / good parts"),
          optional(14, "co2e_kg", Types.DoubleType.get(), "energy x site emission factor"),
          optional(15, "baseline_kwh", Types.DoubleType.get(), "baseline of the minutes with one"),
          optional(16, "deviation_kwh", Types.DoubleType.get(), "their energy - baseline"),
          optional(17, "deviation_pct", Types.DoubleType.get(), "100 x deviation / baseline"),
          optional(18, "minutes", Types.IntegerType.get(), "minute rows summed"),
          optional(19, "devices", Types.IntegerType.get(), "devices summed (1 for DEVICE)"),
          optional(20, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Energy per device and per line, per shift. */
  public static final TableSpec ENERGY_SHIFT =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "energy_shift"),
          ENERGY_SHIFT_SCHEMA,
          PartitionSpec.builderFor(ENERGY_SHIFT_SCHEMA).day("shift_start").build(),
          SortOrder.builderFor(ENERGY_SHIFT_SCHEMA)
              .asc("line")
              .asc("device")
              .asc("shift_start")
              .build(),
          COMMON_PROPERTIES,
          "Energy of one device (scope DEVICE) or one line (scope LINE) in one shift, with idle"
              + " energy, energy per good part, CO2e and baseline deviation.");

  private static final Schema ENERGY_DEMAND_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          optional(4, "device", Types.StringType.get(), "the device; null on LINE rows"),
          required(5, "scope", Types.StringType.get(), "DEVICE or LINE"),
          required(6, "interval_start", Types.TimestampType.withZone(), "quarter hour, inclusive"),
          required(7, "interval_end", Types.TimestampType.withZone(), "interval end, exclusive"),
          required(8, "energy_kwh", Types.DoubleType.get(), "energy used in the interval, kWh"),
          required(9, "demand_kw", Types.DoubleType.get(), "average power: energy / 0.25 h"),
          optional(10, "minutes", Types.IntegerType.get(), "minute rows summed"),
          optional(11, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** 15-minute demand per device and per line. */
  public static final TableSpec ENERGY_DEMAND =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "energy_demand"),
          ENERGY_DEMAND_SCHEMA,
          PartitionSpec.builderFor(ENERGY_DEMAND_SCHEMA).day("interval_start").build(),
          SortOrder.builderFor(ENERGY_DEMAND_SCHEMA)
              .asc("line")
              .asc("device")
              .asc("interval_start")
              .build(),
          COMMON_PROPERTIES,
          "Average power of one device or one line over one 15-minute interval (demand).");

  private static final Schema ENERGY_PEAK_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          optional(4, "device", Types.StringType.get(), "the device; null on LINE rows"),
          required(5, "scope", Types.StringType.get(), "DEVICE or LINE"),
          required(6, "day", Types.DateType.get(), "calendar day in the site's time zone"),
          required(7, "day_start", Types.TimestampType.withZone(), "local midnight, inclusive"),
          required(8, "day_end", Types.TimestampType.withZone(), "next local midnight, exclusive"),
          required(9, "peak_demand_kw", Types.DoubleType.get(), "highest 15-minute demand"),
          required(
              10, "peak_interval_start", Types.TimestampType.withZone(), "interval of the peak"),
          optional(11, "intervals", Types.IntegerType.get(), "15-minute intervals that day"),
          optional(12, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Daily peak of the 15-minute demand per device and per line. */
  public static final TableSpec ENERGY_PEAK =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "energy_peak"),
          ENERGY_PEAK_SCHEMA,
          PartitionSpec.builderFor(ENERGY_PEAK_SCHEMA).month("day_start").build(),
          SortOrder.builderFor(ENERGY_PEAK_SCHEMA).asc("line").asc("device").asc("day").build(),
          COMMON_PROPERTIES,
          "The highest 15-minute demand of one device or one line in one day of the site.");

  private static final Schema SPC_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(
              5, "characteristic", Types.StringType.get(), "the tag charted, e.g. diameter_mm"),
          required(6, "chart", Types.StringType.get(), "XBAR_R or XBAR_S"),
          required(7, "subgroup_index", Types.LongType.get(), "1 for the characteristic's first"),
          required(8, "subgroup_start", Types.TimestampType.withZone(), "first measurement's ts"),
          required(9, "subgroup_end", Types.TimestampType.withZone(), "last measurement's ts"),
          required(10, "n", Types.IntegerType.get(), "measurements in the subgroup"),
          required(11, "mean", Types.DoubleType.get(), "subgroup mean (X-bar)"),
          required(12, "range", Types.DoubleType.get(), "subgroup range (max - min)"),
          required(13, "stddev", Types.DoubleType.get(), "subgroup sample standard deviation"),
          optional(14, "center_line", Types.DoubleType.get(), "X-bar center line"),
          optional(15, "ucl", Types.DoubleType.get(), "X-bar upper control limit"),
          optional(16, "lcl", Types.DoubleType.get(), "X-bar lower control limit"),
          optional(17, "dispersion_center", Types.DoubleType.get(), "R-bar or S-bar"),
          optional(18, "dispersion_ucl", Types.DoubleType.get(), "R or S chart upper limit"),
          optional(19, "dispersion_lcl", Types.DoubleType.get(), "R or S chart lower limit"),
          optional(20, "limits_source", Types.StringType.get(), "BASELINE or CONFIGURED"),
          optional(21, "lsl", Types.DoubleType.get(), "lower specification limit"),
          optional(22, "usl", Types.DoubleType.get(), "upper specification limit"),
          optional(23, "cp", Types.DoubleType.get(), "Cp over the capability window"),
          optional(24, "cpk", Types.DoubleType.get(), "Cpk over the capability window"),
          optional(25, "capability_subgroups", Types.IntegerType.get(), "subgroups in Cp/Cpk"),
          optional(26, "violated_rules", Types.StringType.get(), "Nelson rules firing, e.g. 1,5"),
          optional(27, "dispersion_out_of_limits", Types.BooleanType.get(), "R/S outside limits"),
          optional(28, "in_control", Types.BooleanType.get(), "no rule fires, R/S inside"),
          optional(29, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** SPC: one X-bar/R or X-bar/S subgroup of one characteristic with limits, rules and Cp/Cpk. */
  public static final TableSpec SPC =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "spc"),
          SPC_SCHEMA,
          PartitionSpec.builderFor(SPC_SCHEMA).day("subgroup_start").build(),
          SortOrder.builderFor(SPC_SCHEMA)
              .asc("device")
              .asc("characteristic")
              .asc("subgroup_start")
              .build(),
          COMMON_PROPERTIES,
          "One subgroup of one characteristic of one device: statistics, control limits, Nelson"
              + " rule violations and capability.");

  private static final Schema OEE_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          optional(4, "device", Types.StringType.get(), "the device; null on LINE rows"),
          required(5, "scope", Types.StringType.get(), "DEVICE or LINE"),
          required(6, "shift", Types.StringType.get(), "shift name in the calendar, e.g. A"),
          required(7, "shift_start", Types.TimestampType.withZone(), "shift start, inclusive"),
          required(8, "shift_end", Types.TimestampType.withZone(), "shift end, exclusive"),
          optional(9, "availability", Types.DoubleType.get(), "run / planned production time"),
          optional(10, "performance", Types.DoubleType.get(), "ideal cycle x total / run time"),
          optional(11, "quality", Types.DoubleType.get(), "good / total"),
          optional(12, "oee", Types.DoubleType.get(), "availability x performance x quality"),
          optional(13, "good", Types.LongType.get(), "good parts"),
          optional(14, "total", Types.LongType.get(), "parts made"),
          optional(15, "scrap", Types.LongType.get(), "total - good"),
          optional(16, "first_pass_yield", Types.DoubleType.get(), "good / total"),
          optional(17, "run_seconds", Types.DoubleType.get(), "time running"),
          optional(18, "idle_seconds", Types.DoubleType.get(), "unplanned idle time"),
          optional(19, "down_seconds", Types.DoubleType.get(), "unplanned down time"),
          optional(20, "planned_seconds", Types.DoubleType.get(), "planned downtime (excluded)"),
          optional(
              21,
              "planned_production_seconds",
              Types.DoubleType.get(),
              "run + idle + down seconds"),
          optional(22, "ideal_cycle_seconds", Types.DoubleType.get(), "ideal time per part"),
          optional(23, "devices", Types.IntegerType.get(), "devices in the row (1 for DEVICE)"),
          optional(24, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** OEE per device and per line, per shift. */
  public static final TableSpec OEE =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "oee"),
          OEE_SCHEMA,
          PartitionSpec.builderFor(OEE_SCHEMA).day("shift_start").build(),
          SortOrder.builderFor(OEE_SCHEMA).asc("line").asc("device").asc("shift_start").build(),
          COMMON_PROPERTIES,
          "OEE of one device (scope DEVICE) or one line (scope LINE) in one shift.");

  private static final Schema ALARMS_SCHEMA =
      new Schema(
          required(1, "alarm_id", Types.StringType.get(), "one occurrence of one alarm"),
          required(2, "site", Types.StringType.get(), "ISA-95 site"),
          required(3, "area", Types.StringType.get(), "ISA-95 area"),
          required(4, "line", Types.StringType.get(), "ISA-95 line"),
          required(5, "device", Types.StringType.get(), "device (machine) on the line"),
          required(6, "tag", Types.StringType.get(), "tag, pattern name or SPC characteristic"),
          required(7, "type", Types.StringType.get(), "HH, H, L, LL, ROC, FROZEN, PATTERN, ..."),
          required(8, "priority", Types.StringType.get(), "HIGH, MEDIUM or LOW"),
          required(9, "state", Types.StringType.get(), "RAISED, CLEARED or ACKNOWLEDGED"),
          optional(10, "measured_value", Types.DoubleType.get(), "value checked (ROC: per s)"),
          optional(11, "limit_value", Types.DoubleType.get(), "limit it was checked against"),
          required(12, "ts", Types.TimestampType.withZone(), "when this transition happened"),
          required(13, "raised_ts", Types.TimestampType.withZone(), "when the alarm was raised"),
          optional(14, "message", Types.StringType.get(), "what happened, in words"),
          optional(15, "actor", Types.StringType.get(), "who acknowledged (ACKNOWLEDGED rows)"),
          optional(16, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Alarm lifecycle events: raised, cleared, acknowledged. */
  public static final TableSpec ALARMS =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "alarms"),
          ALARMS_SCHEMA,
          PartitionSpec.builderFor(ALARMS_SCHEMA).day("ts").build(),
          SortOrder.builderFor(ALARMS_SCHEMA).asc("line").asc("device").asc("ts").build(),
          COMMON_PROPERTIES,
          "One lifecycle event (raised, cleared, acknowledged) of one alarm occurrence.");

  private static final Schema ALARM_RATE_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "window_start", Types.TimestampType.withZone(), "window start, inclusive"),
          required(5, "window_end", Types.TimestampType.withZone(), "window end, exclusive"),
          required(6, "alarms", Types.IntegerType.get(), "alarms raised in the window"),
          required(7, "threshold", Types.IntegerType.get(), "flood threshold per window"),
          required(8, "flood", Types.BooleanType.get(), "alarms > threshold"),
          optional(9, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Alarm rate per line per 10-minute window (ISA-18.2 flood detection). */
  public static final TableSpec ALARM_RATE =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "alarm_rate"),
          ALARM_RATE_SCHEMA,
          PartitionSpec.builderFor(ALARM_RATE_SCHEMA).day("window_start").build(),
          SortOrder.builderFor(ALARM_RATE_SCHEMA).asc("line").asc("window_start").build(),
          COMMON_PROPERTIES,
          "Alarms raised on one line in one window (10 minutes by default), flagged as a flood"
              + " above the ISA-18.2 threshold.");

  private static final Schema DATA_QUALITY_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(5, "tag", Types.StringType.get(), "measured quantity"),
          required(6, "window_start", Types.TimestampType.withZone(), "hour start, inclusive"),
          required(7, "window_end", Types.TimestampType.withZone(), "hour end, exclusive"),
          required(8, "points", Types.LongType.get(), "points received (after transport dedup)"),
          required(9, "expected", Types.LongType.get(), "window length / expected period"),
          required(10, "completeness", Types.DoubleType.get(), "min(1, distinct / expected)"),
          optional(11, "latency_p50_ms", Types.DoubleType.get(), "ingest_ts - ts, median"),
          optional(12, "latency_p95_ms", Types.DoubleType.get(), "ingest_ts - ts, 95th pct"),
          optional(13, "latency_p99_ms", Types.DoubleType.get(), "ingest_ts - ts, 99th pct"),
          required(14, "timeliness", Types.DoubleType.get(), "share within the latency target"),
          required(15, "validity", Types.DoubleType.get(), "share in range and of the type"),
          required(16, "bad_share", Types.DoubleType.get(), "share of BAD quality"),
          required(17, "duplicates", Types.LongType.get(), "points repeating a ts and value"),
          required(18, "gaps", Types.IntegerType.get(), "intervals > k x expected period"),
          required(19, "longest_gap_s", Types.DoubleType.get(), "longest interval, seconds"),
          required(20, "longest_run_s", Types.DoubleType.get(), "longest identical-value run"),
          required(21, "frozen", Types.BooleanType.get(), "longest run >= frozen-after"),
          required(22, "score", Types.DoubleType.get(), "weighted score 0..100"),
          optional(23, "rules_version", Types.LongType.get(), RULES_VERSION_DOC));

  /** Data quality per device, tag and hour, with a score. */
  public static final TableSpec DATA_QUALITY =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "data_quality"),
          DATA_QUALITY_SCHEMA,
          PartitionSpec.builderFor(DATA_QUALITY_SCHEMA).day("window_start").build(),
          SortOrder.builderFor(DATA_QUALITY_SCHEMA)
              .asc("device")
              .asc("tag")
              .asc("window_start")
              .build(),
          COMMON_PROPERTIES,
          "Data quality of one tag of one device in one hour: completeness, timeliness, validity,"
              + " BAD share, duplicates, gaps, frozen values and a score.");

  private static final Schema COMPLETENESS_SCHEMA =
      new Schema(
          required(1, "collector_id", Types.StringType.get(), "collector that read the points"),
          required(2, "source", Types.StringType.get(), "collector source"),
          required(3, "window_start", Types.TimestampType.withZone(), "hour start, inclusive"),
          required(4, "window_end", Types.TimestampType.withZone(), "hour end, exclusive"),
          required(5, "min_seq", Types.LongType.get(), "lowest seq in the hour"),
          required(6, "max_seq", Types.LongType.get(), "highest seq in the hour"),
          required(7, "received", Types.LongType.get(), "distinct seqs received"),
          required(8, "missing", Types.LongType.get(), "seqs missing, incl. before min_seq"),
          optional(9, "missing_ranges", Types.StringType.get(), "e.g. 120-125,400"));

  /** Completeness ledger: seq gaps per collector, source and hour. */
  public static final TableSpec COMPLETENESS =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "completeness"),
          COMPLETENESS_SCHEMA,
          PartitionSpec.builderFor(COMPLETENESS_SCHEMA).day("window_start").build(),
          SortOrder.builderFor(COMPLETENESS_SCHEMA)
              .asc("collector_id")
              .asc("source")
              .asc("window_start")
              .build(),
          COMMON_PROPERTIES,
          "The seq numbers one collector source sent in one hour, and exactly which are missing"
              + " between the edge and the lake.");

  private static final Schema LATE_POINTS_SCHEMA =
      new Schema(
          required(1, "job", Types.StringType.get(), "job that found it late, e.g. energy"),
          required(2, "operator", Types.StringType.get(), "operator that found it late"),
          required(3, "site", Types.StringType.get(), "ISA-95 site"),
          required(4, "area", Types.StringType.get(), "ISA-95 area"),
          required(5, "line", Types.StringType.get(), "ISA-95 line"),
          required(6, "device", Types.StringType.get(), "device (machine) on the line"),
          required(7, "tag", Types.StringType.get(), "measured quantity"),
          required(8, "ts", Types.TimestampType.withZone(), "the point's source timestamp"),
          optional(9, "watermark", Types.TimestampType.withZone(), "operator watermark on arrival"),
          optional(10, "value_double", Types.DoubleType.get(), "value, if a double"),
          optional(11, "value_long", Types.LongType.get(), "value, if an integer"),
          optional(12, "value_bool", Types.BooleanType.get(), "value, if a boolean"),
          optional(13, "value_string", Types.StringType.get(), "value, if a string"),
          optional(14, "quality", Types.StringType.get(), "GOOD, UNCERTAIN or BAD"),
          optional(15, "ingest_ts", Types.TimestampType.withZone(), "when the collector read it"),
          optional(16, "collector_id", Types.StringType.get(), "collector that read it"),
          optional(17, "source", Types.StringType.get(), "collector source it came from"),
          optional(18, "seq", Types.LongType.get(), "sequence number per collector and source"));

  /** Points an event-time operator received behind its watermark: kept, never dropped silently. */
  public static final TableSpec LATE_POINTS =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "late_points"),
          LATE_POINTS_SCHEMA,
          PartitionSpec.builderFor(LATE_POINTS_SCHEMA).day("ts").build(),
          SortOrder.builderFor(LATE_POINTS_SCHEMA)
              .asc("job")
              .asc("operator")
              .asc("device")
              .asc("tag")
              .asc("ts")
              .build(),
          COMMON_PROPERTIES,
          "A point that arrived behind an event-time operator's watermark (later than"
              + " maxOutOfOrderness allows): which job and operator found it late, the point, and"
              + " the watermark then. Indicators do not count it.");

  private static final List<TableSpec> ALL =
      List.of(
          TELEMETRY,
          ENERGY,
          SPC,
          OEE,
          ALARMS,
          ALARM_RATE,
          DATA_QUALITY,
          COMPLETENESS,
          ENERGY_SHIFT,
          ENERGY_DEMAND,
          ENERGY_PEAK,
          LATE_POINTS);

  private IronlakeTables() {}

  /** Every table, in creation order. */
  public static List<TableSpec> all() {
    return ALL;
  }

  /** The table with this name in the Ironlake namespace. */
  public static TableSpec byName(String name) {
    return ALL.stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Cannot find table "
                        + name
                        + ": known tables are "
                        + ALL.stream().map(TableSpec::name).toList()));
  }
}
