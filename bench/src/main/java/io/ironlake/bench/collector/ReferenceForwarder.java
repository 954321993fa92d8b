package io.ironlake.bench.collector;

import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.opcua.internal.VariantConverter;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The latency reference of the OPC UA benchmark (phase {@code f}): the least a forwarder from OPC
 * UA to Kafka can do, in a JVM of its own started like the collector's. A bare Milo client with the
 * collector's subscription layout ({@link CountingOpcUaClient}) turns each value, on Milo's
 * delivery thread, into a point (the collector's value conversion, {@code ingest_ts} when the
 * notification message arrived, read as the collector reads it, a {@code seq} from a counter) and
 * hands it to a Kafka producer with the collector's producer settings. No spool, no mapping file,
 * no metrics, no durability: what is left of its latency is what Milo, the producer, the broker and
 * this machine cost any forwarder.
 *
 * <p>Run by {@link CollectorProcess#startForwarder}: {@code ReferenceForwarder DIR ENDPOINT
 * COLLECTOR_ID}, with {@code DIR/producer.properties} (the producer's settings) and {@code
 * DIR/nodes.tsv} (node id, site, area, line, device, tag, unit per line). It prints {@value #READY}
 * once subscribed, and on SIGTERM disconnects, sends what it holds and ends.
 */
public final class ReferenceForwarder {
  static final String READY = "forwarder ready";

  private ReferenceForwarder() {}

  /** One node's place in the record. */
  private record Target(
      String site, String area, String line, String device, String tag, String unit) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: ReferenceForwarder DIR ENDPOINT COLLECTOR_ID");
    }
    Path dir = Path.of(args[0]);
    String collectorId = args[2];
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("producer.properties"))) {
      props.load(r);
    }
    Map<NodeId, Target> targets = new HashMap<>();
    List<String> nodeIds = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("nodes.tsv"), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      nodeIds.add(f[0]);
      targets.put(NodeId.parse(f[0]), new Target(f[1], f[2], f[3], f[4], f[5], f[6]));
    }
    Clock clock = Clock.systemUTC();
    AtomicLong seq = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
    producer.partitionsFor(Topics.TELEMETRY);
    CountingOpcUaClient client =
        CountingOpcUaClient.subscribe(
            args[1],
            nodeIds,
            (items, values) -> {
              long ingest = Micros.now(clock);
              for (int i = 0; i < items.size(); i++) {
                OpcUaMonitoredItem item = items.get(i);
                DataValue dv = values.get(i);
                Target t = targets.get(item.getReadValueId().getNodeId());
                long status = dv.statusCode() == null ? 0 : dv.statusCode().value();
                long ts = dv.sourceTime() == null ? ingest : dv.sourceTime().getJavaTime() * 1_000;
                TelemetryPoint p =
                    new TelemetryPoint(
                        t.site(),
                        t.area(),
                        t.line(),
                        t.device(),
                        t.tag(),
                        ts,
                        ingest,
                        VariantConverter.toPointValue(dv.value()),
                        Quality.fromStatusCode(status),
                        status,
                        t.unit(),
                        collectorId,
                        OpcUaCollectorBench.SOURCE,
                        seq.getAndIncrement());
                producer.send(
                    new ProducerRecord<>(
                        Topics.TELEMETRY,
                        p.devicePath().getBytes(StandardCharsets.UTF_8),
                        TelemetryCodec.encode(p)),
                    (m, e) -> {
                      if (e != null) {
                        errors.incrementAndGet();
                      }
                    });
              }
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  client.close();
                  producer.close(Duration.ofSeconds(30));
                  System.out.printf(
                      "forwarder sent %,d points, %,d refused%n", seq.get(), errors.get());
                  System.out.flush();
                  stopped.countDown();
                }));
    System.out.println(READY);
    System.out.flush();
    stopped.await();
  }
}
