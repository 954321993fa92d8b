package io.ironlake.jobs.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * The JSON forms of alarm events (on {@code alarms.v1}) and alarm commands (on {@code
 * alarm-commands.v1}).
 */
public final class AlarmJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlarmJson() {}

  /**
   * An event as one JSON object: alarmId, site, area, line, device, tag, type, priority, state,
   * value and limit (null when none), ts (ISO-8601), tsMicros, raisedTsMicros, message, actor,
   * rulesVersion (the version of the rule catalog that made it; 0 = the catalog the job started
   * with).
   */
  public static byte[] toJson(AlarmEvent e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("alarmId", e.alarmId());
    n.put("site", e.site());
    n.put("area", e.area());
    n.put("line", e.line());
    n.put("device", e.device());
    n.put("tag", e.tag());
    n.put("type", e.type().name());
    n.put("priority", e.priority().name());
    n.put("state", e.state().name());
    putNumber(n, "value", e.value());
    putNumber(n, "limit", e.limit());
    n.put("ts", instant(e.tsMicros()).toString());
    n.put("tsMicros", e.tsMicros());
    n.put("raisedTsMicros", e.raisedTsMicros());
    n.put("message", e.message());
    if (e.actor() == null) {
      n.putNull("actor");
    } else {
      n.put("actor", e.actor());
    }
    n.put("rulesVersion", e.rulesVersion());
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException ex) {
      throw new IllegalStateException("Cannot write alarm " + e.alarmId() + " as JSON", ex);
    }
  }

  /**
   * A command from JSON; {@code tsMicros} falls back to {@code defaultTsMicros}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static AlarmCommand parseCommand(byte[] json, long defaultTsMicros) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid alarm command: not JSON (" + e.getMessage() + ")");
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("Invalid alarm command: expected a JSON object");
    }
    String command = text(n, "command");
    if (!AlarmCommand.ACK.equals(command)) {
      throw new IllegalArgumentException(
          "Invalid value " + command + " for `command` of an alarm command: expected ACK");
    }
    String alarmId = text(n, "alarmId");
    if (alarmId == null || alarmId.isBlank()) {
      throw new IllegalArgumentException("Missing value for `alarmId` of an alarm command");
    }
    String user = text(n, "user");
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("Missing value for `user` of an alarm command");
    }
    JsonNode ts = n.get("tsMicros");
    if (ts != null && !ts.isNull() && !ts.canConvertToLong()) {
      throw new IllegalArgumentException(
          "Invalid value " + ts + " for `tsMicros` of an alarm command: expected an integer");
    }
    long at = ts == null || ts.isNull() ? defaultTsMicros : ts.asLong();
    return new AlarmCommand(command, alarmId, user, at);
  }

  /** A command as JSON (for tools and tests). */
  public static byte[] toJson(AlarmCommand c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("command", c.command());
    n.put("alarmId", c.alarmId());
    n.put("user", c.user());
    n.put("tsMicros", c.tsMicros());
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException ex) {
      throw new IllegalStateException("Cannot write command as JSON", ex);
    }
  }

  /**
   * An event back from its JSON (for consumers and tests); an event written before {@code
   * rulesVersion} existed reads as version 0.
   */
  public static AlarmEvent parseEvent(byte[] json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      return new AlarmEvent(
          text(n, "alarmId"),
          text(n, "site"),
          text(n, "area"),
          text(n, "line"),
          text(n, "device"),
          text(n, "tag"),
          AlarmType.valueOf(text(n, "type")),
          Priority.valueOf(text(n, "priority")),
          AlarmState.valueOf(text(n, "state")),
          n.get("value").isNull() ? Double.NaN : n.get("value").asDouble(),
          n.get("limit").isNull() ? Double.NaN : n.get("limit").asDouble(),
          n.get("tsMicros").asLong(),
          n.get("raisedTsMicros").asLong(),
          text(n, "message"),
          text(n, "actor"),
          n.path("rulesVersion").asLong(0));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Invalid alarm event: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void putNumber(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.putNull(field);
    }
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
