package io.ironlake.collector.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.TelemetrySource;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.internal.Backoff;
import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.opcua.internal.DataChangeMapper;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import io.ironlake.collector.spool.SpoolClosedException;
import io.ironlake.collector.spool.SpoolException;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the configured nodes of an OPC UA server (Milo 1.x client) and turns every data
 * change into a point: ts = source time (else server time, else now), quality from the status code.
 *
 * <p>Reconnects: until the first session exists it retries with back-off; after that Milo's session
 * keep-alive reconnects by itself and transfers the subscriptions, and a subscription the server no
 * longer has is created again. Each state change is logged once.
 */
public final class OpcUaSource implements TelemetrySource {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);

  private final String collectorId;
  private final OpcUaSourceConfig config;
  private final PointSink sink;
  private final Clock clock;
  private final List<List<NodeMapping>> chunks;
  private final OpcUaSubscription[] subscriptions;
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final ScheduledExecutorService executor;
  private final Path pkiDir;
  private volatile OpcUaClient client;
  private volatile String lastError;
  private volatile SourceState state = SourceState.CONNECTING;
  private boolean connectFailureLogged;
  private long spoolErrors;
  // READY means: session active and every subscription proven live since, by being created or
  // by delivering data or a keep-alive. Milo reports a failed transfer only after the session is
  // active again, so the session alone does not prove the subscriptions.
  private volatile boolean sessionActive;
  private final AtomicBoolean[] live;
  private final DataChangeMapper mapper;

  /** A source without a PKI folder: only security policy None with a non-X.509 identity works. */
  public OpcUaSource(String collectorId, OpcUaSourceConfig config, PointSink sink, Clock clock) {
    this(collectorId, config, sink, clock, null);
  }

  /**
   * A source whose application certificate and trust list live in {@code pkiDir} (see {@link
   * OpcUaPki}); the certificate is created there on the first connect.
   */
  public OpcUaSource(
      String collectorId, OpcUaSourceConfig config, PointSink sink, Clock clock, Path pkiDir) {
    this.pkiDir = pkiDir;
    this.collectorId = collectorId;
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.mapper = new DataChangeMapper(collectorId, config.name());
    List<List<NodeMapping>> c = new ArrayList<>();
    List<NodeMapping> nodes = config.nodes();
    for (int i = 0; i < nodes.size(); i += config.maxItemsPerSubscription()) {
      c.add(
          List.copyOf(
              nodes.subList(i, Math.min(nodes.size(), i + config.maxItemsPerSubscription()))));
    }
    this.chunks = List.copyOf(c);
    this.subscriptions = new OpcUaSubscription[chunks.size()];
    this.live = new AtomicBoolean[chunks.size()];
    for (int i = 0; i < live.length; i++) {
      live[i] = new AtomicBoolean();
    }
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "ironlake-opcua-" + config.name());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public SourceState state() {
    return state;
  }

  @Override
  public void start() {
    if (!config.security().secured()) {
      LOG.warn(
          "opcua source uses security policy None: no signature, no encryption; fine for a"
              + " simulator, not for a plant network: source={}, endpoint={}",
          config.name(),
          config.endpoint());
    }
    LOG.info(
        "opcua source starting: source={}, endpoint={}, securityPolicy={}, securityMode={},"
            + " identity={}, nodes={}, subscriptions={}",
        config.name(),
        config.endpoint(),
        config.security().policy(),
        config.security().mode(),
        config.security().identity().kind(),
        config.nodes().size(),
        chunks.size());
    executor.execute(this::connect);
  }

  private void connect() {
    if (state == SourceState.CLOSED) {
      return;
    }
    OpcUaClient c = null;
    try {
      OpcUaPki pki =
          pkiDir == null
              ? null
              : OpcUaPki.open(
                  pkiDir,
                  MiloClients.applicationUri(collectorId),
                  "Ironlake edge collector " + collectorId);
      c = MiloClients.connect(config, collectorId, pki);
      client = c;
      lastError = null;
      c.addSessionActivityListener(new SessionListener());
      NamespaceTable namespaces = c.readNamespaceTable();
      sessionActive = true;
      for (int i = 0; i < chunks.size(); i++) {
        createSubscription(c, namespaces, i);
      }
      backoff.reset();
      connectFailureLogged = false;
      refreshState();
    } catch (UaException | RuntimeException e) {
      client = null;
      sessionActive = false;
      for (AtomicBoolean l : live) {
        l.set(false);
      }
      disconnectQuietly(c);
      Duration delay = backoff.next();
      String error = e.getMessage();
      boolean changed = !String.valueOf(error).equals(lastError);
      lastError = error;
      if (!connectFailureLogged || changed) {
        connectFailureLogged = true;
        LOG.warn(
            "opcua connect failed, retrying with back-off: source={}, endpoint={}, status={},"
                + " error={}",
            config.name(),
            config.endpoint(),
            status(e),
            e.getMessage());
      } else {
        LOG.debug(
            "opcua connect failed: source={}, error={}, retryInMs={}",
            name(),
            e.getMessage(),
            delay.toMillis());
      }
      if (state != SourceState.CLOSED) {
        executor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Creates subscription {@code index} with its monitored items, replacing an older one. */
  private void createSubscription(OpcUaClient c, NamespaceTable namespaces, int index)
      throws UaException {
    OpcUaSubscription sub = new OpcUaSubscription(c, (double) config.publishingIntervalMs());
    sub.setSubscriptionListener(new SubscriptionListener(index));
    sub.create();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (NodeMapping m : chunks.get(index)) {
      Optional<NodeId> nodeId = MiloClients.resolve(m.nodeId(), config.namespaceUri(), namespaces);
      if (nodeId.isEmpty()) {
        LOG.warn(
            "opcua node skipped, its namespace is not on the server: source={}, nodeId={}",
            config.name(),
            m.nodeId());
        continue;
      }
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId.get());
      item.setUserObject(m);
      item.setSamplingInterval(config.samplingIntervalMs());
      item.setQueueSize(uint(config.queueSize()));
      item.setDiscardOldest(true);
      // StatusValueTimestamp: a new source timestamp alone is a new point, even if the value
      // repeats (a counter that did not move is still a reading).
      item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(0), 0.0));
      items.add(item);
    }
    sub.addMonitoredItems(items);
    try {
      sub.synchronizeMonitoredItems();
    } catch (MonitoredItemSynchronizationException e) {
      for (MonitoredItemServiceOperationResult r : e.getCreateResults()) {
        if (!r.isGood()) {
          LOG.warn(
              "opcua node not monitored: source={}, nodeId={}, serviceResult={},"
                  + " operationResult={}",
              config.name(),
              ((NodeMapping) r.monitoredItem().getUserObject().orElseThrow()).nodeId(),
              r.serviceResult(),
              r.operationResult().map(StatusCode::toString).orElse("-"));
        }
      }
    }
    subscriptions[index] = sub;
    live[index].set(true);
  }

  /** Re-creates one subscription after the server lost it; retries while the session is down. */
  private void recreate(int index) {
    OpcUaClient c = client;
    if (state == SourceState.CLOSED || c == null) {
      return;
    }
    try {
      OpcUaSubscription old = subscriptions[index];
      if (old != null) {
        // Forget the lost one locally (a no-op when Milo already did after a failed transfer).
        old.reset();
      }
      createSubscription(c, c.readNamespaceTable(), index);
      backoff.reset();
      refreshState();
      LOG.info(
          "opcua subscription re-created: source={}, subscription={}/{}",
          config.name(),
          index + 1,
          chunks.size());
    } catch (UaException | RuntimeException e) {
      Duration delay = backoff.next();
      LOG.debug(
          "opcua subscription re-create failed: source={}, subscription={}, error={},"
              + " retryInMs={}",
          config.name(),
          index + 1,
          e.getMessage(),
          delay.toMillis());
      executor.schedule(() -> recreate(index), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Derives the state from the session and the subscriptions; logs each change once. */
  private synchronized void refreshState() {
    SourceState old = state;
    if (old == SourceState.CLOSED) {
      return;
    }
    boolean allLive = true;
    for (AtomicBoolean l : live) {
      allLive &= l.get();
    }
    SourceState now;
    if (sessionActive && allLive) {
      now = SourceState.READY;
    } else {
      now = old == SourceState.CONNECTING ? SourceState.CONNECTING : SourceState.RECONNECTING;
    }
    if (now == old) {
      return;
    }
    state = now;
    if (now == SourceState.READY) {
      LOG.info(
          "opcua source {}: source={}, endpoint={}, subscriptions={}",
          old == SourceState.CONNECTING ? "ready" : "ready again",
          config.name(),
          config.endpoint(),
          chunks.size());
    } else {
      LOG.warn(
          "opcua session lost, reconnecting with back-off: source={}, endpoint={}",
          config.name(),
          config.endpoint());
    }
  }

  private void markLive(int index) {
    if (!live[index].getAndSet(true)) {
      refreshState();
    }
  }

  private void onData(List<OpcUaMonitoredItem> items, List<DataValue> values) {
    List<NodeMapping> nodes = new ArrayList<>(items.size());
    for (OpcUaMonitoredItem item : items) {
      nodes.add((NodeMapping) item.getUserObject().orElse(null));
    }
    List<TelemetryPoint> points = mapper.toPoints(nodes, values, Micros.now(clock));
    try {
      sink.emit(points, () -> {});
    } catch (SpoolClosedException e) {
      LOG.debug("opcua points not stored, spool closing: source={}", config.name());
    } catch (SpoolException e) {
      // OPC UA cannot send them again: they are lost, loudly.
      long n = ++spoolErrors;
      if ((n & (n - 1)) == 0) {
        LOG.error(
            "opcua points lost, the spool refused them: source={}, points={}, errors={},"
                + " error={}",
            config.name(),
            points.size(),
            n,
            e.getMessage());
      }
    }
  }

  private static String status(Throwable e) {
    if (e instanceof OpcUaConnectException oc && oc.statusCode() != 0) {
      return new StatusCode(oc.statusCode()).toString();
    }
    return e instanceof UaException ua ? ua.getStatusCode().toString() : "-";
  }

  /**
   * Why the last connect attempt failed (e.g. which certificate file to move into trusted/), or
   * null once connected.
   */
  public String lastError() {
    return lastError;
  }

  private static void disconnectQuietly(OpcUaClient c) {
    if (c != null) {
      try {
        c.disconnect();
      } catch (UaException | RuntimeException e) {
        LOG.debug("opcua disconnect failed: error={}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    if (state == SourceState.CLOSED) {
      return;
    }
    state = SourceState.CLOSED;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    OpcUaClient c = client;
    client = null;
    disconnectQuietly(c);
    LOG.info("opcua source closed: source={}", config.name());
  }

  private final class SessionListener implements SessionActivityListener {
    @Override
    public void onSessionActive(UaSession session) {
      sessionActive = true;
      LOG.info(
          "opcua session re-established, checking subscriptions: source={}, endpoint={}",
          config.name(),
          config.endpoint());
      refreshState();
    }

    @Override
    public void onSessionInactive(UaSession session) {
      sessionActive = false;
      for (AtomicBoolean l : live) {
        l.set(false);
      }
      refreshState();
    }
  }

  private final class SubscriptionListener implements OpcUaSubscription.SubscriptionListener {
    private final int index;

    SubscriptionListener(int index) {
      this.index = index;
    }

    @Override
    public void onDataReceived(
        OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
      markLive(index);
      onData(items, values);
    }

    @Override
    public void onKeepAliveReceived(OpcUaSubscription subscription) {
      markLive(index);
    }

    @Override
    public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
      live[index].set(false);
      refreshState();
      LOG.warn(
          "opcua subscription lost by the server, creating it again: source={}, subscription={},"
              + " status={}",
          config.name(),
          index + 1,
          status);
      executor.execute(() -> recreate(index));
    }

    @Override
    public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
      if (status.value() == StatusCodes.Bad_Timeout) {
        LOG.warn(
            "opcua subscription timed out on the server, creating it again: source={},"
                + " subscription={}",
            config.name(),
            index + 1);
        live[index].set(false);
        refreshState();
        executor.execute(() -> recreate(index));
      }
    }

    @Override
    public void onNotificationDataLost(OpcUaSubscription subscription) {
      LOG.warn(
          "opcua server reported lost notifications: source={}, subscription={}",
          config.name(),
          index + 1);
    }
  }
}
