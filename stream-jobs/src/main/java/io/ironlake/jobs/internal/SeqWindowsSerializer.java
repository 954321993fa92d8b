package io.ironlake.jobs.internal;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for the dedup state {@link SeqWindows}: the device's last new point time and
 * expiry timer, then per window its collector id, source, highest seq, size and only the non-zero
 * words of its bits (a device that has a share of its source's seqs leaves most words zero), so a
 * checkpoint holds a few KB per device. Format 2 starts with {@value #FORMAT_2} where the first
 * format started with the window count (never negative); both are read.
 */
public final class SeqWindowsSerializer extends TypeSerializerSingleton<SeqWindows> {
  private static final long serialVersionUID = 1L;

  /** First int of format 2 (the first format's first int is a count, never negative). */
  static final int FORMAT_2 = -2;

  /** The one instance (the serializer is stateless). */
  public static final SeqWindowsSerializer INSTANCE = new SeqWindowsSerializer();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public SeqWindows createInstance() {
    return new SeqWindows();
  }

  @Override
  public SeqWindows copy(SeqWindows from) {
    SeqWindow[] in = from.windows();
    SeqWindow[] out = new SeqWindow[in.length];
    for (int i = 0; i < in.length; i++) {
      SeqWindow w = in[i];
      out[i] =
          new SeqWindow(w.collectorId(), w.source(), w.words().clone(), w.highest(), w.isEmpty());
    }
    SeqWindows copy = new SeqWindows(out);
    copy.lastNewMillis(from.lastNewMillis());
    copy.expiryTimer(from.expiryTimer());
    return copy;
  }

  @Override
  public SeqWindows copy(SeqWindows from, SeqWindows reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(SeqWindows record, DataOutputView target) throws IOException {
    SeqWindow[] windows = record.windows();
    target.writeInt(FORMAT_2);
    target.writeLong(record.lastNewMillis());
    target.writeLong(record.expiryTimer());
    target.writeInt(windows.length);
    for (SeqWindow w : windows) {
      target.writeUTF(w.collectorId());
      target.writeUTF(w.source());
      target.writeBoolean(w.isEmpty());
      target.writeLong(w.highest());
      long[] words = w.words();
      target.writeInt(words.length);
      int nonZero = 0;
      for (long word : words) {
        if (word != 0) {
          nonZero++;
        }
      }
      target.writeInt(nonZero);
      for (int i = 0; i < words.length; i++) {
        if (words[i] != 0) {
          target.writeInt(i);
          target.writeLong(words[i]);
        }
      }
    }
  }

  @Override
  public SeqWindows deserialize(DataInputView source) throws IOException {
    int first = source.readInt();
    long lastNew = 0;
    long expiryTimer = 0;
    int count = first;
    if (first == FORMAT_2) {
      lastNew = source.readLong();
      expiryTimer = source.readLong();
      count = source.readInt();
    } else if (first < 0) {
      throw new IOException("Cannot read dedup state: unknown format " + first);
    }
    SeqWindow[] windows = new SeqWindow[count];
    for (int i = 0; i < count; i++) {
      String collectorId = source.readUTF();
      String src = source.readUTF();
      boolean empty = source.readBoolean();
      long highest = source.readLong();
      long[] words = new long[source.readInt()];
      int nonZero = source.readInt();
      for (int j = 0; j < nonZero; j++) {
        int index = source.readInt();
        words[index] = source.readLong();
      }
      windows[i] = new SeqWindow(collectorId, src, words, highest, empty);
    }
    SeqWindows state = new SeqWindows(windows);
    state.lastNewMillis(lastNew);
    state.expiryTimer(expiryTimer);
    return state;
  }

  @Override
  public SeqWindows deserialize(SeqWindows reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<SeqWindows> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Snapshot for state compatibility (the data carries its format, see the class comment). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeqWindows> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
