package io.ironlake.connectors.sparkplug;

import java.util.List;
import java.util.Optional;

/**
 * What {@link SparkplugDecoder#decode} made of one MQTT message.
 *
 * <pre>{@code
 * SparkplugResult result = decoder.decode(topic, payload);
 * if (result instanceof SparkplugResult.Points p) {
 *   p.points().forEach(point -> publish(point.toTelemetryPoint(now, collectorId, source, seq++)));
 * }
 * result.deadLetterReason().ifPresent(reason -> deadLetter(topic, payload, reason));
 * result.rebirth().ifPresent(req -> mqtt.publish(req.topic(), req.payload(), 0, false));
 * }</pre>
 */
public sealed interface SparkplugResult {

  /** The MQTT topic the message came on. */
  String origin();

  /**
   * An NCMD to publish now so the edge node sends its births again; empty when none is needed or
   * one was requested for that node less than the decoder's rebirth interval ago.
   */
  Optional<RebirthRequest> rebirth();

  /** Why the message should go to the dead-letter topic; empty when it should not. */
  default Optional<String> deadLetterReason() {
    return Optional.empty();
  }

  /**
   * Values decoded from a birth, data or death message (possibly none, e.g. a birth with only
   * control metrics).
   *
   * @param origin the MQTT topic
   * @param topic the parsed topic
   * @param points the values in message order
   * @param sequenceGap set when the message's seq did not follow the previous one of its node
   * @param rebirth a rebirth request after a sequence gap, if the decoder is set to ask for one
   */
  record Points(
      String origin,
      SparkplugTopic topic,
      List<DecodedPoint> points,
      Optional<SequenceGap> sequenceGap,
      Optional<RebirthRequest> rebirth)
      implements SparkplugResult {
    public Points {
      points = List.copyOf(points);
    }
  }

  /**
   * A data message the decoder cannot read without new births: an unknown alias or metric name,
   * data before any birth or after a death. Dead-letter it and publish {@link #rebirth()}.
   *
   * @param origin the MQTT topic
   * @param topic the parsed topic
   * @param reason why, naming the alias or metric, e.g. "Unknown Sparkplug metric alias 7 in DDATA
   *     from plant-sh/line-3/m01: not in its DBIRTH"
   * @param rebirth the NCMD to publish (empty if one was sent recently)
   */
  record RebirthNeeded(
      String origin, SparkplugTopic topic, String reason, Optional<RebirthRequest> rebirth)
      implements SparkplugResult {
    @Override
    public Optional<String> deadLetterReason() {
      return Optional.of(reason);
    }
  }

  /**
   * A message with nothing for telemetry: commands (NCMD, DCMD), host STATE, or a death certificate
   * of a session that is already over.
   *
   * @param origin the MQTT topic
   * @param reason why it was ignored
   */
  record Ignored(String origin, String reason) implements SparkplugResult {
    @Override
    public Optional<RebirthRequest> rebirth() {
      return Optional.empty();
    }
  }

  /**
   * A message that is not valid Sparkplug B: a bad topic, malformed Protobuf, a value that does not
   * fit its data type, an invalid birth. Dead-letter it.
   *
   * @param origin the MQTT topic
   * @param reason what is wrong, e.g. "Malformed Sparkplug B payload on spBv1.0/...: ..."
   */
  record Refused(String origin, String reason) implements SparkplugResult {
    @Override
    public Optional<RebirthRequest> rebirth() {
      return Optional.empty();
    }

    @Override
    public Optional<String> deadLetterReason() {
      return Optional.of(reason);
    }
  }
}
