package io.ironlake.collector.opcua.internal;

import io.ironlake.connectors.record.PointValue;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;

/**
 * Turns an OPC UA value into a point value: Double and Float become doubles, every integer type a
 * long, Boolean and String stay, anything else becomes text.
 */
public final class VariantConverter {
  private VariantConverter() {}

  /** The point value of a variant; an empty variant (usual with a Bad status) is empty text. */
  public static PointValue toPointValue(Variant variant) {
    Object v = variant == null ? null : variant.getValue();
    if (v == null) {
      return PointValue.of("");
    }
    if (v instanceof Double d) {
      return PointValue.of(d.doubleValue());
    }
    if (v instanceof Float f) {
      return PointValue.of(f.doubleValue());
    }
    if (v instanceof ULong u) {
      // UInt64 above Long.MAX_VALUE does not fit a long; keep its digits.
      return u.longValue() < 0 ? PointValue.of(u.toString()) : PointValue.of(u.longValue());
    }
    if (v instanceof Number n) {
      return PointValue.of(n.longValue());
    }
    if (v instanceof Boolean b) {
      return PointValue.of(b.booleanValue());
    }
    if (v instanceof String s) {
      return PointValue.of(s);
    }
    return PointValue.of(text(v));
  }

  private static String text(Object v) {
    if (v instanceof LocalizedText t) {
      return t.text() == null ? "" : t.text();
    }
    if (v instanceof DateTime t) {
      return t.toIso8601String();
    }
    if (v instanceof ByteString b) {
      return b.toString();
    }
    if (v.getClass().isArray()) {
      int n = Array.getLength(v);
      List<String> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Object e = Array.get(v, i);
        parts.add(e == null ? "null" : toPointValue(new Variant(e)).asText());
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return v.toString();
  }
}
