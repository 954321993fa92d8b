package io.ironlake.jobs.rules.internal;

import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalogFile;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only valid published catalogs: a record that is not one, or whose catalog does not
 * validate, is refused with an ERROR log and counted; the job goes on with the previous catalog.
 */
public final class CheckCatalogFunction extends RichFlatMapFunction<String, PublishedCatalog> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CheckCatalogFunction.class);

  /** Name of the counter of refused records. */
  public static final String REJECTED_METRIC = "rulesRejected";

  private final String topic;
  private transient Counter rejected;

  /** Checks records of {@code topic} (named in logs). */
  public CheckCatalogFunction(String topic) {
    this.topic = topic;
  }

  @Override
  public void open(OpenContext openContext) {
    rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_METRIC);
  }

  @Override
  public void flatMap(String value, Collector<PublishedCatalog> out) {
    PublishedCatalog p;
    try {
      p = PublishedCatalog.fromJson(value);
    } catch (IllegalArgumentException e) {
      rejected.inc();
      LOG.error(
          "rules record refused, previous catalog kept: topic={}, reason={}",
          topic,
          e.getMessage());
      return;
    }
    try {
      RuleCatalogFile.parse(p.yaml(), topic + " record " + p.label());
    } catch (IllegalArgumentException e) {
      rejected.inc();
      LOG.error(
          "rules record refused, previous catalog kept: topic={}, catalog={}, problems={}",
          topic,
          p.label(),
          e.getMessage());
      return;
    }
    LOG.info("rules received: topic={}, catalog={}", topic, p.label());
    out.collect(p);
  }
}
