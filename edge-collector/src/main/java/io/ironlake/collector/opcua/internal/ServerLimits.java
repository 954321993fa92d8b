package io.ironlake.collector.opcua.internal;

import io.ironlake.collector.config.OpcUaSourceConfig;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OperationLimits;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request sizes a source uses with one server: its {@code max-nodes-per-request}, lowered by
 * the server's {@code Server/ServerCapabilities/OperationLimits} where it sets one (0 or absent
 * means no limit).
 *
 * @param monitoredItemsPerCall items per CreateMonitoredItems request
 * @param nodesPerBrowse nodes per Browse and BrowseNext request
 * @param nodesPerRead nodes per Read request
 * @param itemsPerSubscription items per subscription ({@code max-items-per-subscription})
 */
public record ServerLimits(
    int monitoredItemsPerCall, int nodesPerBrowse, int nodesPerRead, int itemsPerSubscription) {
  private static final Logger LOG = LoggerFactory.getLogger(ServerLimits.class);

  /** Reads the server's operation limits and combines them with the source's settings. */
  public static ServerLimits read(OpcUaClient client, OpcUaSourceConfig config) {
    int cap = config.maxNodesPerRequest();
    OperationLimits limits = null;
    try {
      limits = client.readOperationLimits();
    } catch (UaException | RuntimeException e) {
      LOG.warn(
          "opcua operation limits not readable, using max-nodes-per-request alone: source={},"
              + " max={}, error={}",
          config.name(),
          cap,
          e.getMessage());
    }
    ServerLimits result =
        limits == null
            ? new ServerLimits(cap, cap, cap, config.maxItemsPerSubscription())
            : new ServerLimits(
                min(cap, limits.maxMonitoredItemsPerCall()),
                min(cap, limits.maxNodesPerBrowse()),
                min(cap, limits.maxNodesPerRead()),
                config.maxItemsPerSubscription());
    LOG.info(
        "opcua request sizes: source={}, monitoredItemsPerCall={}, nodesPerBrowse={},"
            + " nodesPerRead={}, itemsPerSubscription={}",
        config.name(),
        result.monitoredItemsPerCall(),
        result.nodesPerBrowse(),
        result.nodesPerRead(),
        result.itemsPerSubscription());
    return result;
  }

  private static int min(int cap, Optional<UInteger> serverLimit) {
    long server = serverLimit.map(UInteger::longValue).orElse(0L);
    return server <= 0 ? cap : (int) Math.min(cap, server);
  }
}
