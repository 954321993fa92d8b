package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.SpoolException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One segment file: a 20-byte header (magic {@code ILSPOOL1}, base position, CRC32C of both) and
 * frames of {@code u32 length, u32 CRC32C(payload), payload}. Positions are global: a segment
 * covers {@code [base, base + file size)}, the next one starts where it ends.
 *
 * <p>File I/O goes through {@link RandomAccessFile} and {@link FileInputStream}, whose reads and
 * writes an interrupted thread cannot break (a {@code FileChannel} closes itself on interrupt, and
 * appends run on source threads that libraries interrupt on shutdown).
 */
public final class SegmentFile {
  public static final int HEADER = 20;
  public static final int FRAME_HEADER = 8;
  private static final byte[] MAGIC = "ILSPOOL1".getBytes(StandardCharsets.US_ASCII);
  private static final String SUFFIX = ".seg";

  private final long base;
  private final Path path;
  private volatile RandomAccessFile writer;
  private long size;

  private SegmentFile(long base, Path path, long size) {
    this.base = base;
    this.path = path;
    this.size = size;
  }

  /** The file name of the segment starting at {@code base}: 20 digits and {@code .seg}. */
  public static String fileName(long base) {
    return String.format("%020d%s", base, SUFFIX);
  }

  /** The base position named by a segment file name, or -1 if it is not one. */
  public static long baseOf(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 20 + SUFFIX.length()
        || !name.endsWith(SUFFIX)
        || !name.substring(0, 20).chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(name.substring(0, 20));
  }

  /** Creates a new, empty segment (header only) and opens it for appending. */
  public static SegmentFile create(Path dir, long base) {
    Path path = dir.resolve(fileName(base));
    try {
      RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
      raf.setLength(0);
      raf.write(header(base));
      SegmentFile s = new SegmentFile(base, path, HEADER);
      s.writer = raf;
      return s;
    } catch (IOException e) {
      throw new SpoolException("Cannot create spool segment " + path + ": " + e, e);
    }
  }

  /** An existing segment of {@code size} valid bytes, not open for appending. */
  public static SegmentFile existing(Path path, long base, long size) {
    return new SegmentFile(base, path, size);
  }

  static byte[] header(long base) {
    ByteBuffer b = ByteBuffer.allocate(HEADER);
    b.put(MAGIC).putLong(base);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  public long base() {
    return base;
  }

  public Path path() {
    return path;
  }

  /** Valid bytes in the file, header included. */
  public long size() {
    return size;
  }

  /** The position right after the last frame. */
  public long end() {
    return base + size;
  }

  /** The position of the first frame. */
  public long firstFrame() {
    return base + HEADER;
  }

  /** Whether it holds no frame. */
  public boolean isEmpty() {
    return size == HEADER;
  }

  /** The frame of a payload: length, CRC32C, payload. */
  public static byte[] frame(byte[] payload) {
    byte[] out = new byte[FRAME_HEADER + payload.length];
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer.wrap(out).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    return out;
  }

  /**
   * Fills in the frame header of an array that holds, in its first {@code length} bytes, the
   * payload after {@link #FRAME_HEADER} reserved bytes: the same bytes as {@code frame(payload)},
   * without a copy.
   */
  public static void frameInPlace(byte[] frame, int length) {
    CRC32C crc = new CRC32C();
    crc.update(frame, FRAME_HEADER, length - FRAME_HEADER);
    ByteBuffer.wrap(frame).putInt(length - FRAME_HEADER).putInt((int) crc.getValue());
  }

  /** Opens the file for appending after its valid bytes (cutting anything beyond them). */
  public void openForAppend() {
    try {
      RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
      raf.setLength(size);
      raf.seek(size);
      writer = raf;
    } catch (IOException e) {
      throw new SpoolException("Cannot open spool segment " + path + " for appending: " + e, e);
    }
  }

  /**
   * Appends one frame. On failure (e.g. disk full) cuts the file back to its last whole frame, so
   * no torn frame stays in the middle of the spool.
   */
  public void append(byte[] frame) {
    append(frame, frame.length);
  }

  /** Appends the first {@code length} bytes of {@code frame}, a whole frame. */
  public void append(byte[] frame, int length) {
    try {
      writer.write(frame, 0, length);
      size += length;
    } catch (IOException e) {
      try {
        writer.setLength(size);
        writer.seek(size);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new SpoolException("Cannot append to spool segment " + path + ": " + e, e);
    }
  }

  /** Forces the file's data to disk (fsync), if it is open for appending. */
  public void sync() throws IOException {
    RandomAccessFile w = writer;
    if (w != null) {
      w.getFD().sync();
    }
  }

  /** Closes the appending handle; with {@code sync} forces the data first. */
  public void closeWriter(boolean sync) {
    if (writer == null) {
      return;
    }
    try {
      if (sync) {
        writer.getFD().sync();
      }
      writer.close();
    } catch (IOException e) {
      throw new SpoolException("Cannot close spool segment " + path + ": " + e, e);
    } finally {
      writer = null;
    }
  }

  /** Deletes the file (closing the appending handle). */
  public void delete() {
    try {
      closeWriter(false);
    } catch (SpoolException e) {
      // Deleting anyway.
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new SpoolException("Cannot delete spool segment " + path + ": " + e, e);
    }
  }

  /** What {@link #scan} found. */
  public record Scan(long validSize, long fileSize, String problem) {}

  /** Receives each valid frame of a scan. */
  @FunctionalInterface
  public interface FrameVisitor {
    void frame(long position, long end, byte[] payload);
  }

  /**
   * Reads a segment file from the start and hands every valid frame to {@code visitor}; stops at
   * the first frame that is short or fails its CRC. Throws when the header is not a spool header.
   */
  public static Scan scan(Path path, long base, FrameVisitor visitor) throws IOException {
    long fileSize = Files.size(path);
    try (InputStream in = new BufferedInputStream(new FileInputStream(path.toFile()), 1 << 20)) {
      byte[] head = in.readNBytes(HEADER);
      if (head.length < HEADER) {
        return new Scan(0, fileSize, "header cut short (" + head.length + " bytes)");
      }
      if (!Arrays.equals(head, header(base))) {
        throw new SpoolException(
            "Cannot open spool: "
                + path
                + " does not start with a spool header for position "
                + base
                + "; move the file away if it is not the collector's");
      }
      long offset = HEADER;
      byte[] frameHead = new byte[FRAME_HEADER];
      CRC32C crc = new CRC32C();
      while (offset < fileSize) {
        int n = in.readNBytes(frameHead, 0, FRAME_HEADER);
        if (n < FRAME_HEADER) {
          return new Scan(offset, fileSize, "frame header cut short at offset " + offset);
        }
        ByteBuffer h = ByteBuffer.wrap(frameHead);
        int len = h.getInt();
        int expected = h.getInt();
        if (len <= 0 || len > fileSize - offset - FRAME_HEADER) {
          return new Scan(offset, fileSize, "frame length " + len + " at offset " + offset);
        }
        byte[] payload;
        try {
          payload = in.readNBytes(len);
        } catch (EOFException e) {
          payload = new byte[0];
        }
        if (payload.length < len) {
          return new Scan(offset, fileSize, "frame cut short at offset " + offset);
        }
        crc.reset();
        crc.update(payload);
        if ((int) crc.getValue() != expected) {
          return new Scan(offset, fileSize, "CRC mismatch at offset " + offset);
        }
        long position = base + offset;
        offset += FRAME_HEADER + len;
        visitor.frame(position, base + offset, payload);
      }
      return new Scan(offset, fileSize, null);
    }
  }

  /** Cuts the file to {@code validSize} bytes. */
  public static void truncate(Path path, long validSize) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.setLength(validSize);
      raf.getFD().sync();
    }
  }

  /** A frame read back: its position, where the next starts, its payload. */
  public record Frame(long position, long end, byte[] payload) {}

  /**
   * Reads whole frames from {@code position} up to {@code limit} (exclusive), at least one frame
   * and no more than about {@code maxBytes}, through {@code reader}, a read handle on this file.
   *
   * @throws SpoolException when a frame fails its CRC (the disk changed under the spool)
   */
  public List<Frame> read(RandomAccessFile reader, long position, long limit, int maxBytes)
      throws IOException {
    List<Frame> out = new ArrayList<>();
    long offset = position - base;
    long stop = Math.min(limit, end()) - base;
    int chunk = (int) Math.min(Math.max(maxBytes, FRAME_HEADER), stop - offset);
    if (chunk <= 0) {
      return out;
    }
    byte[] buf = new byte[chunk];
    reader.seek(offset);
    reader.readFully(buf);
    ByteBuffer b = ByteBuffer.wrap(buf);
    CRC32C crc = new CRC32C();
    while (b.remaining() >= FRAME_HEADER) {
      int start = b.position();
      int len = b.getInt();
      int expected = b.getInt();
      byte[] payload;
      if (len <= b.remaining()) {
        payload = new byte[len];
        b.get(payload);
      } else if (out.isEmpty()) {
        // One frame larger than the chunk: read it on its own.
        if (offset + start + FRAME_HEADER + len > stop) {
          throw new SpoolException(
              "Cannot read spool segment " + path + ": frame at " + (offset + start) + " too long");
        }
        payload = new byte[len];
        reader.seek(offset + start + FRAME_HEADER);
        reader.readFully(payload);
        b.position(b.limit());
      } else {
        break;
      }
      crc.reset();
      crc.update(payload);
      if ((int) crc.getValue() != expected) {
        throw new SpoolException(
            "Cannot read spool segment "
                + path
                + ": CRC mismatch at offset "
                + (offset + start)
                + "; the file changed on disk");
      }
      long framePos = base + offset + start;
      out.add(new Frame(framePos, framePos + FRAME_HEADER + len, payload));
    }
    return out;
  }
}
