package io.ironlake.simulator.internal;

import io.ironlake.simulator.OpcUaServerOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.servicesets.MonitoredItemServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.SubscriptionServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultMonitoredItemServiceSet;
import org.eclipse.milo.opcua.sdk.server.servicesets.impl.DefaultSubscriptionServiceSet;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifyMonitoredItemsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifyMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetMonitoringModeRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetMonitoringModeResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetTriggeringRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetTriggeringResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * Makes the simulator's server behave like a small PLC: advertises the configured operation limits,
 * refuses a CreateMonitoredItems request over MaxMonitoredItemsPerCall (Bad_TooManyOperations) and
 * items beyond the per-subscription maximum (Bad_TooManyMonitoredItems), and without subscriptions
 * refuses CreateSubscription (Bad_ServiceUnsupported). Milo 1.1.2 itself enforces only the Read and
 * Browse limits.
 */
final class LimitedServiceSets {
  private LimitedServiceSets() {}

  /** The server limits: Milo's defaults, overridden where the options set one. */
  static OpcUaServerConfigLimits limits(OpcUaServerOptions o) {
    return new OpcUaServerConfigLimits() {
      @Override
      public UInteger getMaxMonitoredItemsPerCall() {
        return o.maxMonitoredItemsPerCall() > 0
            ? Unsigned.uint(o.maxMonitoredItemsPerCall())
            : OpcUaServerConfigLimits.super.getMaxMonitoredItemsPerCall();
      }

      @Override
      public UInteger getMaxNodesPerBrowse() {
        return o.maxNodesPerBrowse() > 0
            ? Unsigned.uint(o.maxNodesPerBrowse())
            : OpcUaServerConfigLimits.super.getMaxNodesPerBrowse();
      }

      @Override
      public UInteger getMaxNodesPerRead() {
        return o.maxNodesPerRead() > 0
            ? Unsigned.uint(o.maxNodesPerRead())
            : OpcUaServerConfigLimits.super.getMaxNodesPerRead();
      }
    };
  }

  /** Installs the enforcing service sets on the endpoint path. */
  static void install(OpcUaServer server, String path, OpcUaServerOptions o, AtomicLong calls) {
    server.addServiceSet(path, new MonitoredItems(server, o, calls));
    if (!o.subscriptions()) {
      server.addServiceSet(path, new NoSubscriptions(server));
    }
  }

  private static final class MonitoredItems implements MonitoredItemServiceSet {
    private final OpcUaServer server;
    private final OpcUaServerOptions options;
    private final DefaultMonitoredItemServiceSet delegate;
    private final AtomicLong calls;
    // Items created per subscription id (deletions are not subtracted: the simulator's clients
    // do not delete single items).
    private final java.util.Map<UInteger, AtomicLong> perSubscription =
        new java.util.concurrent.ConcurrentHashMap<>();

    MonitoredItems(OpcUaServer server, OpcUaServerOptions options, AtomicLong calls) {
      this.server = server;
      this.options = options;
      this.delegate = new DefaultMonitoredItemServiceSet(server);
      this.calls = calls;
    }

    @Override
    public CreateMonitoredItemsResponse onCreateMonitoredItems(
        ServiceRequestContext context, CreateMonitoredItemsRequest request) throws UaException {
      calls.incrementAndGet();
      int n = request.getItemsToCreate() == null ? 0 : request.getItemsToCreate().length;
      if (options.maxMonitoredItemsPerCall() > 0 && n > options.maxMonitoredItemsPerCall()) {
        throw new UaException(StatusCodes.Bad_TooManyOperations);
      }
      AtomicLong have =
          perSubscription.computeIfAbsent(request.getSubscriptionId(), id -> new AtomicLong());
      if (options.maxMonitoredItemsPerSubscription() > 0
          && have.get() + n > options.maxMonitoredItemsPerSubscription()) {
        throw new UaException(StatusCodes.Bad_TooManyMonitoredItems);
      }
      CreateMonitoredItemsResponse response = delegate.onCreateMonitoredItems(context, request);
      if (response.getResults() != null) {
        for (var r : response.getResults()) {
          if (r.getStatusCode() == null || r.getStatusCode().isGood()) {
            have.incrementAndGet();
          }
        }
      }
      return response;
    }

    @Override
    public ModifyMonitoredItemsResponse onModifyMonitoredItems(
        ServiceRequestContext context, ModifyMonitoredItemsRequest request) throws UaException {
      return delegate.onModifyMonitoredItems(context, request);
    }

    @Override
    public DeleteMonitoredItemsResponse onDeleteMonitoredItems(
        ServiceRequestContext context, DeleteMonitoredItemsRequest request) throws UaException {
      return delegate.onDeleteMonitoredItems(context, request);
    }

    @Override
    public SetMonitoringModeResponse onSetMonitoringMode(
        ServiceRequestContext context, SetMonitoringModeRequest request) throws UaException {
      return delegate.onSetMonitoringMode(context, request);
    }

    @Override
    public SetTriggeringResponse onSetTriggering(
        ServiceRequestContext context, SetTriggeringRequest request) throws UaException {
      return delegate.onSetTriggering(context, request);
    }
  }

  private static final class NoSubscriptions implements SubscriptionServiceSet {
    private final DefaultSubscriptionServiceSet delegate;

    NoSubscriptions(OpcUaServer server) {
      this.delegate = new DefaultSubscriptionServiceSet(server);
    }

    @Override
    public CreateSubscriptionResponse onCreateSubscription(
        ServiceRequestContext context, CreateSubscriptionRequest request) throws UaException {
      throw new UaException(StatusCodes.Bad_ServiceUnsupported);
    }

    @Override
    public ModifySubscriptionResponse onModifySubscription(
        ServiceRequestContext context, ModifySubscriptionRequest request) throws UaException {
      return delegate.onModifySubscription(context, request);
    }

    @Override
    public DeleteSubscriptionsResponse onDeleteSubscriptions(
        ServiceRequestContext context, DeleteSubscriptionsRequest request) throws UaException {
      return delegate.onDeleteSubscriptions(context, request);
    }

    @Override
    public TransferSubscriptionsResponse onTransferSubscriptions(
        ServiceRequestContext context, TransferSubscriptionsRequest request) throws UaException {
      return delegate.onTransferSubscriptions(context, request);
    }

    @Override
    public SetPublishingModeResponse onSetPublishingMode(
        ServiceRequestContext context, SetPublishingModeRequest request) throws UaException {
      return delegate.onSetPublishingMode(context, request);
    }

    @Override
    public RepublishResponse onRepublish(ServiceRequestContext context, RepublishRequest request)
        throws UaException {
      return delegate.onRepublish(context, request);
    }

    @Override
    public CompletableFuture<PublishResponse> onPublish(
        ServiceRequestContext context, PublishRequest request) {
      return delegate.onPublish(context, request);
    }
  }
}
