package io.ironlake.bench.jobs;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.routing.RoutedPoints;
import io.ironlake.jobs.rules.IndicatorDefaults;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmRate;
import io.ironlake.jobs.safety.SafetyJob;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * What runs behind the common source (Kafka source, deserialization, watermarks) in one benchmark
 * phase; every output goes to a discarding sink.
 */
enum Variant {
  /** The ceiling: source, deserialization and watermarks only. */
  PASS_THROUGH("pass-through", 1.0) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      discard(points);
    }
  },
  /**
   * Pass-through plus the dedup on (collector_id, source, seq) that every indicator starts with.
   */
  DEDUP("dedup", 0) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      discard(TelemetrySource.deduplicate(points, config));
    }
  },
  /**
   * Energy per device and minute from the meters, as {@link IronlakeJobs#addJobs} composes the
   * energy job alone ({@code ironlake jobs run energy}): dedup, the point router, the energy
   * operator on the rules topic.
   */
  ENERGY("energy", 0.5) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      RoutedPoints routed = alone(points, config, IronlakeJobs.ENERGY);
      discard(
          EnergyJob.energyRows(routed.of(EnergyJob.ROUTE), rules(points, config, EnergyJob.UID)));
    }
  },
  /**
   * SPC subgroups, control limits, Nelson rules and Cp/Cpk of the diameter, as the quality job
   * alone routes its points (see {@link #ENERGY}).
   */
  SPC("spc", 0.3) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      RoutedPoints routed = alone(points, config, IronlakeJobs.QUALITY);
      discard(
          QualityJob.spcRows(
              routed.of(QualityJob.SPC_ROUTE), rules(points, config, QualityJob.UID)));
    }
  },
  /** OEE per device and line per shift, as the quality job alone routes its points. */
  OEE("oee", 0.3) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      RoutedPoints routed = alone(points, config, IronlakeJobs.QUALITY);
      discard(
          QualityJob.oeeRows(
              routed.of(QualityJob.OEE_ROUTE), rules(points, config, QualityJob.UID)));
    }
  },
  /** Limit, rate-of-change and frozen-value alarms of temperature and power (no patterns). */
  TAG_ALARMS("tag alarms", 0) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      RuleCatalog rules = IndicatorDefaults.builder().noPatterns().build();
      discard(SafetyJob.alarmEvents(TelemetrySource.deduplicate(points, config), rules));
    }
  },
  /** The Flink CEP pattern "temperature above 45 °C and coolant below 2 l/min within 30 s". */
  CEP("CEP pattern", 0.2) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      RuleCatalog rules =
          StaticRuleCatalog.builder().pattern(IndicatorDefaults.OVERHEAT_WITHOUT_COOLANT).build();
      discard(SafetyJob.alarmEvents(TelemetrySource.deduplicate(points, config), rules));
    }
  },
  /**
   * Every indicator at once over one dedup, composed as {@link IronlakeJobs#addJobs} does: the
   * point router ({@link IronlakeJobs#route}) and each job's rules from the rules topic; energy
   * minutes, SPC, OEE, tag alarms, pattern, alarm rate, each into a discarding sink, with the
   * safety job's watermark interval and buffer timeout ({@link SafetyJob#tuneForLatency}).
   */
  ALL("all together", 0) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      indicators(IronlakeJobs.route(points, config, INDICATORS), config);
    }
  },
  /** As {@link #ALL} without the router: every deduplicated point reaches every operator. */
  ALL_UNROUTED("all, no router", 0) {
    @Override
    void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
      indicators(RoutedPoints.unrouted(TelemetrySource.deduplicate(points, config)), config);
    }
  };

  /** The jobs of {@link #ALL}. */
  private static final Set<String> INDICATORS =
      Set.of(IronlakeJobs.ENERGY, IronlakeJobs.QUALITY, IronlakeJobs.SAFETY);

  /** The indicator operators of energy, quality and safety, each job with its own live rules. */
  private static void indicators(RoutedPoints routed, JobsConfig config) {
    StreamExecutionEnvironment env = routed.of(EnergyJob.ROUTE).getExecutionEnvironment();
    // As addJobs with the safety job: its watermark interval (the fast path's buffer timeouts are
    // set by SafetyJob.alarmEvents).
    SafetyJob.tuneForLatency(env);
    LiveRules energy = LiveRules.fromKafka(env, config, EnergyJob.UID);
    LiveRules quality = LiveRules.fromKafka(env, config, QualityJob.UID);
    LiveRules safety = LiveRules.fromKafka(env, config, SafetyJob.UID);
    discard(EnergyJob.energyRows(routed.of(EnergyJob.ROUTE), energy));
    discard(QualityJob.spcRows(routed.of(QualityJob.SPC_ROUTE), quality));
    discard(QualityJob.oeeRows(routed.of(QualityJob.OEE_ROUTE), quality));
    DataStream<AlarmEvent> alarms = SafetyJob.alarmEvents(routed, safety, null);
    discard(alarms);
    discard(AlarmRate.rows(alarms, safety, "bench-flood"));
  }

  private final String label;
  private final double target;

  Variant(String label, double target) {
    this.label = label;
    this.target = target;
  }

  /** The name printed in the results. */
  String label() {
    return label;
  }

  /** The target as a share of the pass-through rate; 0 when it sets none. */
  double target() {
    return target;
  }

  abstract void addTo(DataStream<TelemetryPoint> points, JobsConfig config);

  /**
   * The points deduplicated and routed as {@link IronlakeJobs#addJobs} does for {@code job} alone.
   */
  private static RoutedPoints alone(
      DataStream<TelemetryPoint> points, JobsConfig config, String job) {
    return IronlakeJobs.route(points, config, Set.of(job));
  }

  /** The job's live rules from the rules topic, as it runs. */
  private static LiveRules rules(DataStream<TelemetryPoint> points, JobsConfig config, String uid) {
    return LiveRules.fromKafka(points.getExecutionEnvironment(), config, uid);
  }

  private static RuleCatalog defaults() {
    return IndicatorDefaults.catalog();
  }

  private static <T> void discard(DataStream<T> stream) {
    stream.sinkTo(new DiscardingSink<>()).name("discard");
  }
}
