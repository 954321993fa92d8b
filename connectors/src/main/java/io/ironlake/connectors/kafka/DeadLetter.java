package io.ironlake.connectors.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Input that could not become telemetry points, kept whole on {@link Topics#DEADLETTER}: the raw
 * bytes are the Kafka value, what went wrong and where it came from are headers.
 *
 * @param collectorId the collector that received the input
 * @param source the collector's source (connection) name
 * @param origin where in the source it came from, e.g. the MQTT topic or the OPC UA node id
 * @param reason why it was refused, e.g. "Invalid JSON: unexpected end of input at 1:17"
 * @param receivedAtMicros when the collector received it, microseconds since the epoch, UTC
 * @param payload the raw bytes, unchanged
 */
public record DeadLetter(
    String collectorId,
    String source,
    String origin,
    String reason,
    long receivedAtMicros,
    byte[] payload) {

  public static final String HEADER_COLLECTOR = "ironlake.collector_id";
  public static final String HEADER_SOURCE = "ironlake.source";
  public static final String HEADER_ORIGIN = "ironlake.origin";
  public static final String HEADER_REASON = "ironlake.reason";
  public static final String HEADER_RECEIVED_AT = "ironlake.received_at_us";

  public DeadLetter {
    Objects.requireNonNull(collectorId, "collectorId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
    payload = payload == null ? new byte[0] : payload;
  }

  /** The Kafka record for this dead letter, keyed by source. */
  public ProducerRecord<byte[], byte[]> toProducerRecord() {
    Headers headers = new RecordHeaders();
    headers.add(HEADER_COLLECTOR, utf8(collectorId));
    headers.add(HEADER_SOURCE, utf8(source));
    headers.add(HEADER_ORIGIN, utf8(origin));
    headers.add(HEADER_REASON, utf8(reason));
    headers.add(HEADER_RECEIVED_AT, utf8(Long.toString(receivedAtMicros)));
    return new ProducerRecord<>(Topics.DEADLETTER, null, utf8(source), payload, headers);
  }

  /** Reads a dead letter back from a consumed record's headers and value. */
  public static DeadLetter fromRecord(Headers headers, byte[] value) {
    return new DeadLetter(
        header(headers, HEADER_COLLECTOR),
        header(headers, HEADER_SOURCE),
        header(headers, HEADER_ORIGIN),
        header(headers, HEADER_REASON),
        receivedAt(header(headers, HEADER_RECEIVED_AT)),
        value);
  }

  private static long receivedAt(String text) {
    return text.isEmpty() ? 0L : Long.parseLong(text);
  }

  private static String header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
