package io.ironlake.bench.collector;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.config.OpcUaSourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Ceiling A of the OPC UA benchmark: a bare Milo client with the collector's subscription layout
 * (the {@link OpcUaSourceConfig} defaults: {@value
 * OpcUaSourceConfig#MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT} items per subscription, publishing
 * interval, sampling interval, queue size, discard-oldest, the StatusValueTimestamp trigger) whose
 * listener only counts the values it receives, or hands them to a {@link Listener} first (the
 * reference forwarder, {@link ReferenceForwarder}).
 */
final class CountingOpcUaClient implements AutoCloseable {
  private final OpcUaClient client;
  private final Listener listener;
  private final AtomicLong values = new AtomicLong();

  /** What receives each notification message's values, on Milo's delivery thread. */
  interface Listener {
    void onDataReceived(List<OpcUaMonitoredItem> items, List<DataValue> values);
  }

  private CountingOpcUaClient(OpcUaClient client, Listener listener) {
    this.client = client;
    this.listener = listener;
  }

  /** Connects (security policy None, anonymous) and subscribes to every node; only counts. */
  static CountingOpcUaClient subscribe(String endpoint, List<String> nodeIds) {
    return subscribe(endpoint, nodeIds, (items, values) -> {});
  }

  /** Like {@link #subscribe(String, List)}, handing every value to {@code listener}. */
  static CountingOpcUaClient subscribe(String endpoint, List<String> nodeIds, Listener listener) {
    try {
      String host = EndpointUtil.getHost(endpoint);
      int port = EndpointUtil.getPort(endpoint);
      OpcUaClient client =
          OpcUaClient.create(
              endpoint,
              endpoints ->
                  endpoints.stream()
                      .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                      .findFirst()
                      .map(e -> EndpointUtil.updateUrl(e, host, port)),
              transport -> {},
              config ->
                  config
                      .setApplicationUri("urn:ironlake:bench:counting-client")
                      .setIdentityProvider(AnonymousProvider.INSTANCE)
                      .setRequestTimeout(uint(10_000)));
      client.connect();
      CountingOpcUaClient counting = new CountingOpcUaClient(client, listener);
      int chunk = OpcUaSourceConfig.MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT;
      for (int i = 0; i < nodeIds.size(); i += chunk) {
        counting.createSubscription(nodeIds.subList(i, Math.min(nodeIds.size(), i + chunk)));
      }
      return counting;
    } catch (UaException e) {
      throw new IllegalStateException("Cannot subscribe to " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private void createSubscription(List<String> nodeIds) throws UaException {
    OpcUaSubscription sub =
        new OpcUaSubscription(client, (double) OpcUaSourceConfig.PUBLISHING_INTERVAL_MS_DEFAULT);
    sub.setSubscriptionListener(
        new OpcUaSubscription.SubscriptionListener() {
          @Override
          public void onDataReceived(
              OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> dataValues) {
            listener.onDataReceived(items, dataValues);
            values.addAndGet(dataValues.size());
          }
        });
    sub.create();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (String id : nodeIds) {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(id));
      item.setSamplingInterval(OpcUaSourceConfig.SAMPLING_INTERVAL_MS_DEFAULT);
      item.setQueueSize(uint(OpcUaSourceConfig.QUEUE_SIZE_DEFAULT));
      item.setDiscardOldest(true);
      item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(0), 0.0));
      items.add(item);
    }
    sub.addMonitoredItems(items);
    try {
      sub.synchronizeMonitoredItems();
    } catch (MonitoredItemSynchronizationException e) {
      throw new IllegalStateException("Cannot monitor every node: " + e.getMessage(), e);
    }
  }

  /** Values received so far. */
  long values() {
    return values.get();
  }

  @Override
  public void close() {
    try {
      client.disconnect();
    } catch (UaException e) {
      throw new IllegalStateException("Cannot disconnect the counting client", e);
    }
  }
}
