package io.ironlake.collector.mqtt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.connectors.record.PointValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes the gateway JSON payload {@code {"ts": <epoch millis>, "values": {"tag": value, ...}}}: a
 * JSON integer becomes a long, a JSON number with a fraction or exponent a double, and booleans and
 * strings stay what they are. Other top-level keys are ignored. A payload either decodes whole or
 * is refused whole, with a reason naming what is wrong.
 */
public final class JsonPayloadCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final long MAX_TS_MILLIS = Long.MAX_VALUE / 1000;
  // Jackson's "[Source: REDACTED (...); line: 1, column: 33]" becomes "1:33".
  private static final String SOURCE_REF = "\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]";

  /** One tag's value in a payload. */
  public record TagValue(String tag, PointValue value) {
    public TagValue {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A decoded payload: its timestamp and its values in payload order. */
  public record JsonPayload(long tsMicros, List<TagValue> values) {
    public JsonPayload {
      values = List.copyOf(values);
    }
  }

  private JsonPayloadCodec() {}

  /**
   * Decodes a payload.
   *
   * @param payload the raw bytes, UTF-8 JSON
   * @param maxBytes the largest payload accepted
   * @throws InvalidPayloadException with the reason when the payload cannot become points
   */
  public static JsonPayload decode(byte[] payload, int maxBytes) {
    if (payload.length > maxBytes) {
      throw new InvalidPayloadException(
          "Payload too large: " + payload.length + " bytes, max-payload-bytes is " + maxBytes);
    }
    if (payload.length == 0) {
      throw new InvalidPayloadException("Empty payload: expected a JSON object with ts and values");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " at " + loc.getLineNr() + ":" + loc.getColumnNr();
      String detail =
          e.getOriginalMessage()
              .lines()
              .findFirst()
              .orElse("")
              .trim()
              .replaceAll(SOURCE_REF, "$1:$2");
      throw new InvalidPayloadException("Invalid JSON" + where + ": " + detail);
    } catch (IOException e) {
      throw new InvalidPayloadException("Invalid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPayloadException(
          "Invalid payload: expected a JSON object with ts and values, got " + kind(root));
    }
    long tsMicros = ts(root.get("ts"));
    JsonNode values = root.get("values");
    if (values == null) {
      throw new InvalidPayloadException("Missing values: expected an object of tag to value");
    }
    if (!values.isObject()) {
      throw new InvalidPayloadException(
          "Invalid values: expected an object of tag to value, got " + kind(values));
    }
    if (values.isEmpty()) {
      throw new InvalidPayloadException("Empty values: expected at least one tag");
    }
    List<TagValue> out = new ArrayList<>(values.size());
    Iterator<Map.Entry<String, JsonNode>> it = values.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().isEmpty()) {
        throw new InvalidPayloadException("Invalid tag \"\" in values: expected a non-empty name");
      }
      out.add(new TagValue(e.getKey(), value(e.getKey(), e.getValue())));
    }
    return new JsonPayload(tsMicros, out);
  }

  private static long ts(JsonNode ts) {
    if (ts == null) {
      throw new InvalidPayloadException("Missing ts: expected epoch milliseconds");
    }
    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw new InvalidPayloadException(
          "Invalid ts " + text(ts) + ": expected epoch milliseconds as an integer");
    }
    long millis = ts.asLong();
    if (millis < 0 || millis > MAX_TS_MILLIS) {
      throw new InvalidPayloadException(
          "Invalid ts " + millis + ": expected epoch milliseconds from 0 to " + MAX_TS_MILLIS);
    }
    return millis * 1000;
  }

  private static PointValue value(String tag, JsonNode v) {
    if (v.isIntegralNumber()) {
      if (!v.canConvertToLong()) {
        throw new InvalidPayloadException(
            "Invalid value " + v.asText() + " of " + tag + ": integer out of the 64-bit range");
      }
      return PointValue.of(v.asLong());
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      if (!Double.isFinite(d)) {
        throw new InvalidPayloadException(
            "Invalid value " + v.asText() + " of " + tag + ": not a finite number");
      }
      return PointValue.of(d);
    }
    if (v.isBoolean()) {
      return PointValue.of(v.asBoolean());
    }
    if (v.isTextual()) {
      return PointValue.of(v.asText());
    }
    throw new InvalidPayloadException(
        "Invalid value of " + tag + ": expected a number, boolean or string, got " + kind(v));
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "no JSON value";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return "a number";
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? '"' + n.asText() + '"' : n.isValueNode() ? n.asText() : kind(n);
  }
}
