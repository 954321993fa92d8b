package io.ironlake.simulator;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.simulator.internal.EmissionJournal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the simulator published, to compare with what a pipeline received. Thread-safe.
 *
 * <p>Counts are exact however long the simulation runs; the points themselves and the meter
 * readings are kept in memory up to the configured limit (the oldest go first), and written in full
 * to {@code <dataDir>/simulator/emissions.jsonl} when a data folder is set.
 */
public final class EmissionLog implements AutoCloseable {

  private final int memoryLimit;
  private final EmissionJournal journal;
  private final Map<String, Map<String, Long>> counts = new TreeMap<>();
  private final Deque<EmittedPoint> points = new ArrayDeque<>();
  private final Map<String, List<MeterReading>> meterReadings = new HashMap<>();
  private final List<EmittedEvent> events = new ArrayList<>();
  private long total;
  private long meterReadingCount;

  EmissionLog(int memoryLimit, Path journalFile) {
    this.memoryLimit = memoryLimit;
    this.journal = journalFile == null ? null : EmissionJournal.open(journalFile);
  }

  /** Points emitted per device path and tag. */
  public synchronized Map<String, Map<String, Long>> counts() {
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    counts.forEach((device, tags) -> copy.put(device, Map.copyOf(tags)));
    return copy;
  }

  /** The points kept in memory, in emission order. */
  public synchronized List<EmittedPoint> points() {
    return List.copyOf(points);
  }

  /** The points of one device path kept in memory, in emission order. */
  public synchronized List<EmittedPoint> points(String devicePath) {
    return points.stream().filter(p -> p.devicePath().equals(devicePath)).toList();
  }

  /** Every meter reading of one device path kept in memory, one per tick, in order. */
  public synchronized List<MeterReading> meterReadings(String devicePath) {
    return List.copyOf(meterReadings.getOrDefault(devicePath, List.of()));
  }

  /** The OPC UA events raised, in order (all of them: events are rare). */
  public synchronized List<EmittedEvent> events() {
    return List.copyOf(events);
  }

  synchronized void recordEvents(List<EmittedEvent> raised) {
    events.addAll(raised);
  }

  /** Points emitted in total. */
  public synchronized long total() {
    return total;
  }

  synchronized void record(
      String devicePath, long tsMicros, Map<String, PointValue> values, Channel channel) {
    Map<String, Long> tagCounts = counts.computeIfAbsent(devicePath, d -> new TreeMap<>());
    for (Map.Entry<String, PointValue> e : values.entrySet()) {
      EmittedPoint point =
          new EmittedPoint(devicePath, e.getKey(), tsMicros, e.getValue(), channel);
      tagCounts.merge(e.getKey(), 1L, Long::sum);
      total++;
      if (memoryLimit > 0) {
        if (points.size() >= memoryLimit) {
          points.removeFirst();
        }
        points.addLast(point);
      }
      if (journal != null) {
        journal.point(point);
      }
    }
  }

  synchronized void recordMeter(String devicePath, MeterReading reading) {
    List<MeterReading> readings = meterReadings.computeIfAbsent(devicePath, d -> new ArrayList<>());
    if (memoryLimit > 0) {
      if (meterReadingCount >= memoryLimit && !readings.isEmpty()) {
        readings.remove(0);
      } else {
        meterReadingCount++;
      }
      readings.add(reading);
    }
    if (journal != null) {
      journal.meter(devicePath, reading);
    }
  }

  /** Flushes and closes the journal file, if any. Recording after close keeps memory only. */
  @Override
  public synchronized void close() {
    if (journal != null) {
      journal.close();
    }
  }
}
