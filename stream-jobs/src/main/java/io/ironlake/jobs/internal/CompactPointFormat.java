package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The record format {@link TelemetryPointSerializer#COMPACT} (0xD3) after its format byte: a varint
 * body length, then the body, which is read with one {@code readFully} into a reused buffer and
 * parsed from the array. Body: site, area, line, device, tag (each a varint length and UTF-8
 * bytes), ts and ingest ts (big-endian longs), the value's kind and value (big-endian double or
 * long, a byte 0/1, or a string), quality ordinal (a byte), status code (a varint), unit, collector
 * id, source, seq (a big-endian long).
 *
 * <p>Not thread-safe (its buffer and string cache are reused): one per thread, from {@link
 * #current()}.
 */
final class CompactPointFormat {
  private static final ThreadLocal<CompactPointFormat> PER_THREAD =
      ThreadLocal.withInitial(CompactPointFormat::new);

  /** A buffer up to this size is kept for the next record; a larger one is dropped after use. */
  static final int MAX_KEPT_BUFFER = 64 * 1024;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final Quality[] QUALITIES = Quality.values();
  private static final byte DOUBLE = 0;
  private static final byte LONG_VALUE = 1;
  private static final byte BOOLEAN = 2;
  private static final byte STRING = 3;

  private final Utf8StringCache strings = new Utf8StringCache();
  private byte[] buffer = new byte[256];
  private int position;
  private int end;

  /** The calling thread's instance. */
  static CompactPointFormat current() {
    return PER_THREAD.get();
  }

  /** Writes the varint body length and the body of {@code p} (the format byte is the caller's). */
  void write(TelemetryPoint p, DataOutputView target) throws IOException {
    position = 0;
    putString(p.site());
    putString(p.area());
    putString(p.line());
    putString(p.device());
    putString(p.tag());
    ensure(8 + 8 + 1 + 8 + 1 + 10);
    putLong(p.tsMicros());
    putLong(p.ingestTsMicros());
    PointValue value = p.value();
    if (value instanceof PointValue.DoubleValue d) {
      buffer[position++] = DOUBLE;
      putLong(Double.doubleToRawLongBits(d.value()));
    } else if (value instanceof PointValue.LongValue l) {
      buffer[position++] = LONG_VALUE;
      putLong(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      buffer[position++] = BOOLEAN;
      buffer[position++] = (byte) (b.value() ? 1 : 0);
    } else {
      buffer[position++] = STRING;
      putString(((PointValue.StringValue) value).value());
    }
    ensure(1 + 10);
    buffer[position++] = (byte) p.quality().ordinal();
    putVarLong(p.statusCode());
    putString(p.unit());
    putString(p.collectorId());
    putString(p.source());
    ensure(8);
    putLong(p.seq());
    int length = position;
    while ((length & ~0x7F) != 0) {
      target.writeByte((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    target.writeByte(length);
    target.write(buffer, 0, position);
    releaseLargeBuffer();
  }

  /**
   * A varint length (at most five bytes, not negative) of {@code what} ("record", "string"), as the
   * {@code 0xD2} and {@code 0xD3} formats write it.
   */
  static int readLength(DataInputView source, String what) throws IOException {
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      int b = source.readUnsignedByte();
      length |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      if (shift >= 28) {
        throw new IOException("Cannot read telemetry point: " + what + " length out of range");
      }
    }
    if (length < 0) {
      throw new IOException("Cannot read telemetry point: " + what + " length out of range");
    }
    return length;
  }

  /** Reads the varint body length and the body that follow a format byte. */
  TelemetryPoint read(DataInputView source) throws IOException {
    int length = readLength(source, "record");
    position = 0;
    ensure(length);
    source.readFully(buffer, 0, length);
    end = length;
    try {
      return parse();
    } finally {
      releaseLargeBuffer();
    }
  }

  private TelemetryPoint parse() throws IOException {
    String site = string();
    String area = string();
    String line = string();
    String device = string();
    String tag = string();
    long ts = fixedLong();
    long ingestTs = fixedLong();
    PointValue value =
        switch (unsignedByte()) {
          case DOUBLE -> PointValue.of(Double.longBitsToDouble(fixedLong()));
          case LONG_VALUE -> PointValue.of(fixedLong());
          case BOOLEAN -> PointValue.of(unsignedByte() != 0);
          case STRING -> PointValue.of(string());
          default -> throw new IOException("Cannot read telemetry point: unknown value kind");
        };
    int quality = unsignedByte();
    if (quality >= QUALITIES.length) {
      throw new IOException("Cannot read telemetry point: unknown quality " + quality);
    }
    long statusCode = varLong();
    String unit = string();
    String collectorId = string();
    String src = string();
    long seq = fixedLong();
    if (position != end) {
      throw new IOException(
          "Cannot read telemetry point: " + (end - position) + " bytes left after the record");
    }
    return new TelemetryPoint(
        site,
        area,
        line,
        device,
        tag,
        ts,
        ingestTs,
        value,
        QUALITIES[quality],
        statusCode,
        unit,
        collectorId,
        src,
        seq);
  }

  private void putString(String s) {
    int chars = s.length();
    ensure(5 + chars);
    int start = position;
    putVarLong(chars);
    int at = position;
    byte[] b = buffer;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // Not ASCII: encode it whole, then write its byte length and bytes.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        position = start;
        ensure(5 + utf8.length);
        putVarLong(utf8.length);
        System.arraycopy(utf8, 0, buffer, position, utf8.length);
        position += utf8.length;
        return;
      }
      b[at + i] = (byte) c;
    }
    position = at + chars;
  }

  private void putLong(long v) {
    LONG.set(buffer, position, v);
    position += 8;
  }

  private void putVarLong(long v) {
    while ((v & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[position++] = (byte) v;
  }

  private String string() throws IOException {
    long n = varLong();
    if (n < 0 || n > end - position) {
      throw new IOException("Cannot read telemetry point: string length out of range");
    }
    int length = (int) n;
    String s = strings.get(buffer, position, length);
    position += length;
    return s;
  }

  private long fixedLong() throws IOException {
    if (end - position < 8) {
      throw truncated();
    }
    long v = (long) LONG.get(buffer, position);
    position += 8;
    return v;
  }

  private int unsignedByte() throws IOException {
    if (position >= end) {
      throw truncated();
    }
    return buffer[position++] & 0xFF;
  }

  private long varLong() throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = unsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("Cannot read telemetry point: varint too long");
  }

  private static IOException truncated() {
    return new IOException("Cannot read telemetry point: record ends inside a field");
  }

  /** Makes room for {@code more} bytes after the position, keeping what is written. */
  private void ensure(int more) {
    int needed = position + more;
    if (needed > buffer.length) {
      byte[] larger =
          new byte[Math.max(needed, Math.min(2 * buffer.length, Integer.MAX_VALUE - 8))];
      System.arraycopy(buffer, 0, larger, 0, position);
      buffer = larger;
    }
  }

  private void releaseLargeBuffer() {
    if (buffer.length > MAX_KEPT_BUFFER) {
      buffer = new byte[256];
    }
  }
}
