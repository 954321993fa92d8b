package io.ironlake.jobs.rules;

import java.io.Serializable;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog a broadcast-connected operator uses: the newest catalog in its broadcast state
 * ({@link LiveRules#STATE}), else the initial one it was built with. Parsed once per version;
 * exposes the version as the gauge {@value #VERSION_METRIC} (0: the initial catalog).
 */
public final class RulesInEffect implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RulesInEffect.class);

  /** Name of the gauge of the catalog version in effect. */
  public static final String VERSION_METRIC = "rulesVersion";

  private final RuleCatalog initial;
  private final String operator;
  private transient String hash;
  private transient RuleCatalog current;
  private transient long version;

  /** Rules of {@code operator} (named in logs), starting with {@code initial}. */
  public RulesInEffect(RuleCatalog initial, String operator) {
    this.initial = initial;
    this.operator = operator;
  }

  /** Registers the version gauge. */
  public void register(MetricGroup group) {
    group.gauge(VERSION_METRIC, (Gauge<Long>) () -> version);
  }

  /** The catalog in effect. */
  public RuleCatalog current(ReadOnlyBroadcastState<String, PublishedCatalog> state)
      throws Exception {
    PublishedCatalog p = state.get(LiveRules.KEY);
    if (p == null) {
      return initial;
    }
    if (!p.sha256().equals(hash)) {
      try {
        current = RuleCatalogFile.parse(p.yaml(), "rules record " + p.label());
        hash = p.sha256();
        version = p.version();
        LOG.info("rules in effect: operator={}, catalog={}", operator, p.label());
      } catch (RuntimeException e) {
        // Checked before it was broadcast; a catalog that fails here keeps the previous one.
        LOG.error(
            "rules refused, previous kept: operator={}, catalog={}, problems={}",
            operator,
            p.label(),
            e.getMessage());
        hash = p.sha256();
      }
    }
    return current == null ? initial : current;
  }

  /** Takes a newly published catalog (already validated) into broadcast state. */
  public void update(BroadcastState<String, PublishedCatalog> state, PublishedCatalog p)
      throws Exception {
    state.put(LiveRules.KEY, p);
    current(state);
  }

  /** The version in effect (0: the initial catalog), as of the last {@link #current} call. */
  public long version() {
    return version;
  }

  /** The version of the catalog in effect (0: the initial catalog). */
  public long version(ReadOnlyBroadcastState<String, PublishedCatalog> state) throws Exception {
    current(state);
    return version;
  }
}
