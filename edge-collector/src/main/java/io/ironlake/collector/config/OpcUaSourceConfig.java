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
    List<NodeMapping> nodes)
    implements SourceConfig {

  public static final int PUBLISHING_INTERVAL_MS_DEFAULT = 100;
  public static final int SAMPLING_INTERVAL_MS_DEFAULT = 0;
  public static final int QUEUE_SIZE_DEFAULT = 100;
  public static final int MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT = 1000;

  public OpcUaSourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(security, "security");
    nodes = List.copyOf(nodes);
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
    return new OpcUaSourceConfig(
        name,
        endpoint,
        newSecurity,
        publishingIntervalMs,
        samplingIntervalMs,
        queueSize,
        maxItemsPerSubscription,
        namespaceUri,
        nodes);
  }
}
