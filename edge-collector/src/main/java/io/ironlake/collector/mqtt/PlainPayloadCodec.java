package io.ironlake.collector.mqtt;

import io.ironlake.connectors.record.PointValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Decodes a plain single-value payload, one value as UTF-8 text such as {@code 42}, {@code -1.5e3},
 * {@code true} or {@code RUNNING}: an integer becomes a long, a decimal number a double, {@code
 * true}/{@code false} a boolean, other text a string. Surrounding white space is ignored. Bytes
 * that are not UTF-8 text (or hold control characters) are refused with the reason.
 */
public final class PlainPayloadCodec {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private PlainPayloadCodec() {}

  /**
   * Decodes a payload.
   *
   * @throws InvalidPayloadException with the reason when the payload is not one value as text
   */
  public static PointValue decode(byte[] payload, int maxBytes) {
    if (payload.length > maxBytes) {
      throw new InvalidPayloadException(
          "Payload too large: " + payload.length + " bytes, max-payload-bytes is " + maxBytes);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString()
              .strip();
    } catch (CharacterCodingException e) {
      throw new InvalidPayloadException(
          "Invalid plain payload: not UTF-8 text (" + e.getMessage() + ")");
    }
    if (text.isEmpty()) {
      throw new InvalidPayloadException("Empty payload: expected one value as text");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        throw new InvalidPayloadException(
            "Invalid plain payload: control character 0x"
                + Integer.toHexString(c)
                + " at character "
                + i
                + ", expected one value as text");
      }
    }
    if (INTEGER.matcher(text).matches()) {
      try {
        return PointValue.of(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new InvalidPayloadException(
            "Invalid value " + text + ": integer out of the 64-bit range");
      }
    }
    if (DECIMAL.matcher(text).matches()) {
      double d = Double.parseDouble(text);
      if (!Double.isFinite(d)) {
        throw new InvalidPayloadException("Invalid value " + text + ": not a finite number");
      }
      return PointValue.of(d);
    }
    if (text.equals("true") || text.equals("false")) {
      return PointValue.of(Boolean.parseBoolean(text));
    }
    return PointValue.of(text);
  }
}
