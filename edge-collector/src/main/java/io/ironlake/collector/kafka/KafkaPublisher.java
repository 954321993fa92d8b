package io.ironlake.collector.kafka;

import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.internal.Backoff;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.codec.TelemetryCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link Spool} to Kafka in spool order, on one thread: points to the telemetry topic
 * (key = device path, value = {@link TelemetryCodec} bytes), dead letters to the dead-letter topic,
 * with one idempotent producer ({@code acks=all}, {@code enable.idempotence=true}) that never gives
 * up on a record ({@code delivery.timeout.ms} unlimited unless set). Entries are acknowledged to
 * the spool, in order, once Kafka has all their records.
 *
 * <p>While Kafka is down, the records in flight wait in the producer (at most a window of {@code
 * min(8 MiB, buffer.memory / 2)}) and everything else waits in the spool; when Kafka is back, the
 * producer's retries go through (its idempotence drops the ones the broker had) and the backlog
 * follows in order. If Kafka refuses a record for good, the entries from that one on are sent again
 * (same identities, so downstream dedup removes any copy); a record Kafka can never take (too
 * large) is counted as a send error, logged and skipped.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final int MAX_WINDOW_BYTES = 8 << 20;
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * After a poll that brought less than {@link #GATHER_BYTES}, the publisher lets entries gather in
   * the spool for up to this long (never longer than {@code linger.ms}, during which the producer
   * holds records anyway) instead of being woken by every single append: at live rates one wake-up
   * per MQTT message cost more than sending its points.
   */
  static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A poll that brought at least this much is followed by the next one at once. */
  static final int GATHER_BYTES = 64 << 10;

  private final KafkaConfig config;
  private final String clientId;
  private final Spool spool;
  private final CollectorMetrics metrics;
  private final int windowBytes;
  private final long gatherNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition completed = lock.newCondition();
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>(); // publisher thread only

  /** Why a send failed before its record entered the producer; nothing is sent until the rewind. */
  private Exception sendFailure; // publisher thread only

  private final Thread thread;
  private volatile Producer<byte[], byte[]> producer;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  private long inFlightBytes;
  private long stalledSinceNanos;

  /** An entry handed to the producer, until Kafka answered for all its records. */
  private final class InFlight implements Callback {
    final SpoolEntry entry;
    final AtomicInteger remaining;
    final AtomicReference<Exception> failure = new AtomicReference<>();
    final long sentAtNanos = System.nanoTime();

    InFlight(SpoolEntry entry, int records) {
      this.entry = entry;
      this.remaining = new AtomicInteger(records);
    }

    @Override
    public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata m, Exception e) {
      if (e != null) {
        failed(this, e);
      } else {
        metrics.sendLatency(System.nanoTime() - sentAtNanos);
      }
      if (remaining.decrementAndGet() == 0) {
        signal();
      }
    }

    boolean done() {
      return remaining.get() == 0;
    }
  }

  public KafkaPublisher(
      KafkaConfig config, String collectorId, Spool spool, CollectorMetrics metrics) {
    this.config = config;
    this.clientId = "ironlake-collector-" + collectorId;
    this.spool = spool;
    this.metrics = metrics;
    Properties props = producerProperties(config, clientId);
    long bufferMemory = Long.parseLong(props.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG));
    this.windowBytes = (int) Math.max(64 << 10, Math.min(MAX_WINDOW_BYTES, bufferMemory / 2));
    long lingerNanos =
        TimeUnit.MILLISECONDS.toNanos(
            Long.parseLong(props.getProperty(ProducerConfig.LINGER_MS_CONFIG)));
    this.gatherNanos = Math.min(GATHER_NANOS, lingerNanos);
    this.producer = new KafkaProducer<>(props);
    this.thread = new Thread(this::run, "ironlake-kafka-publisher");
    this.thread.setDaemon(true);
    LOG.info(
        "kafka publisher started: clientId={}, bootstrapServers={}, telemetryTopic={},"
            + " deadletterTopic={}, windowBytes={}",
        clientId,
        config.bootstrapServers(),
        config.telemetryTopic(),
        config.deadletterTopic(),
        windowBytes);
  }

  /**
   * The producer properties the collector uses for a config: the user's {@code kafka.properties},
   * then the collector's own settings; {@code delivery.timeout.ms} unlimited and {@code
   * max.block.ms} 10 s unless the user set them.
   */
  public static Properties producerProperties(KafkaConfig config, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L << 20));
    p.putAll(config.properties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG, p.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, clientId));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(config.lingerMs()));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /**
   * A metric of the producer in use, by its Kafka name in the group {@code producer-metrics} (e.g.
   * {@code records-per-request-avg}); NaN when the producer has none by that name yet.
   */
  public double producerMetric(String name) {
    for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
      if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics")) {
        Object v = e.getValue().metricValue();
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** Starts draining the spool. */
  public void start() {
    thread.start();
  }

  private void run() {
    try {
      while (!stopping) {
        step();
      }
      // Stopping: give what is in flight until the deadline to be acknowledged.
      while (!inFlight.isEmpty() && System.nanoTime() < stopDeadlineNanos) {
        awaitCompletion(TimeUnit.MILLISECONDS.toNanos(20));
        acknowledgeCompleted();
        if (!inFlight.isEmpty() && inFlight.peek().failure.get() != null) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("kafka publisher stopped by an unexpected error: clientId={}", clientId, e);
    }
  }

  private void step() throws InterruptedException {
    try {
      acknowledgeCompleted();
      InFlight head = inFlight.peek();
      if (head != null && head.failure.get() != null) {
        if (inFlight.stream().allMatch(InFlight::done)) {
          rewind();
        } else {
          awaitCompletion(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return;
      }
      watchStall(head);
      if (sendFailure == null) {
        // A failure Kafka reported later, for a record already in the producer: send nothing newer.
        for (InFlight f : inFlight) {
          if (f.failure.get() != null) {
            sendFailure = f.failure.get();
            break;
          }
        }
      }
      if (sendFailure != null) {
        // Wait for the failed entry to reach the head and be sent again before anything newer.
        awaitCompletion(TimeUnit.MILLISECONDS.toNanos(50));
      } else if (inFlightBytes < windowBytes) {
        Duration wait = inFlight.isEmpty() ? Duration.ofMillis(100) : Duration.ofMillis(5);
        List<SpoolEntry> entries = spool.poll((int) (windowBytes - inFlightBytes), wait);
        long bytes = 0;
        for (SpoolEntry e : entries) {
          send(e);
          bytes += e.bytes();
        }
        if (!entries.isEmpty() && bytes < GATHER_BYTES && gatherNanos > 0 && !stopping) {
          LockSupport.parkNanos(gatherNanos);
        }
      } else {
        awaitCompletion(TimeUnit.MILLISECONDS.toNanos(50));
      }
    } catch (io.ironlake.collector.spool.SpoolException e) {
      LOG.error("spool read failed, retrying: clientId={}, error={}", clientId, e.getMessage());
      awaitCompletion(backoff.next().toNanos());
    }
  }

  private void send(SpoolEntry entry) {
    if (sendFailure != null) {
      // An entry before this one could not be handed to the producer (no metadata within
      // max.block.ms): sending this one now would put it on Kafka before that one's resend, out of
      // seq order. It goes back to the spool with it, unsent.
      InFlight f = new InFlight(entry, 0);
      f.failure.set(sendFailure);
      inFlight.add(f);
      inFlightBytes += entry.bytes();
      return;
    }
    int records =
        entry instanceof SpoolEntry.Letter
            ? 1
            : entry instanceof SpoolEntry.Events ev ? ev.events().size() : entry.pointCount();
    InFlight f = new InFlight(entry, records);
    inFlight.add(f);
    inFlightBytes += entry.bytes();
    int sent = 0;
    try {
      // The producer reports most failures to send (e.g. no metadata within max.block.ms) through
      // the callback, before send returns: stop there, so that no newer record overtakes it.
      if (entry instanceof SpoolEntry.Points p) {
        for (SpoolEntry.EncodedPoint point : p.points()) {
          producer.send(
              new ProducerRecord<>(config.telemetryTopic(), point.key(), point.value()), f);
          sent++;
          if (f.failure.get() != null) {
            break;
          }
        }
      } else if (entry instanceof SpoolEntry.Events ev) {
        for (SpoolEntry.EncodedPoint event : ev.events()) {
          producer.send(new ProducerRecord<>(config.eventsTopic(), event.key(), event.value()), f);
          sent++;
          if (f.failure.get() != null) {
            break;
          }
        }
      } else if (entry instanceof SpoolEntry.Letter l) {
        ProducerRecord<byte[], byte[]> r = l.letter().toProducerRecord();
        producer.send(
            new ProducerRecord<>(config.deadletterTopic(), null, r.key(), r.value(), r.headers()),
            f);
        sent++;
      }
      if (f.failure.get() != null) {
        sendFailure = f.failure.get();
        if (sent < records && f.remaining.addAndGet(-(records - sent)) == 0) {
          signal();
        }
      }
    } catch (RuntimeException e) {
      // Raised before the record entered the producer: closed, or a serializer/interceptor error.
      failed(f, e);
      sendFailure = e;
      if (f.remaining.addAndGet(-(records - sent)) == 0) {
        signal();
      }
    }
  }

  /** Pops the completed entries at the head and acknowledges them to the spool, in order. */
  private void acknowledgeCompleted() {
    List<SpoolEntry> done = new ArrayList<>();
    while (!inFlight.isEmpty()) {
      InFlight head = inFlight.peek();
      if (!head.done() || head.failure.get() != null) {
        break;
      }
      inFlight.poll();
      inFlightBytes -= head.entry.bytes();
      done.add(head.entry);
    }
    if (!done.isEmpty()) {
      spool.acknowledge(done);
      for (SpoolEntry e : done) {
        if (e instanceof SpoolEntry.Points p && !p.points().isEmpty()) {
          // The entry's points were read together: the first one's ingest_ts stands for all.
          long ingest = TelemetryCodec.ingestTsMicros(p.points().get(0).value());
          metrics.pointsSent(p.source(), p.pointCount(), ingest);
        }
      }
      backoff.reset();
    }
  }

  /** Every entry in flight is answered and the oldest failed: send them all again. */
  private void rewind() throws InterruptedException {
    Exception cause = inFlight.peek().failure.get();
    List<SpoolEntry> again = new ArrayList<>();
    inFlight.forEach(f -> again.add(f.entry));
    spool.rewind(again);
    inFlight.clear();
    inFlightBytes = 0;
    sendFailure = null;
    if (!(cause instanceof RetriableException)) {
      // The producer may be unusable (fenced, fatal error): start a new one.
      LOG.warn(
          "kafka producer failed for good, starting a new one: clientId={}, error={}",
          clientId,
          cause.toString());
      Producer<byte[], byte[]> old = producer;
      producer = new KafkaProducer<>(producerProperties(config, clientId));
      old.close(Duration.ZERO);
    }
    awaitCompletion(backoff.next().toNanos());
  }

  private void failed(InFlight f, Exception e) {
    long n = metrics.sendError();
    if (isRecordRefused(e)) {
      // Kafka will never take this record: retrying would stop the spool forever.
      LOG.error(
          "kafka refused a record for good, skipped: clientId={}, entry={}, sendErrors={},"
              + " error={}",
          clientId,
          describe(f.entry),
          n,
          e.toString());
      return;
    }
    f.failure.compareAndSet(null, e);
    // 1st, 2nd, 4th, 8th, ... error: enough to notice, not enough to flood the log.
    if ((n & (n - 1)) == 0) {
      LOG.warn(
          "kafka send failed, will send again from the spool: clientId={}, entry={},"
              + " sendErrors={}, error={}",
          clientId,
          describe(f.entry),
          n,
          e.toString());
    }
  }

  private static boolean isRecordRefused(Exception e) {
    return e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException;
  }

  private static String describe(SpoolEntry e) {
    if (e instanceof SpoolEntry.Points p) {
      return "points(source=" + p.source() + ", firstSeq=" + p.firstSeq() + ")";
    }
    if (e instanceof SpoolEntry.Events ev) {
      return "events(source=" + ev.source() + ", count=" + ev.events().size() + ")";
    }
    if (e instanceof SpoolEntry.Letter l) {
      return "deadLetter(source=" + l.letter().source() + ")";
    }
    return "internal";
  }

  /** Logs once when Kafka has not answered for a while, and once when it answers again. */
  private void watchStall(InFlight head) {
    long now = System.nanoTime();
    if (head != null && now - head.sentAtNanos > STALL_NANOS) {
      if (stalledSinceNanos == 0) {
        stalledSinceNanos = head.sentAtNanos;
        LOG.warn(
            "kafka not acknowledging, points wait in the spool: clientId={}, bootstrapServers={},"
                + " waitingSeconds={}, spoolPoints={}",
            clientId,
            config.bootstrapServers(),
            TimeUnit.NANOSECONDS.toSeconds(now - head.sentAtNanos),
            spool.stats().points());
      }
    } else if (stalledSinceNanos != 0 && (head == null || head.sentAtNanos > stalledSinceNanos)) {
      LOG.info(
          "kafka acknowledging again, sending the backlog: clientId={}, stalledSeconds={},"
              + " spoolPoints={}",
          clientId,
          TimeUnit.NANOSECONDS.toSeconds(now - stalledSinceNanos),
          spool.stats().points());
      stalledSinceNanos = 0;
    }
  }

  private void signal() {
    lock.lock();
    try {
      completed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitCompletion(long nanos) throws InterruptedException {
    lock.lock();
    try {
      if (stopping && nanos > TimeUnit.MILLISECONDS.toNanos(20)) {
        nanos = TimeUnit.MILLISECONDS.toNanos(20);
      }
      completed.awaitNanos(nanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code grace} for Kafka to take everything spooled so far, then stops; what Kafka
   * has not acknowledged stays in the spool for the next start.
   */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      if (thread.isAlive()) {
        spool.awaitDrained(grace);
      }
      stopDeadlineNanos = deadline;
      stopping = true;
      signal();
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Unblocks a send() waiting for metadata, if the thread is still in one.
      producer.close(Duration.ZERO);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LOG.info("kafka publisher closed: clientId={}", clientId);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
