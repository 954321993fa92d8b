package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.SpoolException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The committed read position of the spool: everything before it is in Kafka. Two 24-byte slots
 * ({@code u64 generation, u64 position, u32 CRC32C, 4 spare}) written in turn, so a torn write
 * leaves the other slot valid; the valid slot with the higher generation wins. Writes go to the
 * page cache; {@link #sync()} forces them. A cursor that lags only makes the spool resend what
 * Kafka has (with the same identities), never lose anything.
 */
public final class CursorFile implements AutoCloseable {
  private static final int SLOT = 24;

  private final Path path;
  private final RandomAccessFile raf;
  private long generation;
  private long position;
  private boolean dirty;

  private CursorFile(Path path, RandomAccessFile raf, long generation, long position) {
    this.path = path;
    this.raf = raf;
    this.generation = generation;
    this.position = position;
  }

  /** Opens (or creates, at position 0) the cursor file. */
  public static CursorFile open(Path path) {
    try {
      RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
      byte[] all = new byte[2 * SLOT];
      raf.seek(0);
      int n = raf.read(all);
      long bestGen = -1;
      long bestPos = 0;
      for (int slot = 0; slot < 2; slot++) {
        if (n < (slot + 1) * SLOT) {
          continue;
        }
        ByteBuffer b = ByteBuffer.wrap(all, slot * SLOT, SLOT);
        long gen = b.getLong();
        long pos = b.getLong();
        int crc = b.getInt();
        if (crc == crc(gen, pos) && gen > bestGen && pos >= 0) {
          bestGen = gen;
          bestPos = pos;
        }
      }
      return new CursorFile(path, raf, Math.max(bestGen, 0), bestPos);
    } catch (IOException e) {
      throw new SpoolException("Cannot open spool cursor " + path + ": " + e, e);
    }
  }

  private static int crc(long gen, long pos) {
    CRC32C c = new CRC32C();
    c.update(ByteBuffer.allocate(16).putLong(gen).putLong(pos).array());
    return (int) c.getValue();
  }

  /** The committed position read at open or last written. */
  public long position() {
    return position;
  }

  /** Writes a new committed position into the older slot (page cache only). */
  public synchronized void write(long newPosition) {
    if (newPosition == position) {
      return;
    }
    long gen = generation + 1;
    ByteBuffer b = ByteBuffer.allocate(SLOT);
    b.putLong(gen).putLong(newPosition).putInt(crc(gen, newPosition));
    try {
      raf.seek((gen % 2) * SLOT);
      raf.write(b.array());
    } catch (IOException e) {
      throw new SpoolException("Cannot write spool cursor " + path + ": " + e, e);
    }
    generation = gen;
    position = newPosition;
    dirty = true;
  }

  /** Forces written positions to disk, if any since the last call. */
  public void sync() throws IOException {
    synchronized (this) {
      if (!dirty) {
        return;
      }
      dirty = false;
    }
    raf.getFD().sync();
  }

  @Override
  public void close() {
    try {
      sync();
      raf.close();
    } catch (IOException e) {
      throw new SpoolException("Cannot close spool cursor " + path + ": " + e, e);
    }
  }
}
