package io.ironlake.simulator;

/**
 * Options of the simulator's OPC UA server beyond the machines: a large namespace, low operation
 * limits (advertised under {@code Server/ServerCapabilities/OperationLimits} and enforced), no
 * subscriptions at all, and events and alarms.
 *
 * <pre>{@code
 * OpcUaServerOptions.defaults().withBulkVariables(100_000).withLimits(50, 200, 20, 100)
 * }</pre>
 *
 * @param bulkVariables extra variables under {@code Objects/<site>/<area>/bulk-NNN/dNNN/vNN} (1,000
 *     per bulk line, 10 per device); they hold a Double and never change
 * @param maxMonitoredItemsPerCall MaxMonitoredItemsPerCall: a CreateMonitoredItems request with
 *     more items is refused with Bad_TooManyOperations; 0 = no limit
 * @param maxMonitoredItemsPerSubscription a subscription refuses items beyond this with
 *     Bad_TooManyMonitoredItems; 0 = no limit
 * @param maxNodesPerBrowse MaxNodesPerBrowse (Milo enforces it); 0 = Milo's default
 * @param maxNodesPerRead MaxNodesPerRead (Milo enforces it); 0 = Milo's default
 * @param subscriptions whether the server offers subscriptions; false refuses CreateSubscription
 *     with Bad_ServiceUnsupported (a server for {@code mode: poll})
 * @param events whether machine state changes raise events: a BaseEventType event per state change
 *     and an AlarmConditionType "fault" event when a machine goes DOWN (active) and when it
 *     recovers (inactive)
 */
public record OpcUaServerOptions(
    int bulkVariables,
    int maxMonitoredItemsPerCall,
    int maxMonitoredItemsPerSubscription,
    int maxNodesPerBrowse,
    int maxNodesPerRead,
    boolean subscriptions,
    boolean events) {

  /** Variables per bulk line. */
  public static final int BULK_PER_LINE = 1000;

  /** Variables per bulk device. */
  public static final int BULK_PER_DEVICE = 10;

  public OpcUaServerOptions {
    check(bulkVariables >= 0 && bulkVariables <= 1_000_000, "bulkVariables", bulkVariables);
    check(maxMonitoredItemsPerCall >= 0, "maxMonitoredItemsPerCall", maxMonitoredItemsPerCall);
    check(
        maxMonitoredItemsPerSubscription >= 0,
        "maxMonitoredItemsPerSubscription",
        maxMonitoredItemsPerSubscription);
    check(maxNodesPerBrowse >= 0, "maxNodesPerBrowse", maxNodesPerBrowse);
    check(maxNodesPerRead >= 0, "maxNodesPerRead", maxNodesPerRead);
  }

  /** No bulk variables, Milo's limits, subscriptions and events on. */
  public static OpcUaServerOptions defaults() {
    return new OpcUaServerOptions(0, 0, 0, 0, 0, true, true);
  }

  /** With {@code n} bulk variables (0 to 1,000,000). */
  public OpcUaServerOptions withBulkVariables(int n) {
    return new OpcUaServerOptions(
        n,
        maxMonitoredItemsPerCall,
        maxMonitoredItemsPerSubscription,
        maxNodesPerBrowse,
        maxNodesPerRead,
        subscriptions,
        events);
  }

  /** With these operation limits (0 = none). */
  public OpcUaServerOptions withLimits(
      int monitoredItemsPerCall,
      int monitoredItemsPerSubscription,
      int nodesPerBrowse,
      int nodesPerRead) {
    return new OpcUaServerOptions(
        bulkVariables,
        monitoredItemsPerCall,
        monitoredItemsPerSubscription,
        nodesPerBrowse,
        nodesPerRead,
        subscriptions,
        events);
  }

  /** With or without subscriptions. */
  public OpcUaServerOptions withSubscriptions(boolean on) {
    return new OpcUaServerOptions(
        bulkVariables,
        maxMonitoredItemsPerCall,
        maxMonitoredItemsPerSubscription,
        maxNodesPerBrowse,
        maxNodesPerRead,
        on,
        events);
  }

  /** With or without events and alarms. */
  public OpcUaServerOptions withEvents(boolean on) {
    return new OpcUaServerOptions(
        bulkVariables,
        maxMonitoredItemsPerCall,
        maxMonitoredItemsPerSubscription,
        maxNodesPerBrowse,
        maxNodesPerRead,
        subscriptions,
        on);
  }

  private static void check(boolean ok, String key, int value) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Invalid value "
              + value
              + " for opcUaOptions."
              + key
              + ": expected >= 0"
              + (key.equals("bulkVariables") ? " and <= 1000000" : ""));
    }
  }
}
