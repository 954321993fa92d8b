package io.ironlake.connectors.codec;

import io.ironlake.connectors.codec.internal.proto.QualityProto;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a point as {@code telemetry.proto}'s TelemetryPointProto, byte for byte what Protobuf's
 * generated code writes (fields in number order, proto3 defaults left out, the value's oneof field
 * always written), without building the message: the generated builder, the message and the UTF-8
 * length pass over every string cost more than the point's own bytes on the collector's hot path. A
 * point's strings mostly repeat (its device path, tag, unit, collector and source), so each writer
 * keeps the wire form (length and UTF-8 bytes) of the short strings it wrote last, in a small table
 * by hash: a repeated string is one comparison (usually by reference) and one copy.
 */
final class PointWriter {
  private static final ThreadLocal<PointWriter> WRITERS = ThreadLocal.withInitial(PointWriter::new);

  /** Slots of the per-writer table of strings and their wire form; a power of two. */
  private static final int CACHE_SLOTS = 512;

  /** Longer strings are written without the table (a long text value is seldom repeated). */
  private static final int CACHED_CHARS = 64;

  private byte[] buf = new byte[256];
  private int len;
  private final String[] cachedStrings = new String[CACHE_SLOTS];
  private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];

  private PointWriter() {}

  /**
   * The point's wire form with {@code seq} as its sequence number: {@code version}, then the
   * message.
   */
  static byte[] encode(byte version, TelemetryPoint p, long seq) {
    PointWriter w = WRITERS.get();
    w.len = 0;
    w.raw(version);
    w.string(1, p.site());
    w.string(2, p.area());
    w.string(3, p.line());
    w.string(4, p.device());
    w.string(5, p.tag());
    w.sint64(6, p.tsMicros());
    w.sint64(7, p.ingestTsMicros());
    PointValue v = p.value();
    if (v instanceof PointValue.DoubleValue d) {
      w.tag(8, 1);
      w.fixed64(Double.doubleToRawLongBits(d.value()));
    } else if (v instanceof PointValue.LongValue l) {
      w.tag(9, 0);
      w.varint(zigZag(l.value()));
    } else if (v instanceof PointValue.BooleanValue b) {
      w.tag(10, 0);
      w.raw(b.value() ? 1 : 0);
    } else if (v instanceof PointValue.StringValue s) {
      w.tag(11, 2);
      w.stringValue(s.value());
    }
    int quality = quality(p.quality());
    if (quality != 0) {
      w.tag(12, 0);
      w.varint(quality);
    }
    int status = (int) p.statusCode();
    if (status != 0) {
      w.tag(13, 5);
      w.fixed32(status);
    }
    w.string(14, p.unit());
    w.string(15, p.collectorId());
    w.string(16, p.source());
    if (seq != 0) {
      w.tag(17, 0);
      w.varint(seq);
    }
    return Arrays.copyOf(w.buf, w.len);
  }

  private static int quality(Quality q) {
    switch (q) {
      case GOOD:
        return QualityProto.QUALITY_GOOD_VALUE;
      case UNCERTAIN:
        return QualityProto.QUALITY_UNCERTAIN_VALUE;
      default:
        return QualityProto.QUALITY_BAD_VALUE;
    }
  }

  private static long zigZag(long n) {
    return (n << 1) ^ (n >> 63);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void raw(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  private void sint64(int field, long v) {
    if (v != 0) {
      tag(field, 0);
      varint(zigZag(v));
    }
  }

  private void fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  private void fixed32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  private void string(int field, String s) {
    if (s != null && !s.isEmpty()) {
      tag(field, 2);
      stringValue(s);
    }
  }

  private void stringValue(String s) {
    if (s.length() > CACHED_CHARS) {
      utf8(s);
      return;
    }
    int slot = s.hashCode() & (CACHE_SLOTS - 1);
    String c = cachedStrings[slot];
    if (c == s || s.equals(c)) {
      bytes(cachedBytes[slot]);
      return;
    }
    int start = len;
    utf8(s);
    cachedStrings[slot] = s;
    cachedBytes[slot] = Arrays.copyOfRange(buf, start, len);
  }

  /** The string's UTF-8 length as a varint, then its bytes. */
  private void utf8(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    bytes(utf8);
  }

  private void bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }
}
