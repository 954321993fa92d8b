package io.ironlake.collector.config;

import java.util.List;
import java.util.Objects;

/**
 * An OPC UA server to subscribe to ({@code type: opcua}).
 *
 * @param name {@code sources[].name}
 * @param endpoint {@code endpoint}: the opc.tcp:// URL
 * @param security {@code security-policy}, {@code security-mode}, the identity keys and {@code
 *     trust-unknown-servers}
 * @param publishingIntervalMs {@code publishing-interval-ms}
 * @param samplingIntervalMs {@code sampling-interval-ms}
 * @param queueSize {@code queue-size}
 * @param maxItemsPerSubscription {@code max-items-per-subscription}
 * @param namespaceUri {@code namespace-uri}, or {@code null}: the namespace of node ids without ns=
 *     or nsu=
 * @param nodes {@code nodes}: the nodes and where their points go in the plant model
 * @param browse {@code browse}: subtrees whose variables are mapped by pattern at each connect
 * @param mode {@code mode}: subscribe (monitored items) or poll (batched Read every {@code
 *     poll-interval-ms})
 * @param pollIntervalMs {@code poll-interval-ms}
 * @param maxNodesPerRequest {@code max-nodes-per-request}: the most nodes one Browse, Read or
 *     CreateMonitoredItems request carries; the server's OperationLimits lower it
 * @param events {@code events} and {@code event-notifiers}
 * @param subscriptionLifetimeMs {@code subscription-lifetime-ms}: how long the server keeps a
 *     subscription (and its queued changes) while the collector cannot reach it
 */
public record OpcUaSourceConfig(
    String name,
    String endpoint,
    OpcUaSecurityConfig security,
    int publishingIntervalMs,
    int samplingIntervalMs,
    int queueSize,
    int maxItemsPerSubscription,
    String namespaceUri,
    List<NodeMapping> nodes,
    List<BrowseMapping> browse,
    Mode mode,
    int pollIntervalMs,
    int maxNodesPerRequest,
    OpcUaEvents events,
    int subscriptionLifetimeMs)
    implements SourceConfig {

  public static final int PUBLISHING_INTERVAL_MS_DEFAULT = 100;
  public static final int SAMPLING_INTERVAL_MS_DEFAULT = 0;
  public static final int QUEUE_SIZE_DEFAULT = 100;
  public static final int MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT = 1000;
  public static final int POLL_INTERVAL_MS_DEFAULT = 1000;
  public static final int MAX_NODES_PER_REQUEST_DEFAULT = 1000;
  public static final int SUBSCRIPTION_LIFETIME_MS_DEFAULT = 60_000;

  /** How values are read: monitored items in subscriptions, or periodic Read requests. */
  public enum Mode {
    SUBSCRIBE,
    POLL
  }

  public OpcUaSourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(security, "security");
    nodes = List.copyOf(nodes);
    browse = browse == null ? List.of() : List.copyOf(browse);
    mode = mode == null ? Mode.SUBSCRIBE : mode;
    events = events == null ? OpcUaEvents.NONE : events;
    subscriptionLifetimeMs =
        subscriptionLifetimeMs <= 0 ? SUBSCRIPTION_LIFETIME_MS_DEFAULT : subscriptionLifetimeMs;
  }

  /** A source with explicit nodes only, subscribing, without events. */
  public OpcUaSourceConfig(
      String name,
      String endpoint,
      OpcUaSecurityConfig security,
      int publishingIntervalMs,
      int samplingIntervalMs,
      int queueSize,
      int maxItemsPerSubscription,
      String namespaceUri,
      List<NodeMapping> nodes) {
    this(
        name,
        endpoint,
        security,
        publishingIntervalMs,
        samplingIntervalMs,
        queueSize,
        maxItemsPerSubscription,
        namespaceUri,
        nodes,
        List.of(),
        Mode.SUBSCRIBE,
        POLL_INTERVAL_MS_DEFAULT,
        MAX_NODES_PER_REQUEST_DEFAULT,
        OpcUaEvents.NONE,
        SUBSCRIPTION_LIFETIME_MS_DEFAULT);
  }

  /** This source with other browse mappings. */
  public OpcUaSourceConfig withBrowse(List<BrowseMapping> browse) {
    Copy c = new Copy(this);
    c.browse = browse;
    return c.build();
  }

  /** This source reading in another mode. */
  public OpcUaSourceConfig withMode(Mode mode, int pollIntervalMs) {
    Copy c = new Copy(this);
    c.mode = mode;
    c.pollIntervalMs = pollIntervalMs;
    return c.build();
  }

  /** This source with other request and subscription sizes. */
  public OpcUaSourceConfig withLimits(int maxItemsPerSubscription, int maxNodesPerRequest) {
    Copy c = new Copy(this);
    c.maxItemsPerSubscription = maxItemsPerSubscription;
    c.maxNodesPerRequest = maxNodesPerRequest;
    return c.build();
  }

  /** This source with other event settings. */
  public OpcUaSourceConfig withEvents(OpcUaEvents events) {
    Copy c = new Copy(this);
    c.events = events;
    return c.build();
  }

  /** A source with the default subscription settings, security policy None and no user. */
  public static OpcUaSourceConfig of(
      String name, String endpoint, String namespaceUri, List<NodeMapping> nodes) {
    return new OpcUaSourceConfig(
        name,
        endpoint,
        OpcUaSecurityConfig.NONE,
        PUBLISHING_INTERVAL_MS_DEFAULT,
        SAMPLING_INTERVAL_MS_DEFAULT,
        QUEUE_SIZE_DEFAULT,
        MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT,
        namespaceUri,
        nodes);
  }

  /** The same source with other security settings. */
  public OpcUaSourceConfig withSecurity(OpcUaSecurityConfig newSecurity) {
    Copy c = new Copy(this);
    c.security = newSecurity;
    return c.build();
  }

  /** This source with other subscription queue and lifetime settings. */
  public OpcUaSourceConfig withQueue(int queueSize, int subscriptionLifetimeMs) {
    Copy c = new Copy(this);
    c.queueSize = queueSize;
    c.subscriptionLifetimeMs = subscriptionLifetimeMs;
    return c.build();
  }

  /** The components of a source, to change some and build a new one. */
  private static final class Copy {
    private final String name;
    private final String endpoint;
    private OpcUaSecurityConfig security;
    private final int publishingIntervalMs;
    private final int samplingIntervalMs;
    private int queueSize;
    private int maxItemsPerSubscription;
    private final String namespaceUri;
    private final List<NodeMapping> nodes;
    private List<BrowseMapping> browse;
    private Mode mode;
    private int pollIntervalMs;
    private int maxNodesPerRequest;
    private OpcUaEvents events;
    private int subscriptionLifetimeMs;

    Copy(OpcUaSourceConfig c) {
      name = c.name;
      endpoint = c.endpoint;
      security = c.security;
      publishingIntervalMs = c.publishingIntervalMs;
      samplingIntervalMs = c.samplingIntervalMs;
      queueSize = c.queueSize;
      maxItemsPerSubscription = c.maxItemsPerSubscription;
      namespaceUri = c.namespaceUri;
      nodes = c.nodes;
      browse = c.browse;
      mode = c.mode;
      pollIntervalMs = c.pollIntervalMs;
      maxNodesPerRequest = c.maxNodesPerRequest;
      events = c.events;
      subscriptionLifetimeMs = c.subscriptionLifetimeMs;
    }

    OpcUaSourceConfig build() {
      return new OpcUaSourceConfig(
          name,
          endpoint,
          security,
          publishingIntervalMs,
          samplingIntervalMs,
          queueSize,
          maxItemsPerSubscription,
          namespaceUri,
          nodes,
          browse,
          mode,
          pollIntervalMs,
          maxNodesPerRequest,
          events,
          subscriptionLifetimeMs);
    }
  }
}
