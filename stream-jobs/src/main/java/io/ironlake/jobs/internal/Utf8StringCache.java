package io.ironlake.jobs.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounded cache of the Strings decoded from UTF-8 byte ranges, so a name read again (site, area,
 * line, device, tag, unit, collector id, source: a plant has few distinct ones) comes back as the
 * same instance: no allocation, its hash computed once, and {@code equals} downstream an identity
 * check. Not thread-safe: one per thread.
 *
 * <p>Two-way set-associative, {@value #SETS} sets of two entries: a hit in a set's second entry
 * moves it first, a miss replaces the second entry, so two names that share a set both stay. Ranges
 * longer than {@value #MAX_CACHED_BYTES} bytes (free text, string values) are decoded anew each
 * time and never held. At most 1,024 entries of at most 64 bytes: under 200 KB per thread.
 */
final class Utf8StringCache {
  /** Longest byte range that is cached. */
  static final int MAX_CACHED_BYTES = 64;

  private static final int SET_BITS = 9;
  static final int SETS = 1 << SET_BITS;

  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final byte[][] keys = new byte[2 * SETS][];
  private final String[] values = new String[2 * SETS];

  /** The String of {@code length} UTF-8 bytes of {@code bytes} from {@code offset}. */
  String get(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return "";
    }
    if (length > MAX_CACHED_BYTES) {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
    int first = set(bytes, offset, length) << 1;
    byte[] key = keys[first];
    if (key != null && sameBytes(key, bytes, offset, length)) {
      return values[first];
    }
    byte[] secondKey = keys[first + 1];
    String value;
    if (secondKey != null && sameBytes(secondKey, bytes, offset, length)) {
      value = values[first + 1];
    } else {
      secondKey = Arrays.copyOfRange(bytes, offset, offset + length);
      value = new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
    keys[first + 1] = key;
    values[first + 1] = values[first];
    keys[first] = secondKey;
    values[first] = value;
    return value;
  }

  /**
   * The set of a byte range (1 to {@value #MAX_CACHED_BYTES} bytes): every byte mixed in, eight at
   * a time (the last eight overlapping), the top bits of a multiplicative hash.
   */
  static int set(byte[] bytes, int offset, int length) {
    long h = length;
    if (length >= 8) {
      int last = offset + length - 8;
      for (int i = offset; i < last; i += 8) {
        h = (h ^ (long) LONG.get(bytes, i)) * MIX;
      }
      h = (h ^ (long) LONG.get(bytes, last)) * MIX;
    } else if (length >= 4) {
      long a = (int) INT.get(bytes, offset) & 0xFFFFFFFFL;
      long b = (int) INT.get(bytes, offset + length - 4) & 0xFFFFFFFFL;
      h = (h ^ (a << 32 | b)) * MIX;
    } else {
      for (int i = offset, end = offset + length; i < end; i++) {
        h = (h ^ bytes[i]) * MIX;
      }
    }
    h ^= h >>> 29;
    return (int) ((h * MIX) >>> (64 - SET_BITS));
  }

  /** Whether {@code key} holds the same bytes as the range, compared eight at a time. */
  private static boolean sameBytes(byte[] key, byte[] bytes, int offset, int length) {
    if (key.length != length) {
      return false;
    }
    if (length >= 8) {
      int last = length - 8;
      for (int i = 0; i < last; i += 8) {
        if ((long) LONG.get(key, i) != (long) LONG.get(bytes, offset + i)) {
          return false;
        }
      }
      return (long) LONG.get(key, last) == (long) LONG.get(bytes, offset + last);
    }
    if (length >= 4) {
      return (int) INT.get(key, 0) == (int) INT.get(bytes, offset)
          && (int) INT.get(key, length - 4) == (int) INT.get(bytes, offset + length - 4);
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != bytes[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
