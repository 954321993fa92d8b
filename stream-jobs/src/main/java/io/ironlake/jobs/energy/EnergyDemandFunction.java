package io.ironlake.jobs.energy;

import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * 15-minute demand per device and per line (keyed by {@code site/area/line}) from the minute rows,
 * and the daily peak of it on the side output {@link #DAILY_PEAKS}. Intervals are quarter hours
 * since the epoch (every time zone in use today is offset by whole quarter hours, so they are local
 * quarter hours too); a day is a calendar day in the zone of the shift calendar of {@code
 * catalog.energy(devicePath)} (line: {@code catalog.energy(site/area/line)}). An interval is
 * emitted once the watermark passes its end, a day's peak once it passes the day's end.
 */
public final class EnergyDemandFunction
    extends KeyedBroadcastProcessFunction<String, EnergyRow, PublishedCatalog, EnergyDemandRow> {
  private static final long serialVersionUID = 1L;

  /** Interval length, microseconds. */
  public static final long INTERVAL_MICROS = 15 * 60_000_000L;

  /** Daily peaks of the demand. */
  public static final OutputTag<EnergyPeakRow> DAILY_PEAKS =
      new OutputTag<>("energy-daily-peaks", TypeInformation.of(EnergyPeakRow.class));

  private final RulesInEffect rules;
  private transient MapState<String, EnergyDemandRow> intervals;
  private transient MapState<String, EnergyPeakRow> peaks;

  /**
   * Demand and daily peaks, with the time zones of the rules in effect ({@link LiveRules}) when an
   * interval closes; rows carry the version in effect then.
   */
  public EnergyDemandFunction(RuleCatalog initial) {
    this.rules = new RulesInEffect(initial, "energy-demand");
  }

  @Override
  public void processBroadcastElement(
      PublishedCatalog catalog, Context ctx, Collector<EnergyDemandRow> out) throws Exception {
    rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
  }

  @Override
  public void open(OpenContext openContext) {
    intervals =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "energy-demand-intervals",
                    Types.STRING,
                    TypeInformation.of(EnergyDemandRow.class)));
    peaks =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "energy-demand-peaks", Types.STRING, TypeInformation.of(EnergyPeakRow.class)));
    rules.register(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(EnergyRow row, ReadOnlyContext ctx, Collector<EnergyDemandRow> out)
      throws Exception {
    long start = row.windowStartMicros() - Math.floorMod(row.windowStartMicros(), INTERVAL_MICROS);
    add(row, row.device(), start, ctx);
    add(row, null, start, ctx);
  }

  private void add(EnergyRow row, String device, long start, ReadOnlyContext ctx) throws Exception {
    String key = start + "/" + (device == null ? "" : "d:" + device);
    EnergyDemandRow d = intervals.get(key);
    if (d == null) {
      d =
          new EnergyDemandRow(
              device == null ? "LINE" : "DEVICE",
              row.site(),
              row.area(),
              row.line(),
              device,
              start,
              start + INTERVAL_MICROS,
              0,
              0,
              0);
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(start + INTERVAL_MICROS, 1000L) - 1);
    }
    double kwh = d.energyKwh() + row.energyKwh();
    intervals.put(
        key,
        new EnergyDemandRow(
            d.scope(),
            d.site(),
            d.area(),
            d.line(),
            d.device(),
            d.intervalStartMicros(),
            d.intervalEndMicros(),
            kwh,
            kwh / (INTERVAL_MICROS / 3_600_000_000.0),
            d.minutes() + 1));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnergyDemandRow> out)
      throws Exception {
    List<String> keys = new ArrayList<>();
    List<EnergyDemandRow> done = new ArrayList<>();
    for (Map.Entry<String, EnergyDemandRow> e : intervals.entries()) {
      if (Math.floorDiv(e.getValue().intervalEndMicros(), 1000L) - 1 <= timestamp) {
        keys.add(e.getKey());
        done.add(e.getValue());
      }
    }
    for (String k : keys) {
      intervals.remove(k);
    }
    done.sort(
        Comparator.comparingLong(EnergyDemandRow::intervalStartMicros)
            .thenComparing(d -> String.valueOf(d.device())));
    RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
    long version = rules.version();
    for (EnergyDemandRow d : done) {
      out.collect(d.withRulesVersion(version));
      peak(d, catalog, ctx);
    }
    List<String> days = new ArrayList<>();
    List<EnergyPeakRow> closed = new ArrayList<>();
    for (Map.Entry<String, EnergyPeakRow> e : peaks.entries()) {
      if (Math.floorDiv(e.getValue().dayEndMicros(), 1000L) - 1 <= timestamp) {
        days.add(e.getKey());
        closed.add(e.getValue());
      }
    }
    for (String k : days) {
      peaks.remove(k);
    }
    closed.sort(
        Comparator.comparingLong(EnergyPeakRow::dayStartMicros)
            .thenComparing(p -> String.valueOf(p.device())));
    for (EnergyPeakRow p : closed) {
      ctx.output(DAILY_PEAKS, p.withRulesVersion(version));
    }
  }

  private void peak(EnergyDemandRow d, RuleCatalog catalog, OnTimerContext ctx) throws Exception {
    String path = d.site() + '/' + d.area() + '/' + d.line();
    ZoneId zone =
        catalog.energy(d.device() == null ? path : path + '/' + d.device()).shifts().zone();
    LocalDate day = instant(d.intervalStartMicros()).atZone(zone).toLocalDate();
    String key = day.toEpochDay() + "/" + (d.device() == null ? "" : "d:" + d.device());
    EnergyPeakRow p = peaks.get(key);
    if (p == null) {
      long dayStart = micros(day.atStartOfDay(zone).toInstant());
      long dayEnd = micros(day.plusDays(1).atStartOfDay(zone).toInstant());
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(dayEnd, 1000L) - 1);
      p =
          new EnergyPeakRow(
              d.scope(),
              d.site(),
              d.area(),
              d.line(),
              d.device(),
              day.toEpochDay(),
              dayStart,
              dayEnd,
              d.demandKw(),
              d.intervalStartMicros(),
              1);
    } else {
      boolean higher = d.demandKw() > p.peakDemandKw();
      p =
          new EnergyPeakRow(
              p.scope(),
              p.site(),
              p.area(),
              p.line(),
              p.device(),
              p.dayEpochDay(),
              p.dayStartMicros(),
              p.dayEndMicros(),
              higher ? d.demandKw() : p.peakDemandKw(),
              higher ? d.intervalStartMicros() : p.peakIntervalStartMicros(),
              p.intervals() + 1);
    }
    peaks.put(key, p);
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
