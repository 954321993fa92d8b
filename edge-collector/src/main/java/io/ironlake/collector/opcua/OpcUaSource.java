package io.ironlake.collector.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.TelemetrySource;
import io.ironlake.collector.config.BrowseMapping;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.internal.Backoff;
import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.opcua.internal.AddressSpaceBrowser;
import io.ironlake.collector.opcua.internal.DataChangeMapper;
import io.ironlake.collector.opcua.internal.EngineeringUnits;
import io.ironlake.collector.opcua.internal.EventMapper;
import io.ironlake.collector.opcua.internal.ItemFactory;
import io.ironlake.collector.opcua.internal.MappedNode;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import io.ironlake.collector.opcua.internal.ServerLimits;
import io.ironlake.collector.spool.SpoolClosedException;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.collector.spool.SpoolException;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the mapped nodes of an OPC UA server (Milo 1.x client) and turns every data change into a
 * point: ts = source time (else server time, else now), quality from the status code. The nodes are
 * the configured ones plus those the browse mappings find at each connect; they are read by
 * monitored items, split over subscriptions of {@code max-items-per-subscription} items and created
 * in batches within the server's operation limits, or, with {@code mode: poll}, by batched Read
 * requests. With {@code events: true} the notifiers' events and alarms go to the events topic.
 *
 * <p>Reconnects: until the first session exists it retries with back-off; after that Milo's session
 * keep-alive reconnects by itself and transfers the subscriptions, and a subscription the server no
 * longer has is created again. Each state change is logged once.
 */
public final class OpcUaSource implements TelemetrySource {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaSource.class);
  private static final int CREATE_ATTEMPTS = 3;

  /** The keep-alive interval a subscription asks for when nothing changes. */
  private static final double KEEP_ALIVE_MS = 10_000;

  /** The largest count a UInt32 carries. */
  private static final long MAX_COUNT = 0xFFFF_FFFFL;

  /**
   * The most values a subscription's server puts in one notification message (Milo asks for
   * 65,535). A collector behind its server, or back from a network drop, is sent what the server
   * queued: at 65,535 values a message is over 2 MB, more than the client's largest message (the
   * server then fails the response), and each decoded message held ~15 MB of heap until delivered,
   * one per pending publish request: a 256 MB heap ran out at three times the rate it could take.
   * At 5,000 a message is ~200 KB; the rest comes in the following ones.
   */
  static final int MAX_NOTIFICATIONS_PER_PUBLISH = 5_000;

  private final String collectorId;
  private final OpcUaSourceConfig config;
  private final PointSink sink;
  private final Clock clock;
  private volatile List<List<NodeMapping>> chunks = List.of();
  private volatile OpcUaSubscription[] subscriptions = new OpcUaSubscription[0];
  private volatile int eventsIndex = -1;
  private volatile ServerLimits limits;
  private volatile List<PolledNode> polled = List.of();
  private volatile ScheduledFuture<?> pollTask;
  private volatile boolean pollOk;
  private boolean pollFailureLogged;
  private volatile int mappedNodes;
  private final AtomicLong monitoredItems = new AtomicLong();
  private final AtomicLong createRequests = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong eventsRead = new AtomicLong();
  private final AtomicLong conditionRefreshes = new AtomicLong();
  // Set between a RefreshStart and a RefreshEnd event (one event subscription per source).
  private volatile boolean refreshing;
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
  // Until a connect has planned its subscriptions, one flag that is never set keeps the source
  // from READY (Milo reports the session active before the subscriptions exist).
  private volatile AtomicBoolean[] live = notPlanned();
  private final DataChangeMapper mapper;
  private final EventMapper eventMapper;

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
    this.eventMapper = new EventMapper(collectorId, config.name());
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

  /** Nodes mapped at the last connect: the configured ones plus those found by browsing. */
  public int mappedNodeCount() {
    return mappedNodes;
  }

  /** Monitored items the server created (data and event items), summed over every connect. */
  public long monitoredItemCount() {
    return monitoredItems.get();
  }

  /** Subscriptions of the last connect, the event subscription included. */
  public int subscriptionCount() {
    return subscriptions.length;
  }

  /** CreateMonitoredItems requests sent, summed over every connect. */
  public long createRequestCount() {
    return createRequests.get();
  }

  /** Read requests sent in poll mode. */
  public long readRequestCount() {
    return reads.get();
  }

  /** Events read and handed to the spool. */
  public long eventCount() {
    return eventsRead.get();
  }

  /** ConditionRefresh calls the server accepted, one per (re)created event subscription. */
  public long conditionRefreshCount() {
    return conditionRefreshes.get();
  }

  /**
   * The request sizes in use (the server's limits and the config), null before the first connect.
   */
  public ServerLimits limits() {
    return limits;
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
            + " identity={}, nodes={}, browse={}, mode={}, events={}",
        config.name(),
        config.endpoint(),
        config.security().policy(),
        config.security().mode(),
        config.security().identity().kind(),
        config.nodes().size(),
        config.browse().size(),
        config.mode(),
        config.events().enabled());
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
      ServerLimits l = ServerLimits.read(c, config);
      limits = l;
      List<MappedNode> nodes = mapNodes(c, namespaces, l);
      mappedNodes = nodes.size();
      boolean poll = config.mode() == OpcUaSourceConfig.Mode.POLL;
      List<List<NodeMapping>> plan = new ArrayList<>();
      if (!poll) {
        for (int i = 0; i < nodes.size(); i += l.itemsPerSubscription()) {
          plan.add(
              nodes.subList(i, Math.min(nodes.size(), i + l.itemsPerSubscription())).stream()
                  .map(MappedNode::mapping)
                  .toList());
        }
      }
      int total = plan.size() + (config.events().enabled() ? 1 : 0);
      AtomicBoolean[] flags = new AtomicBoolean[total];
      for (int i = 0; i < total; i++) {
        flags[i] = new AtomicBoolean();
      }
      chunks = List.copyOf(plan);
      eventsIndex = config.events().enabled() ? plan.size() : -1;
      subscriptions = new OpcUaSubscription[total];
      live = flags;
      sessionActive = true;
      for (int i = 0; i < plan.size(); i++) {
        createSubscription(c, namespaces, i);
      }
      if (eventsIndex >= 0) {
        createEventSubscription(c, namespaces, eventsIndex);
      }
      if (poll) {
        polled =
            nodes.stream().map(n -> new PolledNode(n.nodeId(), mapper.track(n.mapping()))).toList();
        pollOk = false;
        pollTask =
            executor.scheduleWithFixedDelay(
                this::poll, 0, config.pollIntervalMs(), TimeUnit.MILLISECONDS);
      }
      backoff.reset();
      connectFailureLogged = false;
      refreshState();
    } catch (UaException | RuntimeException e) {
      client = null;
      sessionActive = false;
      live = notPlanned();
      ScheduledFuture<?> task = pollTask;
      if (task != null) {
        task.cancel(false);
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

  /**
   * The configured nodes (resolved; those whose namespace the server lacks are skipped) and the
   * nodes the browse mappings find, each node once.
   */
  private List<MappedNode> mapNodes(OpcUaClient c, NamespaceTable namespaces, ServerLimits l)
      throws UaException {
    List<MappedNode> nodes = new ArrayList<>();
    Set<NodeId> seen = new HashSet<>();
    for (NodeMapping m : config.nodes()) {
      Optional<NodeId> nodeId = MiloClients.resolve(m.nodeId(), config.namespaceUri(), namespaces);
      if (nodeId.isEmpty()) {
        LOG.warn(
            "opcua node skipped, its namespace is not on the server: source={}, nodeId={}",
            config.name(),
            m.nodeId());
      } else if (seen.add(nodeId.get())) {
        nodes.add(new MappedNode(m, nodeId.get()));
      }
    }
    if (!config.browse().isEmpty()) {
      AddressSpaceBrowser browser =
          new AddressSpaceBrowser(c, namespaces, l.nodesPerBrowse(), config.name());
      for (BrowseMapping b : config.browse()) {
        for (MappedNode n : browser.map(b)) {
          if (seen.add(n.nodeId())) {
            nodes.add(n);
          }
        }
      }
    }
    LOG.info(
        "opcua nodes mapped: source={}, nodes={}, configured={}, browse={}",
        config.name(),
        nodes.size(),
        config.nodes().size(),
        config.browse().size());
    return EngineeringUnits.fill(c, namespaces, nodes, l, config.name());
  }

  /**
   * Creates subscription {@code index} with its monitored items, replacing an older one. Items are
   * created in batches of the server's MaxMonitoredItemsPerCall (or max-nodes-per-request).
   */
  private void createSubscription(OpcUaClient c, NamespaceTable namespaces, int index)
      throws UaException {
    int perCall = limits.monitoredItemsPerCall();
    OpcUaSubscription sub = newSubscription(c);
    sub.setMaxMonitoredItemsPerCall(uint(perCall));
    sub.setSubscriptionListener(new SubscriptionListener(index));
    sub.create();
    LOG.info(
        "opcua subscription created: source={}, subscription={}, publishingIntervalMs={},"
            + " keepAliveCount={}, lifetimeCount={}",
        config.name(),
        index + 1,
        sub.getRevisedPublishingInterval().orElse(null),
        sub.getRevisedMaxKeepAliveCount().orElse(null),
        sub.getRevisedLifetimeCount().orElse(null));
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
      items.add(ItemFactory.dataItem(config, mapper.track(m), nodeId.get()));
    }
    int good = 0;
    int refused = 0;
    for (int i = 0; i < items.size(); i += perCall) {
      sub.addMonitoredItems(items.subList(i, Math.min(items.size(), i + perCall)));
      for (MonitoredItemServiceOperationResult r : createBatch(sub, index)) {
        if (r.isGood()) {
          good++;
        } else if (++refused <= 10) {
          LOG.warn(
              "opcua node not monitored: source={}, nodeId={}, serviceResult={},"
                  + " operationResult={}",
              config.name(),
              r.monitoredItem().getUserObject().orElse("-"),
              r.serviceResult(),
              r.operationResult().map(StatusCode::toString).orElse("-"));
        }
      }
    }
    if (refused > 10) {
      LOG.warn(
          "opcua nodes not monitored: source={}, subscription={}, refused={} (first 10 logged)",
          config.name(),
          index + 1,
          refused);
    }
    monitoredItems.addAndGet(good);
    subscriptions[index] = sub;
    live[index].set(true);
    LOG.debug(
        "opcua subscription created: source={}, subscription={}/{}, items={}, refused={}",
        config.name(),
        index + 1,
        subscriptions.length,
        good,
        refused);
  }

  /**
   * Sends one CreateMonitoredItems request for the items added since the last one; a request the
   * server refuses as a whole (Bad_Timeout, Bad_UnexpectedError, Bad_TooManyOperations...) is sent
   * again, up to {@value #CREATE_ATTEMPTS} times, 0.2 s, 0.4 s apart.
   */
  private List<MonitoredItemServiceOperationResult> createBatch(OpcUaSubscription sub, int index) {
    List<MonitoredItemServiceOperationResult> results = List.of();
    for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      createRequests.incrementAndGet();
      results = sub.createMonitoredItems();
      StatusCode failed =
          results.stream()
              .map(MonitoredItemServiceOperationResult::serviceResult)
              .filter(StatusCode::isBad)
              .findFirst()
              .orElse(null);
      if (failed == null || attempt == CREATE_ATTEMPTS || state == SourceState.CLOSED) {
        return results;
      }
      LOG.info(
          "opcua CreateMonitoredItems refused, sending it again: source={}, subscription={},"
              + " items={}, status={}, attempt={}",
          config.name(),
          index + 1,
          results.size(),
          failed,
          attempt);
      java.util.concurrent.locks.LockSupport.parkNanos(attempt * 200_000_000L);
    }
    return results;
  }

  /**
   * A subscription at {@code publishing-interval-ms} whose server keeps it {@code
   * subscription-lifetime-ms} without hearing from the collector (lifetime count), with a
   * keep-alive every ~10 s when nothing changes (at least a third of the lifetime, as OPC UA
   * requires). Milo's own counts assume a 1 s publishing interval: at 100 ms they make a 5 s
   * lifetime, and a network drop of a few seconds lost the subscription and what it had queued. At
   * most {@link #MAX_NOTIFICATIONS_PER_PUBLISH} values per notification message.
   */
  private OpcUaSubscription newSubscription(OpcUaClient c) {
    double publishing = config.publishingIntervalMs();
    OpcUaSubscription sub = new OpcUaSubscription(c, publishing);
    long keepAlive = Math.max(1, (long) Math.ceil(KEEP_ALIVE_MS / publishing));
    long lifetime =
        Math.max(3 * keepAlive, (long) Math.ceil(config.subscriptionLifetimeMs() / publishing));
    sub.setLifetimeAndKeepAliveCalculated(false);
    sub.setMaxKeepAliveCount(uint(Math.min(keepAlive, MAX_COUNT)));
    sub.setLifetimeCount(uint(Math.min(lifetime, MAX_COUNT)));
    sub.setMaxNotificationsPerPublish(uint(MAX_NOTIFICATIONS_PER_PUBLISH));
    return sub;
  }

  /** Creates the event subscription: one event item per notifier. */
  private void createEventSubscription(OpcUaClient c, NamespaceTable namespaces, int index)
      throws UaException {
    OpcUaSubscription sub = newSubscription(c);
    sub.setSubscriptionListener(new SubscriptionListener(index));
    try {
      sub.create();
    } catch (UaException e) {
      // A server without subscriptions (the reason for mode: poll) has no events either.
      LOG.warn(
          "opcua events not available, the server refused a subscription: source={}, status={}",
          config.name(),
          e.getStatusCode());
      subscriptions[index] = null;
      live[index].set(true);
      return;
    }
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (String notifier : config.events().notifiers()) {
      Optional<NodeId> nodeId =
          notifier.startsWith("ns=") || notifier.startsWith("nsu=")
              ? MiloClients.resolve(notifier, config.namespaceUri(), namespaces)
              : NodeId.parseSafe(notifier);
      if (nodeId.isEmpty()) {
        LOG.warn(
            "opcua event notifier skipped, not on the server: source={}, notifier={}",
            config.name(),
            notifier);
        continue;
      }
      items.add(ItemFactory.eventItem(config, notifier, nodeId.get()));
    }
    sub.addMonitoredItems(items);
    createRequests.incrementAndGet();
    for (MonitoredItemServiceOperationResult r : sub.createMonitoredItems()) {
      if (r.isGood()) {
        monitoredItems.incrementAndGet();
      } else {
        LOG.warn(
            "opcua event notifier not monitored: source={}, notifier={}, serviceResult={},"
                + " operationResult={}",
            config.name(),
            r.monitoredItem().getUserObject().orElse("-"),
            r.serviceResult(),
            r.operationResult().map(StatusCode::toString).orElse("-"));
      }
    }
    subscriptions[index] = sub;
    live[index].set(true);
    conditionRefresh(c, sub);
  }

  /**
   * Asks the server to send the subscription every condition it retains (active, or not yet
   * acknowledged), between a RefreshStart and a RefreshEnd event, so conditions raised while the
   * collector was away are reported (with {@code "refresh":true}). A server without Alarms &
   * Conditions refuses it (Bad_MethodInvalid...): logged once at INFO, events still flow.
   */
  private void conditionRefresh(OpcUaClient c, OpcUaSubscription sub) {
    UInteger id = sub.getSubscriptionId().orElse(null);
    if (id == null) {
      return;
    }
    try {
      CallMethodResult r =
          c.call(
                  List.of(
                      new CallMethodRequest(
                          NodeIds.ConditionType,
                          NodeIds.ConditionType_ConditionRefresh,
                          new Variant[] {new Variant(id)})))
              .getResults()[0];
      if (r.getStatusCode().isGood()) {
        conditionRefreshes.incrementAndGet();
        LOG.info(
            "opcua ConditionRefresh requested: source={}, subscriptionId={}", config.name(), id);
      } else {
        LOG.info(
            "opcua server refused ConditionRefresh, conditions active before now are not"
                + " reported: source={}, status={}",
            config.name(),
            r.getStatusCode());
      }
    } catch (UaException | RuntimeException e) {
      LOG.info(
          "opcua ConditionRefresh failed, conditions active before now are not reported:"
              + " source={}, error={}",
          config.name(),
          e.getMessage());
    }
  }

  /** A node read by polling: its id on the server and its readings, tracked once per connect. */
  private record PolledNode(NodeId nodeId, DataChangeMapper.Node node) {}

  /** One poll: batched Reads of every mapped node; values read before are skipped. */
  private void poll() {
    OpcUaClient c = client;
    if (c == null || !sessionActive || state == SourceState.CLOSED) {
      return;
    }
    List<PolledNode> nodes = polled;
    int perRead = limits.nodesPerRead();
    try {
      for (int i = 0; i < nodes.size(); i += perRead) {
        List<PolledNode> batch = nodes.subList(i, Math.min(nodes.size(), i + perRead));
        List<NodeId> ids = batch.stream().map(PolledNode::nodeId).toList();
        reads.incrementAndGet();
        List<DataValue> values = c.readValues(0.0, TimestampsToReturn.Both, ids);
        onValues(batch.stream().map(PolledNode::node).toList(), values, true);
      }
      if (!pollOk) {
        pollOk = true;
        pollFailureLogged = false;
        refreshState();
      }
    } catch (UaException | RuntimeException e) {
      if (!pollFailureLogged) {
        pollFailureLogged = true;
        LOG.warn(
            "opcua poll failed, retrying every poll-interval-ms: source={}, status={}, error={}",
            config.name(),
            status(e),
            e.getMessage());
      }
      if (pollOk) {
        pollOk = false;
        refreshState();
      }
    }
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
      if (index == eventsIndex) {
        createEventSubscription(c, c.readNamespaceTable(), index);
      } else {
        createSubscription(c, c.readNamespaceTable(), index);
      }
      backoff.reset();
      refreshState();
      LOG.info(
          "opcua subscription re-created: source={}, subscription={}/{}",
          config.name(),
          index + 1,
          subscriptions.length);
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

  /**
   * A subscription that sent nothing, not even a keep-alive, for 1.5 keep-alive intervals (Milo's
   * watchdog): a server that deleted it without a word (its lifetime ran out while no Publish
   * request was queued, or it dropped it under load) answers SetPublishingMode with
   * Bad_SubscriptionIdInvalid, and it is created again at once. A server that still has it keeps
   * the values queued in it, so it is not deleted here: it is asked again every keep-alive interval
   * until something comes or the server ends it (at the latest when its lifetime runs out). While
   * the session is down its reconnect takes over (transfer or re-create).
   */
  private void checkSilent(int index, OpcUaSubscription sub) {
    if (!stillSilent(index, sub)) {
      return;
    }
    try {
      sub.setPublishingMode(true);
      LOG.warn(
          "opcua subscription silent but the server still has it, asking again in {} ms:"
              + " source={}, subscription={}",
          (long) KEEP_ALIVE_MS,
          config.name(),
          index + 1);
    } catch (UaException e) {
      if (e.getStatusCode().value() == StatusCodes.Bad_SubscriptionIdInvalid) {
        LOG.warn(
            "opcua subscription lost by the server without notice, creating it again: source={},"
                + " subscription={}",
            config.name(),
            index + 1);
        recreate(index);
        return;
      }
      LOG.warn(
          "opcua subscription check failed, asking again in {} ms: source={}, subscription={},"
              + " status={}",
          (long) KEEP_ALIVE_MS,
          config.name(),
          index + 1,
          e.getStatusCode());
    }
    executor.schedule(() -> checkSilent(index, sub), (long) KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
  }

  /** Whether {@code sub} is still this source's subscription {@code index} and still silent. */
  private boolean stillSilent(int index, OpcUaSubscription sub) {
    return state != SourceState.CLOSED
        && sessionActive
        && subscriptions[index] == sub
        && !live[index].get();
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
    boolean polling = config.mode() == OpcUaSourceConfig.Mode.POLL;
    if (sessionActive && allLive && (!polling || pollOk)) {
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
          subscriptions.length);
    } else {
      LOG.warn(
          "opcua session lost, reconnecting with back-off: source={}, endpoint={}",
          config.name(),
          config.endpoint());
    }
  }

  /**
   * Marks subscription {@code index} live when {@code subscription} is the one in use: a keep-alive
   * that arrives between CreateSubscription and CreateMonitoredItems must not make the source READY
   * before its items exist.
   */
  private void markLive(int index, OpcUaSubscription subscription) {
    if (subscriptions[index] != subscription) {
      return;
    }
    if (!live[index].getAndSet(true)) {
      refreshState();
    }
  }

  private void onData(List<OpcUaMonitoredItem> items, List<DataValue> values) {
    List<DataChangeMapper.Node> nodes = new ArrayList<>(items.size());
    for (OpcUaMonitoredItem item : items) {
      nodes.add((DataChangeMapper.Node) item.getUserObject().orElse(null));
    }
    onValues(nodes, values, false);
  }

  private void onEvents(List<OpcUaMonitoredItem> items, List<Variant[]> fields) {
    long now = Micros.now(clock);
    List<SpoolEntry.EncodedPoint> records = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      switch (EventMapper.marker(fields.get(i))) {
        case REFRESH_START -> refreshing = true;
        case REFRESH_END -> refreshing = false;
        case NONE -> {
          String notifier = String.valueOf(items.get(i).getUserObject().orElse("-"));
          records.add(eventMapper.toRecord(notifier, fields.get(i), now, refreshing));
        }
      }
    }
    if (records.isEmpty()) {
      return;
    }
    try {
      sink.emitEvents(records, () -> {});
      eventsRead.addAndGet(records.size());
    } catch (SpoolClosedException e) {
      LOG.debug("opcua events not stored, spool closing: source={}", config.name());
    } catch (SpoolException e) {
      long n = ++spoolErrors;
      if ((n & (n - 1)) == 0) {
        LOG.error(
            "opcua events lost, the spool refused them: source={}, events={}, errors={},"
                + " error={}",
            config.name(),
            records.size(),
            n,
            e.getMessage());
      }
    }
  }

  private void onValues(List<DataChangeMapper.Node> nodes, List<DataValue> values, boolean polled) {
    List<TelemetryPoint> points = mapper.toPoints(nodes, values, Micros.now(clock), polled);
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

  private static AtomicBoolean[] notPlanned() {
    return new AtomicBoolean[] {new AtomicBoolean(false)};
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
      for (AtomicBoolean f : live) {
        f.set(false);
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
      markLive(index, subscription);
      onData(items, values);
    }

    @Override
    public void onEventReceived(
        OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<Variant[]> fields) {
      markLive(index, subscription);
      onEvents(items, fields);
    }

    @Override
    public void onKeepAliveReceived(OpcUaSubscription subscription) {
      markLive(index, subscription);
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
    public void onWatchdogTimerElapsed(OpcUaSubscription subscription) {
      if (subscriptions[index] != subscription || state == SourceState.CLOSED) {
        return;
      }
      live[index].set(false);
      refreshState();
      LOG.warn(
          "opcua subscription silent past its keep-alive, asking the server for it: source={},"
              + " subscription={}, keepAliveMs={}",
          config.name(),
          index + 1,
          (long) KEEP_ALIVE_MS);
      executor.execute(() -> checkSilent(index, subscription));
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
