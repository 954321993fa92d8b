package io.ironlake.collector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSecurityConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.OpcUaConnectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Opens Milo client sessions for a source: picks the server endpoint matching the configured
 * security policy, mode and identity, checks the server certificate against the PKI folder, logs
 * in, and turns each kind of refusal into a message that says what to fix.
 */
public final class MiloClients {
  private static final long TIMEOUT_MS = 10_000;

  static {
    // Aes256_Sha256_RsaPss signs with SHA256withRSA/PSS, which Milo takes from Bouncy Castle.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private MiloClients() {}

  /** The collector's OPC UA application URI; its certificate carries it. */
  public static String applicationUri(String collectorId) {
    return "urn:ironlake:edge-collector:" + collectorId;
  }

  /**
   * Creates a client for the source's endpoint and opens its session.
   *
   * @param pki the collector's PKI folder; may be null only with security policy None and no X.509
   *     identity
   * @throws OpcUaConnectException with a message naming the cause and what to fix
   */
  public static OpcUaClient connect(OpcUaSourceConfig config, String collectorId, OpcUaPki pki) {
    OpcUaSecurityConfig security = config.security();
    String endpointUrl = config.endpoint();
    if (security.secured() && pki == null) {
      throw new OpcUaConnectException(
          "Cannot connect to "
              + endpointUrl
              + ": security policy "
              + security.policy()
              + " needs the collector's PKI folder, and none was given",
          0,
          null);
    }
    List<EndpointDescription> endpoints;
    try {
      endpoints = DiscoveryClient.getEndpoints(endpointUrl).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpcUaConnectException("Cannot connect to " + endpointUrl + ": interrupted", 0, e);
    } catch (ExecutionException | TimeoutException e) {
      throw failure(endpointUrl, "cannot read its endpoints", e);
    }
    EndpointDescription endpoint = select(endpointUrl, endpoints, security);
    OpcUaPki.ServerValidator validator =
        pki == null ? null : pki.serverValidator(config.name(), security.trustUnknownServers());
    IdentityProvider identity = identity(endpointUrl, security.identity(), validator);
    OpcUaClientConfigBuilder b = new OpcUaClientConfigBuilder();
    b.setEndpoint(endpoint)
        .setApplicationName(LocalizedText.english("Ironlake edge collector"))
        .setApplicationUri(applicationUri(collectorId))
        .setProductUri("urn:ironlake:edge-collector")
        .setSessionName(() -> "ironlake-" + collectorId + "-" + config.name())
        .setIdentityProvider(identity)
        .setRequestTimeout(uint(TIMEOUT_MS));
    if (pki != null) {
      b.setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new X509Certificate[] {pki.certificate()})
          .setCertificateValidator(validator);
    }
    OpcUaClient client;
    try {
      client = OpcUaClient.create(b.build());
    } catch (UaException e) {
      throw failure(endpointUrl, "cannot create the client", e);
    }
    try {
      client.connect();
      return client;
    } catch (UaException | RuntimeException e) {
      try {
        client.disconnect();
      } catch (UaException | RuntimeException ignored) {
        // Nothing to close.
      }
      throw refusal(endpointUrl, security, pki, validator, e);
    }
  }

  /** The endpoint with the configured policy and mode that accepts the identity's token type. */
  static EndpointDescription select(
      String endpointUrl, List<EndpointDescription> endpoints, OpcUaSecurityConfig security) {
    String policyUri = policy(security.policy()).getUri();
    MessageSecurityMode mode = MessageSecurityMode.valueOf(security.mode());
    UserTokenType token = tokenType(security.identity());
    List<String> offered = new ArrayList<>();
    boolean policyAndModeFound = false;
    for (EndpointDescription e : endpoints) {
      String p = SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri()).map(Enum::name).orElse("?");
      List<String> tokens = new ArrayList<>();
      UserTokenPolicy[] policies = e.getUserIdentityTokens();
      for (UserTokenPolicy t : policies == null ? new UserTokenPolicy[0] : policies) {
        tokens.add(t.getTokenType().name());
      }
      offered.add(p + "/" + e.getSecurityMode() + " " + tokens);
      if (policyUri.equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode) {
        policyAndModeFound = true;
        if (tokens.contains(token.name())) {
          // Servers often advertise a host name the collector cannot resolve; use the
          // configured address instead.
          return EndpointUtil.updateUrl(
              e, EndpointUtil.getHost(endpointUrl), EndpointUtil.getPort(endpointUrl));
        }
      }
    }
    String why =
        policyAndModeFound
            ? "its "
                + security.policy()
                + "/"
                + security.mode()
                + " endpoint does not accept identity "
                + security.identity().kind()
                + " (token type "
                + token
                + ")"
            : "it has no endpoint with security-policy "
                + security.policy()
                + " and security-mode "
                + security.mode();
    throw new OpcUaConnectException(
        "Cannot connect to " + endpointUrl + ": " + why + "; it offers " + offered,
        StatusCodes.Bad_SecurityPolicyRejected,
        null);
  }

  private static SecurityPolicy policy(String name) {
    return SecurityPolicy.valueOf(name);
  }

  private static UserTokenType tokenType(OpcUaIdentity identity) {
    if (identity instanceof OpcUaIdentity.UserPassword) {
      return UserTokenType.UserName;
    }
    if (identity instanceof OpcUaIdentity.X509) {
      return UserTokenType.Certificate;
    }
    return UserTokenType.Anonymous;
  }

  private static IdentityProvider identity(
      String endpointUrl, OpcUaIdentity identity, OpcUaPki.ServerValidator validator) {
    if (identity instanceof OpcUaIdentity.UserPassword u) {
      // The password is encrypted with the server's certificate: check it like the channel's.
      return validator == null
          ? new UsernameProvider(u.username(), password(endpointUrl, u))
          : new UsernameProvider(u.username(), password(endpointUrl, u), validator);
    }
    if (identity instanceof OpcUaIdentity.X509 x) {
      try {
        X509Certificate cert = OpcUaPki.readCertificates(x.certificateFile()).get(0);
        PrivateKey key = OpcUaPki.readPrivateKey(x.privateKeyFile());
        return new X509IdentityProvider(cert, key);
      } catch (IOException | GeneralSecurityException e) {
        throw new OpcUaConnectException(
            "Cannot connect to "
                + endpointUrl
                + ": cannot read the user certificate "
                + x.certificateFile()
                + " or its key "
                + x.privateKeyFile()
                + ": "
                + e.getMessage(),
            0,
            e);
      }
    }
    return AnonymousProvider.INSTANCE;
  }

  private static String password(String endpointUrl, OpcUaIdentity.UserPassword u) {
    if (u.passwordEnv() != null) {
      String value = System.getenv(u.passwordEnv());
      if (value == null) {
        throw new OpcUaConnectException(
            "Cannot connect to "
                + endpointUrl
                + " as user "
                + u.username()
                + ": environment variable "
                + u.passwordEnv()
                + " (password-env) is not set",
            0,
            null);
      }
      return value;
    }
    try {
      String text = Files.readString(u.passwordFile(), StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String line = eol < 0 ? text : text.substring(0, eol);
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new OpcUaConnectException(
          "Cannot connect to "
              + endpointUrl
              + " as user "
              + u.username()
              + ": cannot read password-file "
              + u.passwordFile()
              + ": "
              + e,
          0,
          e);
    }
  }

  private static OpcUaConnectException refusal(
      String endpointUrl,
      OpcUaSecurityConfig security,
      OpcUaPki pki,
      OpcUaPki.ServerValidator validator,
      Throwable e) {
    if (validator != null && validator.refusal() != null) {
      return new OpcUaConnectException(
          "Cannot connect to " + endpointUrl + ": " + validator.refusal(),
          StatusCodes.Bad_SecurityChecksFailed,
          e);
    }
    long status = UaException.extractStatusCode(e).map(StatusCode::value).orElse(0L);
    String name = StatusCodes.lookup(status).map(s -> s[0]).orElse("0x" + Long.toHexString(status));
    if (status == StatusCodes.Bad_UserAccessDenied
        || status == StatusCodes.Bad_IdentityTokenRejected
        || status == StatusCodes.Bad_IdentityTokenInvalid) {
      String what;
      if (security.identity() instanceof OpcUaIdentity.UserPassword u) {
        what =
            "user "
                + u.username()
                + ": check the user name and the password in "
                + (u.passwordFile() != null
                    ? "password-file " + u.passwordFile()
                    : "password-env " + u.passwordEnv());
      } else if (security.identity() instanceof OpcUaIdentity.X509 x) {
        what = "user certificate " + x.certificateFile() + ": the server must trust it";
      } else {
        what = "anonymous: the server wants a user";
      }
      return new OpcUaConnectException(
          "Cannot connect to "
              + endpointUrl
              + ": the server refused the login ("
              + name
              + ") as "
              + what,
          status,
          e);
    }
    if (pki != null
        && (status == StatusCodes.Bad_SecurityChecksFailed
            || status == StatusCodes.Bad_CertificateUntrusted
            || status == StatusCodes.Bad_CertificateInvalid)) {
      return new OpcUaConnectException(
          "Cannot connect to "
              + endpointUrl
              + ": the server refused the collector's certificate ("
              + name
              + "); make the server trust "
              + pki.certificateFile(),
          status,
          e);
    }
    return failure(endpointUrl, "cannot open a session", e);
  }

  private static OpcUaConnectException failure(String endpointUrl, String what, Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    long status = UaException.extractStatusCode(cause).map(StatusCode::value).orElse(0L);
    return new OpcUaConnectException(
        "Cannot connect to " + endpointUrl + ": " + what + ": " + cause.getMessage(), status, e);
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
}
