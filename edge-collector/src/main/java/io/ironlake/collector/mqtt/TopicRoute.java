package io.ironlake.collector.mqtt;

import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.config.TopicPattern;
import io.ironlake.collector.mqtt.JsonPayloadCodec.JsonPayload;
import io.ironlake.collector.mqtt.JsonPayloadCodec.TagValue;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.connectors.sparkplug.DecodedPoint;
import io.ironlake.connectors.sparkplug.DevicePath;
import io.ironlake.connectors.sparkplug.RebirthRequest;
import io.ironlake.connectors.sparkplug.SparkplugDecoder;
import io.ironlake.connectors.sparkplug.SparkplugResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One configured topic of an MQTT source: its pattern and the decoder of its payload format. */
final class TopicRoute {
  private static final Logger LOG = LoggerFactory.getLogger(TopicRoute.class);

  private final TopicPattern pattern;
  private final TopicMapping mapping;
  private final String source;
  private final JsonPayloadCodec.Options json;
  private final SparkplugDecoder sparkplug;

  /**
   * What one message became: points (seq not yet set), or why it is a dead letter, and a Sparkplug
   * rebirth request to publish.
   */
  record Decoded(
      List<TelemetryPoint> points,
      Optional<String> deadLetterReason,
      Optional<RebirthRequest> rebirth) {
    Decoded {
      points = List.copyOf(points);
    }

    static Decoded of(List<TelemetryPoint> points) {
      return new Decoded(points, Optional.empty(), Optional.empty());
    }
  }

  /** The mapping this route decodes with. */
  TopicMapping mapping() {
    return mapping;
  }

  TopicRoute(TopicPattern pattern, TopicMapping mapping, String source, Clock clock) {
    this.pattern = pattern;
    this.mapping = mapping;
    this.source = source;
    this.json =
        new JsonPayloadCodec.Options(
            TopicMapping.LAYOUT_FLAT.equals(mapping.jsonLayout()),
            mapping.tsField(),
            mapping.tsFormat());
    if (TopicMapping.FORMAT_SPARKPLUG_B.equals(mapping.format())) {
      this.sparkplug =
          SparkplugDecoder.builder()
              .mapping(
                  (group, edge, device) ->
                      new DevicePath(
                          mapping.site() != null ? mapping.site() : group,
                          mapping.area(),
                          mapping.line() != null ? mapping.line() : edge,
                          device == null ? edge : device))
              .sourceName(source)
              .clock(clock)
              .build();
    } else {
      this.sparkplug = null;
    }
  }

  TopicPattern pattern() {
    return pattern;
  }

  /**
   * Decodes a message of this route's topics.
   *
   * @throws InvalidPayloadException when a JSON or plain payload cannot become points
   */
  Decoded decode(
      String topic,
      Map<String, String> captured,
      byte[] payload,
      int maxBytes,
      long receivedAt,
      String collectorId) {
    if (sparkplug != null) {
      return sparkplug(topic, payload, maxBytes, receivedAt, collectorId);
    }
    String site = captured.getOrDefault("site", mapping.site());
    String area = captured.getOrDefault("area", mapping.area());
    String line = captured.getOrDefault("line", mapping.line());
    String device = captured.getOrDefault("device", mapping.device());
    if (TopicMapping.FORMAT_PLAIN.equals(mapping.format())) {
      String tag = captured.getOrDefault("tag", mapping.tag());
      PointValue v = PlainPayloadCodec.decode(payload, maxBytes);
      return Decoded.of(
          List.of(point(site, area, line, device, tag, receivedAt, receivedAt, v, collectorId)));
    }
    JsonPayload decoded = JsonPayloadCodec.decode(payload, maxBytes, json);
    List<TelemetryPoint> points = new ArrayList<>(decoded.values().size());
    for (TagValue v : decoded.values()) {
      points.add(
          point(
              site,
              area,
              line,
              device,
              v.tag(),
              decoded.tsMicros(),
              receivedAt,
              v.value(),
              collectorId));
    }
    return Decoded.of(points);
  }

  private TelemetryPoint point(
      String site,
      String area,
      String line,
      String device,
      String tag,
      long ts,
      long receivedAt,
      PointValue value,
      String collectorId) {
    return new TelemetryPoint(
        site,
        area,
        line,
        device,
        tag,
        ts,
        receivedAt,
        value,
        Quality.GOOD,
        0L,
        mapping.units().getOrDefault(tag, ""),
        collectorId,
        source,
        0L);
  }

  /**
   * Sparkplug only: the last values of the edge nodes and devices this route's decoder knows
   * online, as STALE points ({@link SparkplugDecoder#connectionLost}); empty for other formats.
   * Call under the same lock as {@link #decode}.
   */
  List<TelemetryPoint> staleAfterLostConnection(long receivedAt, String collectorId) {
    if (sparkplug == null) {
      return List.of();
    }
    return toPoints(sparkplug.connectionLost(), receivedAt, collectorId);
  }

  private List<TelemetryPoint> toPoints(
      List<DecodedPoint> decoded, long receivedAt, String collectorId) {
    List<TelemetryPoint> points = new ArrayList<>(decoded.size());
    for (DecodedPoint d : decoded) {
      TelemetryPoint t = d.toTelemetryPoint(receivedAt, collectorId, source, 0L);
      if (d.unit().isEmpty() && mapping.units().containsKey(d.tag())) {
        t =
            new TelemetryPoint(
                t.site(),
                t.area(),
                t.line(),
                t.device(),
                t.tag(),
                t.tsMicros(),
                t.ingestTsMicros(),
                t.value(),
                t.quality(),
                t.statusCode(),
                mapping.units().get(d.tag()),
                t.collectorId(),
                t.source(),
                t.seq());
      }
      points.add(t);
    }
    return points;
  }

  private Decoded sparkplug(
      String topic, byte[] payload, int maxBytes, long receivedAt, String collectorId) {
    if (payload.length > maxBytes) {
      throw new InvalidPayloadException(
          "Payload too large: " + payload.length + " bytes, max-payload-bytes is " + maxBytes);
    }
    SparkplugResult result = sparkplug.decode(topic, payload);
    if (result instanceof SparkplugResult.Points p) {
      p.sequenceGap()
          .ifPresent(
              gap ->
                  LOG.warn(
                      "sparkplug sequence gap: source={}, topic={}, gap={}",
                      source,
                      topic,
                      gap.describe()));
      return new Decoded(
          toPoints(p.points(), receivedAt, collectorId), Optional.empty(), p.rebirth());
    }
    if (result instanceof SparkplugResult.Ignored i) {
      LOG.debug("sparkplug message ignored: source={}, topic={}, reason={}", source, topic, i);
      return Decoded.of(List.of());
    }
    return new Decoded(List.of(), result.deadLetterReason(), result.rebirth());
  }
}
