package io.ironlake.collector.opcua;

import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges an OPC UA condition on a source's server, as an engineer would from the plant's
 * alarm list: one session with the source's endpoint, security and identity, one call of {@code
 * AcknowledgeableConditionType.Acknowledge(EventId, Comment)} on the condition (the {@code
 * condition_id} and {@code event_id} of its record on events.v1), then disconnect.
 */
public final class OpcUaAcknowledger {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaAcknowledger.class);

  private OpcUaAcknowledger() {}

  /**
   * Calls Acknowledge and returns the server's answer: Good, or e.g. Bad_EventIdUnknown (not the
   * condition's latest event), Bad_ConditionBranchAlreadyAcked, Bad_NodeIdUnknown,
   * Bad_MethodInvalid (not an acknowledgeable condition), Bad_UserAccessDenied.
   *
   * @param conditionId the ConditionId as on events.v1 ({@code ns=}, {@code nsu=}, or short with
   *     the source's namespace-uri)
   * @param eventId the EventId being acknowledged
   * @throws OpcUaConnectException if the server cannot be reached or refuses the session
   */
  public static StatusCode acknowledge(
      String collectorId,
      OpcUaSourceConfig config,
      Path pkiDir,
      String conditionId,
      byte[] eventId,
      String comment) {
    OpcUaPki pki =
        config.security().secured() || config.security().identity() instanceof OpcUaIdentity.X509
            ? OpcUaPki.open(
                pkiDir,
                MiloClients.applicationUri(collectorId),
                "Ironlake edge collector " + collectorId)
            : null;
    OpcUaClient client = MiloClients.connect(config, collectorId, pki);
    try {
      NodeId condition =
          MiloClients.resolve(conditionId, config.namespaceUri(), client.readNamespaceTable())
              .orElse(null);
      if (condition == null) {
        return new StatusCode(StatusCodes.Bad_NodeIdUnknown);
      }
      StatusCode status =
          client
              .call(
                  List.of(
                      new CallMethodRequest(
                          condition,
                          NodeIds.AcknowledgeableConditionType_Acknowledge,
                          new Variant[] {
                            new Variant(ByteString.of(eventId)),
                            new Variant(LocalizedText.english(comment == null ? "" : comment))
                          })))
              .getResults()[0]
              .getStatusCode();
      LOG.info(
          "opcua condition acknowledge: source={}, condition={}, status={}",
          config.name(),
          conditionId,
          status);
      return status;
    } catch (UaException e) {
      return e.getStatusCode();
    } finally {
      try {
        client.disconnect();
      } catch (UaException | RuntimeException e) {
        LOG.debug("opcua disconnect failed: error={}", e.toString());
      }
    }
  }
}
