package io.ironlake.collector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.config.OpcUaSourceConfig;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/** Creates Milo clients for a source and resolves its node ids against a server. */
public final class MiloClients {
  private MiloClients() {}

  /**
   * A client for the source's endpoint with security policy None and anonymous login (the only
   * policy this version supports), not yet connected.
   *
   * @throws UaException when the server's endpoints cannot be read or none fits
   */
  public static OpcUaClient create(OpcUaSourceConfig config, String collectorId)
      throws UaException {
    String host = EndpointUtil.getHost(config.endpoint());
    int port = EndpointUtil.getPort(config.endpoint());
    return OpcUaClient.create(
        config.endpoint(),
        endpoints ->
            endpoints.stream()
                .filter(MiloClients::isNoneAnonymous)
                .findFirst()
                // Servers often advertise a host name the collector cannot resolve; use the
                // configured address instead.
                .map(e -> EndpointUtil.updateUrl(e, host, port)),
        transport -> {},
        client ->
            client
                .setApplicationName(LocalizedText.english("Ironlake edge collector"))
                .setApplicationUri("urn:ironlake:edge-collector:" + collectorId)
                .setProductUri("urn:ironlake:edge-collector")
                .setSessionName(() -> "ironlake-" + collectorId + "-" + config.name())
                .setIdentityProvider(AnonymousProvider.INSTANCE)
                .setRequestTimeout(uint(10_000)));
  }

  /**
   * The node id of a configured node on this server: {@code ns=} as written, {@code nsu=} and the
   * short form (with the source's {@code namespace-uri}) through the server's namespace table.
   *
   * @return empty when the server does not have the namespace
   */
  public static Optional<NodeId> resolve(
      String nodeId, String namespaceUri, NamespaceTable namespaces) {
    String full =
        nodeId.startsWith("ns=") || nodeId.startsWith("nsu=")
            ? nodeId
            : "nsu=" + namespaceUri + ";" + nodeId;
    return ExpandedNodeId.parse(full).toNodeId(namespaces);
  }

  private static boolean isNoneAnonymous(EndpointDescription e) {
    if (!SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())) {
      return false;
    }
    UserTokenPolicy[] tokens = e.getUserIdentityTokens();
    if (tokens == null) {
      return false;
    }
    for (UserTokenPolicy p : tokens) {
      if (p.getTokenType() == UserTokenType.Anonymous) {
        return true;
      }
    }
    return false;
  }
}
