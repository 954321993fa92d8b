package io.ironlake.collector.internal;

import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A source's sink that lets two instances of the source run side by side while a reload hands the
 * source over from the old mapping to the new one: while a handover is on, a point whose device,
 * tag and timestamp one of them already delivered recently is dropped, so the overlap loses nothing
 * and doubles nothing. Outside a handover every point passes.
 */
public final class HandoverSink implements PointSink {
  /** Timestamps remembered per device and tag: a few publishing intervals' worth. */
  static final int RECENT = 16;

  private final PointSink next;

  /** Per device, per tag: the recent timestamps, a ring whose last slot is the write position. */
  private final Map<Device, Map<String, long[]>> recent = new HashMap<>();

  private final Device probe = new Device();

  private long handoverUntilNanos;
  private boolean handover;
  private long dropped;

  public HandoverSink(PointSink next) {
    this.next = next;
  }

  /** Starts filtering repeats: the old and the new instance of the source are both running. */
  public synchronized void beginHandover() {
    handover = true;
    handoverUntilNanos = Long.MAX_VALUE;
  }

  /** Keeps filtering for {@code graceNanos} more (late deliveries of the closed instance). */
  public synchronized void endHandover(long graceNanos) {
    handoverUntilNanos = System.nanoTime() + graceNanos;
  }

  /** Points dropped as repeats during handovers, since start. */
  public synchronized long dropped() {
    return dropped;
  }

  @Override
  public void emit(List<TelemetryPoint> points, long mark, Runnable onStored) {
    next.emit(filter(points), mark, onStored);
  }

  /**
   * Events pass as they are: during a handover both instances may spool the same event, which
   * carries its own EventId for consumers to drop the repeat.
   */
  @Override
  public void emitEvents(List<SpoolEntry.EncodedPoint> events, Runnable onStored) {
    next.emitEvents(events, onStored);
  }

  private synchronized List<TelemetryPoint> filter(List<TelemetryPoint> points) {
    if (handover && System.nanoTime() - handoverUntilNanos >= 0) {
      handover = false;
    }
    List<TelemetryPoint> out = handover ? new ArrayList<>(points.size()) : points;
    TelemetryPoint previous = null;
    Map<String, long[]> tags = null;
    for (TelemetryPoint p : points) {
      // A payload's points are usually one device's: look the device up once for all of them.
      if (previous == null || !previous.sameDeviceAs(p)) {
        probe.set(p.site(), p.area(), p.line(), p.device());
        tags = recent.get(probe);
        if (tags == null) {
          tags = new HashMap<>();
          recent.put(probe.copy(), tags);
        }
        previous = p;
      }
      long[] ring = tags.get(p.tag());
      if (ring == null) {
        // The last slot holds the next write position.
        ring = new long[RECENT + 1];
        Arrays.fill(ring, 0, RECENT, Long.MIN_VALUE);
        ring[RECENT] = 0;
        tags.put(p.tag(), ring);
      }
      if (!handover) {
        // Only remembered: outside a handover a repeat is rare (the sources skip their own), and
        // remembering it twice only shortens the ring by one slot.
        remember(ring, p.tsMicros());
        continue;
      }
      if (contains(ring, p.tsMicros())) {
        dropped++;
        continue;
      }
      remember(ring, p.tsMicros());
      out.add(p);
    }
    return out;
  }

  private static boolean contains(long[] ring, long tsMicros) {
    for (int i = 0; i < RECENT; i++) {
      if (ring[i] == tsMicros) {
        return true;
      }
    }
    return false;
  }

  private static void remember(long[] ring, long tsMicros) {
    int i = (int) ring[RECENT];
    ring[i] = tsMicros;
    ring[RECENT] = i + 1 == RECENT ? 0 : i + 1;
  }

  /**
   * The hash of a device path's parts, from their cached {@link String#hashCode}s. Combining them
   * the way {@code Objects.hash} does ({@code 31 * h + part}) collides on a plant's systematic
   * names: {@code line-2/m01} and {@code line-1/m11} collide, since the line's hash is 1 higher (31
   * once combined) and the device's 31 lower, so 15 lines of 96 machines got 322 hashes for 1,440
   * devices, up to 9 devices a hash, and every lookup walked a tree bin of equal hashes. A large
   * odd multiplier per part and a final mix keep small differences of the parts apart.
   */
  static int deviceHash(String site, String area, String line, String device) {
    int h = site.hashCode();
    h = h * 0x9E3779B9 + area.hashCode();
    h = h * 0x9E3779B9 + line.hashCode();
    h = h * 0x9E3779B9 + device.hashCode();
    h ^= h >>> 16; // murmur3's 32-bit finalizer
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /**
   * A device: its path's parts as they are, so a lookup hashes the parts' cached hashes instead of
   * building the path string; one instance is reused to look up, a copy is kept.
   */
  private static final class Device {
    private String site;
    private String area;
    private String line;
    private String device;
    private int hash;

    void set(String site, String area, String line, String device) {
      this.site = site;
      this.area = area;
      this.line = line;
      this.device = device;
      this.hash = deviceHash(site, area, line, device);
    }

    Device copy() {
      Device d = new Device();
      d.set(site, area, line, device);
      return d;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Device d
          && hash == d.hash
          && device.equals(d.device)
          && line.equals(d.line)
          && area.equals(d.area)
          && site.equals(d.site);
    }
  }

  @Override
  public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {
    next.deadLetter(letter, mark, onStored);
  }

  @Override
  public boolean alreadySpooled(long mark) {
    return next.alreadySpooled(mark);
  }

  @Override
  public void redeliverySkipped() {
    next.redeliverySkipped();
  }
}
