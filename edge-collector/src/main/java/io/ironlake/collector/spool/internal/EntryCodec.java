package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.collector.spool.SpoolEntry.EncodedPoint;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of each spool entry (the framing around it is {@link SegmentFile}'s):
 *
 * <pre>
 * points:     u8 1, str source, i64 mark, i64 firstSeq, varint n, n x (bytes key, bytes value)
 * dead letter u8 2, str source, i64 mark, str collectorId, str origin, str reason,
 *             i64 receivedAtMicros, bytes payload
 * marks:      u8 3, varint sources, sources x (str source, varint n, n x i64 mark)
 * events:     u8 4, str source, i64 mark, varint n, n x (bytes key, bytes value)
 * </pre>
 *
 * where {@code str} and {@code bytes} are a varint length and the (UTF-8) bytes, and integers are
 * big-endian. A mark is a source's fingerprint of the input (e.g. MQTT packet id and payload
 * checksum), -1 for none; the marks entry opens every segment with the recent marks, so recovery
 * needs only the newest segment to know them.
 */
public final class EntryCodec {
  public static final byte POINTS = 1;
  public static final byte LETTER = 2;
  public static final byte MARKS = 3;
  public static final byte EVENTS = 4;

  private EntryCodec() {}

  /** The header of an entry: enough to count points, keep marks and account for drops. */
  public record Summary(byte type, String source, long mark, long firstSeq, int points) {}

  /** Encodes points (numbered, in order) of one source. */
  public static byte[] points(String source, long mark, List<TelemetryPoint> points) {
    return points(source, mark, points.isEmpty() ? 0 : points.get(0).seq(), encode(points));
  }

  /**
   * Encodes points already in their Kafka form (key and value each) of one source, the first
   * numbered {@code firstSeq}: the same bytes as {@link #points(String, long, List)} for the points
   * they were made of.
   */
  public static byte[] points(String source, long mark, long firstSeq, List<EncodedPoint> points) {
    return Arrays.copyOfRange(
        pointsFrame(source, mark, firstSeq, points),
        SegmentFile.FRAME_HEADER,
        SegmentFile.FRAME_HEADER + pointsSize(source, points));
  }

  /**
   * The same entry as {@link #points(String, long, long, List)}, already framed for a segment
   * ({@link SegmentFile#frame}): length, CRC32C and payload in one array, written once.
   */
  public static byte[] pointsFrame(
      String source, long mark, long firstSeq, List<EncodedPoint> points) {
    byte[] src = source.getBytes(StandardCharsets.UTF_8);
    Writer w = new Writer(SegmentFile.FRAME_HEADER + pointsSize(src.length, points));
    writePointsFrame(w, src, mark, firstSeq, points);
    return w.toByteArray();
  }

  /**
   * Builds the same frame as {@link #pointsFrame} in {@code into}, whose array is reused from one
   * entry to the next instead of a new one per entry.
   */
  public static void pointsFrame(
      FrameBuffer into, String source, long mark, long firstSeq, List<EncodedPoint> points) {
    byte[] src = source.getBytes(StandardCharsets.UTF_8);
    into.writer.reset(SegmentFile.FRAME_HEADER + pointsSize(src.length, points));
    writePointsFrame(into.writer, src, mark, firstSeq, points);
  }

  private static void writePointsFrame(
      Writer w, byte[] src, long mark, long firstSeq, List<EncodedPoint> points) {
    w.len = SegmentFile.FRAME_HEADER;
    w.u8(POINTS).bytes(src).i64(mark).i64(firstSeq);
    w.varint(points.size());
    for (EncodedPoint p : points) {
      w.bytes(p.key());
      w.bytes(p.value());
    }
    SegmentFile.frameInPlace(w.buf, w.len);
  }

  /**
   * A frame built in a reused array ({@link #pointsFrame(FrameBuffer, String, long, long, List)}):
   * the frame is the first {@link #length()} bytes of {@link #array()}, until the next use. An
   * array grown past {@link #KEPT_BYTES} for a large entry is not kept for the next.
   */
  public static final class FrameBuffer {
    /** The largest array kept from one entry to the next (a 1,000-value entry is ~150 KB). */
    static final int KEPT_BYTES = 256 << 10;

    private final Writer writer = new Writer(4096);

    public byte[] array() {
      return writer.buf;
    }

    public int length() {
      return writer.len;
    }
  }

  private static int pointsSize(String source, List<EncodedPoint> points) {
    return pointsSize(source.getBytes(StandardCharsets.UTF_8).length, points);
  }

  private static int pointsSize(int sourceBytes, List<EncodedPoint> points) {
    int size = 1 + varintSize(sourceBytes) + sourceBytes + 8 + 8 + varintSize(points.size());
    for (EncodedPoint p : points) {
      size += varintSize(p.key().length) + p.key().length;
      size += varintSize(p.value().length) + p.value().length;
    }
    return size;
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /**
   * The Kafka form of each point: key = device path {@code site/area/line/device} (UTF-8), value =
   * {@link TelemetryCodec} bytes. Consecutive points of one device share one key array (an MQTT
   * message's values are one device's; the producer only reads keys).
   */
  public static List<EncodedPoint> encode(List<TelemetryPoint> points) {
    return encode(points, points.isEmpty() ? 0 : points.get(0).seq());
  }

  /**
   * Like {@link #encode(List)}, numbering the points {@code firstSeq}, {@code firstSeq + 1}, ... in
   * place of their own {@code seq} (no numbered copy of each point is made).
   */
  public static List<EncodedPoint> encode(List<TelemetryPoint> points, long firstSeq) {
    List<EncodedPoint> out = new ArrayList<>(points.size());
    TelemetryPoint previous = null;
    byte[] key = null;
    long seq = firstSeq;
    for (TelemetryPoint p : points) {
      if (previous == null || !previous.sameDeviceAs(p)) {
        key = pathBytes(p.site(), p.area(), p.line(), p.device());
        previous = p;
      }
      out.add(new EncodedPoint(key, TelemetryCodec.encode(p, seq++)));
    }
    return out;
  }

  /**
   * {@code a/b/c/d} as UTF-8; ASCII parts are copied char by char, without building the path string
   * first.
   */
  static byte[] pathBytes(String a, String b, String c, String d) {
    if (!isAscii(a) || !isAscii(b) || !isAscii(c) || !isAscii(d)) {
      return (a + '/' + b + '/' + c + '/' + d).getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[a.length() + b.length() + c.length() + d.length() + 3];
    int i = ascii(a, out, 0);
    out[i++] = '/';
    i = ascii(b, out, i);
    out[i++] = '/';
    i = ascii(c, out, i);
    out[i++] = '/';
    ascii(d, out, i);
    return out;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int ascii(String s, byte[] out, int at) {
    for (int i = 0; i < s.length(); i++) {
      out[at++] = (byte) s.charAt(i);
    }
    return at;
  }

  /** Encodes events (key and JSON value each) of one source. */
  public static byte[] events(String source, long mark, List<EncodedPoint> events) {
    int size = 64;
    for (EncodedPoint e : events) {
      size += e.key().length + e.value().length + 10;
    }
    Writer w = new Writer(size);
    w.u8(EVENTS).str(source).i64(mark).varint(events.size());
    for (EncodedPoint e : events) {
      w.bytes(e.key());
      w.bytes(e.value());
    }
    return w.toByteArray();
  }

  /** Encodes a dead letter. */
  public static byte[] letter(DeadLetter d, long mark) {
    Writer w = new Writer(128 + d.payload().length + d.reason().length() + d.origin().length());
    w.u8(LETTER).str(d.source()).i64(mark).str(d.collectorId()).str(d.origin()).str(d.reason());
    w.i64(d.receivedAtMicros()).bytes(d.payload());
    return w.toByteArray();
  }

  /** Encodes the recent marks of every source. */
  public static byte[] marks(Map<String, List<Long>> marks) {
    Writer w = new Writer(64 + marks.size() * 64);
    w.u8(MARKS).varint(marks.size());
    marks.forEach(
        (source, list) -> {
          w.str(source).varint(list.size());
          list.forEach(w::i64);
        });
    return w.toByteArray();
  }

  /** Reads the header of a points or dead-letter entry; marks entries give a null source. */
  public static Summary summary(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte type = b.get();
    if (type == MARKS) {
      return new Summary(type, null, -1, 0, 0);
    }
    String source = str(b);
    long mark = b.getLong();
    if (type == LETTER || type == EVENTS) {
      return new Summary(type, source, mark, 0, 0);
    }
    long firstSeq = b.getLong();
    return new Summary(type, source, mark, firstSeq, varint(b));
  }

  /** Reads the marks of a marks entry. */
  public static Map<String, List<Long>> readMarks(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    b.get();
    int sources = varint(b);
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (int i = 0; i < sources; i++) {
      String source = str(b);
      int n = varint(b);
      List<Long> list = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        list.add(b.getLong());
      }
      out.put(source, list);
    }
    return out;
  }

  /** Decodes a whole entry found at {@code position .. end}. */
  public static SpoolEntry decode(byte[] payload, long position, long end) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte type = b.get();
    switch (type) {
      case POINTS -> {
        String source = str(b);
        b.getLong(); // mark
        long firstSeq = b.getLong();
        int n = varint(b);
        List<EncodedPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          points.add(new EncodedPoint(bytes(b), bytes(b)));
        }
        return new SpoolEntry.Points(position, end, source, firstSeq, points);
      }
      case LETTER -> {
        String source = str(b);
        b.getLong(); // mark
        String collectorId = str(b);
        String origin = str(b);
        String reason = str(b);
        long receivedAt = b.getLong();
        return new SpoolEntry.Letter(
            position,
            end,
            new DeadLetter(collectorId, source, origin, reason, receivedAt, bytes(b)));
      }
      case MARKS -> {
        return new SpoolEntry.Internal(position, end);
      }
      case EVENTS -> {
        String source = str(b);
        b.getLong(); // mark
        int n = varint(b);
        List<EncodedPoint> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          events.add(new EncodedPoint(bytes(b), bytes(b)));
        }
        return new SpoolEntry.Events(position, end, source, events);
      }
      default -> throw new IllegalArgumentException("Unknown spool entry type " + type);
    }
  }

  private static String str(ByteBuffer b) {
    return new String(bytes(b), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer b) {
    int n = varint(b);
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static int varint(ByteBuffer b) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte x = b.get();
      value |= (x & 0x7F) << shift;
      if (x >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("Invalid varint in spool entry");
  }

  /** A growable big-endian byte writer. */
  private static final class Writer {
    private byte[] buf;
    private int len;

    Writer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    /** Empties the writer for output of about {@code capacity} bytes, keeping a small array. */
    void reset(int capacity) {
      if (buf.length < capacity || buf.length > FrameBuffer.KEPT_BYTES) {
        buf = new byte[Math.max(16, capacity)];
      }
      len = 0;
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }

    Writer u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
      return this;
    }

    Writer i64(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    Writer varint(int v) {
      ensure(5);
      while ((v & ~0x7F) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
      return this;
    }

    Writer bytes(byte[] b) {
      varint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Writer str(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
  }
}
