package io.ironlake.collector.mqtt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.connectors.record.PointValue;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes gateway JSON payloads: by default {@code {"ts": <epoch millis>, "values": {"tag": value,
 * ...}}}; with {@link Options} the values may be flat top-level fields and the timestamp another
 * key in epoch seconds, milliseconds, microseconds or ISO-8601. A JSON integer becomes a long, a
 * JSON number with a fraction or exponent a double, and booleans and strings stay what they are.
 * Other top-level keys are ignored (values layout). A payload either decodes whole or is refused
 * whole, with a reason naming what is wrong.
 */
public final class JsonPayloadCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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

  /**
   * How a topic's JSON is laid out.
   *
   * @param flat whether every top-level key but the timestamp is a tag (else they are in {@code
   *     values})
   * @param tsField the key of the timestamp
   * @param tsFormat {@code epoch-ms}, {@code epoch-s}, {@code epoch-us} or {@code iso-8601}
   */
  public record Options(boolean flat, String tsField, String tsFormat) {
    /** The gateway format: {@code values} object, {@code ts} in epoch milliseconds. */
    public static final Options DEFAULT = new Options(false, "ts", "epoch-ms");

    public Options {
      Objects.requireNonNull(tsField, "tsField");
      Objects.requireNonNull(tsFormat, "tsFormat");
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
    return decode(payload, maxBytes, Options.DEFAULT);
  }

  /**
   * Decodes a payload laid out as {@code options} say.
   *
   * @throws InvalidPayloadException with the reason when the payload cannot become points
   */
  public static JsonPayload decode(byte[] payload, int maxBytes, Options options) {
    if (payload.length > maxBytes) {
      throw new InvalidPayloadException(
          "Payload too large: " + payload.length + " bytes, max-payload-bytes is " + maxBytes);
    }
    if (payload.length == 0) {
      throw new InvalidPayloadException("Empty payload: expected a JSON object with ts and values");
    }
    if (!options.flat() && options.tsFormat().equals("epoch-ms")) {
      JsonPayload fast = streamed(payload, options.tsField());
      if (fast != null) {
        return fast;
      }
      // Anything unusual: the tree finds what is wrong and says so.
    }
    return decodeTree(payload, options);
  }

  /** Decodes through a JSON tree: every layout, and the exact reason for a refusal. */
  static JsonPayload decodeTree(byte[] payload, Options options) {
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
    long tsMicros = ts(root.get(options.tsField()), options);
    JsonNode values;
    if (options.flat()) {
      values = root.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) values).remove(options.tsField());
      if (values.isEmpty()) {
        throw new InvalidPayloadException(
            "Empty payload: expected at least one tag besides " + options.tsField());
      }
    } else {
      values = root.get("values");
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

  /**
   * Decodes the gateway layout (values object, epoch-ms timestamp) straight from the parser's
   * tokens, without building a tree: the common case, at about half the cost. Returns {@code null}
   * for anything it does not take as it is (invalid JSON, duplicate keys, a missing or odd field, a
   * value that is not a finite number, boolean or string), so that {@link #decode} refuses or takes
   * it with the tree and its exact messages.
   */
  private static JsonPayload streamed(byte[] payload, String tsField) {
    try (JsonParser p = MAPPER.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      long tsMillis = -1;
      List<TagValue> values = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(tsField)) {
          if (v != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return null;
          }
          tsMillis = p.getLongValue();
          if (tsMillis < 0 || tsMillis > Long.MAX_VALUE / 1000) {
            return null;
          }
        } else if (name.equals("values")) {
          if (v != JsonToken.START_OBJECT) {
            return null;
          }
          values = new ArrayList<>(8);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String tag = p.currentName();
            if (tag.isEmpty()) {
              return null;
            }
            PointValue value = streamedValue(p, p.nextToken());
            if (value == null) {
              return null;
            }
            values.add(new TagValue(tag, value));
          }
          if (p.currentToken() != JsonToken.END_OBJECT) {
            return null;
          }
        } else {
          p.skipChildren(); // other top-level keys are ignored, as in the tree path
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      if (tsMillis < 0 || values == null || values.isEmpty()) {
        return null;
      }
      return new JsonPayload(tsMillis * 1000, values);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static PointValue streamedValue(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return null;
    }
    switch (t) {
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? null
            : PointValue.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        return Double.isFinite(d) ? PointValue.of(d) : null;
      case VALUE_TRUE:
        return PointValue.of(true);
      case VALUE_FALSE:
        return PointValue.of(false);
      case VALUE_STRING:
        return PointValue.of(p.getText());
      default:
        return null;
    }
  }

  private static long ts(JsonNode ts, Options options) {
    String name = options.tsField();
    String format = options.tsFormat();
    if (format.equals("iso-8601")) {
      if (ts == null) {
        throw new InvalidPayloadException("Missing " + name + ": expected ISO-8601 text");
      }
      if (!ts.isTextual()) {
        throw new InvalidPayloadException(
            "Invalid " + name + " " + text(ts) + ": expected ISO-8601 text with an offset");
      }
      try {
        java.time.Instant t =
            java.time.OffsetDateTime.parse(ts.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
        if (t.getEpochSecond() < 0) {
          throw new InvalidPayloadException(
              "Invalid " + name + " " + text(ts) + ": expected a time after 1970");
        }
        return Math.addExact(
            Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new InvalidPayloadException(
            "Invalid "
                + name
                + " "
                + text(ts)
                + ": expected ISO-8601 text with an offset, e.g. 2026-11-27T05:00:00.123Z");
      }
    }
    String unit =
        switch (format) {
          case "epoch-s" -> "epoch seconds";
          case "epoch-us" -> "epoch microseconds";
          default -> "epoch milliseconds";
        };
    long perUnit =
        switch (format) {
          case "epoch-s" -> 1_000_000L;
          case "epoch-us" -> 1L;
          default -> 1000L;
        };
    if (ts == null) {
      throw new InvalidPayloadException("Missing " + name + ": expected " + unit);
    }
    if (format.equals("epoch-s") && ts.isNumber() && !ts.isIntegralNumber()) {
      double seconds = ts.asDouble();
      if (!(seconds >= 0) || seconds > Long.MAX_VALUE / 1e6) {
        throw new InvalidPayloadException(
            "Invalid " + name + " " + text(ts) + ": expected " + unit + " from 0");
      }
      return Math.round(seconds * 1e6);
    }
    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw new InvalidPayloadException(
          "Invalid " + name + " " + text(ts) + ": expected " + unit + " as an integer");
    }
    long n = ts.asLong();
    long max = Long.MAX_VALUE / perUnit;
    if (n < 0 || n > max) {
      throw new InvalidPayloadException(
          "Invalid " + name + " " + n + ": expected " + unit + " from 0 to " + max);
    }
    return n * perUnit;
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
