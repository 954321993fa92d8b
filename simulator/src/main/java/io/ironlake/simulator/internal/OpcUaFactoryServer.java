package io.ironlake.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.simulator.OpcUaServerOptions;
import io.ironlake.simulator.OpcUaServerSecurity;
import io.ironlake.simulator.SimulatorException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.sdk.server.subscriptions.SubscriptionManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RequestHeader;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's OPC UA server (Eclipse Milo) at {@code opc.tcp://127.0.0.1:PORT/ironlake}: one
 * endpoint per configured security policy and mode (None/None; Sign and SignAndEncrypt for the
 * others), each accepting the configured identities; its certificate comes from {@link ServerPki}.
 */
public final class OpcUaFactoryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpcUaFactoryServer.class);

  /** The endpoint path. */
  public static final String PATH = "/ironlake";

  private static final String HOST = "127.0.0.1";
  private static final String APPLICATION_URI = "urn:ironlake:simulator:server";
  private static final int START_ATTEMPTS = 3;

  static {
    // Aes256_Sha256_RsaPss signs with SHA256withRSA/PSS, which Milo takes from Bouncy Castle.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private final OpcUaServer server;
  private final FactoryNamespace namespace;
  private final String endpointUrl;
  private final AtomicLong createMonitoredItemsCalls;

  private OpcUaFactoryServer(
      OpcUaServer server, FactoryNamespace namespace, String endpointUrl, AtomicLong calls) {
    this.server = server;
    this.namespace = namespace;
    this.endpointUrl = endpointUrl;
    this.createMonitoredItemsCalls = calls;
  }

  /** CreateMonitoredItems requests served (refused ones included). */
  public long createMonitoredItemsCalls() {
    return createMonitoredItemsCalls.get();
  }

  /** Monitored items that exist on the server now, over every session. */
  public long monitoredItemCount() {
    return server.getMonitoredItemCount().get();
  }

  /**
   * Deletes every subscription of every session the way the server's DeleteSubscriptions service
   * does, but without the client asking and without a StatusChangeNotification: what a client sees
   * of a server that lost its subscriptions (a lifetime that ran out while no Publish request was
   * queued, a device that dropped them under load). Sessions stay active.
   *
   * @return how many subscriptions were deleted
   */
  public int dropSubscriptions() {
    int dropped = 0;
    for (Session session : server.getSessionManager().getAllSessions()) {
      SubscriptionManager subscriptions = session.getSubscriptionManager();
      UInteger[] ids =
          subscriptions.getSubscriptions().stream()
              .map(Subscription::getId)
              .toArray(UInteger[]::new);
      if (ids.length == 0) {
        continue;
      }
      RequestHeader header =
          new RequestHeader(
              NodeId.NULL_VALUE, DateTime.now(), uint(0), uint(0), null, uint(0), null);
      subscriptions.deleteSubscriptions(new DeleteSubscriptionsRequest(header, ids)).join();
      dropped += ids.length;
    }
    return dropped;
  }

  /**
   * Starts the server on 127.0.0.1 and {@code port} (0 = a free port) serving the given lines,
   * insecure (policy None, anonymous) with a certificate made in memory.
   *
   * @param devicesByLine OPC UA lines in order, each with its devices
   */
  public static OpcUaFactoryServer start(
      int port, String site, String area, Map<String, List<String>> devicesByLine) {
    return start(
        port,
        site,
        area,
        devicesByLine,
        OpcUaServerSecurity.insecure(),
        ServerPki.open(null, APPLICATION_URI, false),
        OpcUaServerOptions.defaults());
  }

  /**
   * Starts the server on 127.0.0.1 and {@code port} (0 = a free port) serving the given lines with
   * the given security, certificate and options (bulk variables, operation limits, events).
   *
   * @param devicesByLine OPC UA lines in order, each with its devices
   */
  public static OpcUaFactoryServer start(
      int port,
      String site,
      String area,
      Map<String, List<String>> devicesByLine,
      OpcUaServerSecurity security,
      ServerPki pki,
      OpcUaServerOptions options) {
    return start(port, site, area, devicesByLine, security, pki, options, new FaultConditions());
  }

  /**
   * Starts the server as {@link #start(int, String, String, Map, OpcUaServerSecurity, ServerPki,
   * OpcUaServerOptions)} does, its conditions built from {@code conditions} (which a restarted
   * server shares with the one before).
   */
  public static OpcUaFactoryServer start(
      int port,
      String site,
      String area,
      Map<String, List<String>> devicesByLine,
      OpcUaServerSecurity security,
      ServerPki pki,
      OpcUaServerOptions options,
      FaultConditions conditions) {
    long startNanos = System.nanoTime();
    DefaultCertificateManager certificates = certificates(pki);
    Exception last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int bindPort = port == 0 ? freePort() : port;
      OpcUaServer server =
          new OpcUaServer(
              config(bindPort, certificates, security, pki, options), profile -> transport());
      AtomicLong calls = new AtomicLong();
      LimitedServiceSets.install(server, PATH, options, calls);
      FactoryNamespace namespace =
          new FactoryNamespace(server, site, area, devicesByLine, options, conditions);
      try {
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
        namespace.installConditionRefresh();
        String url = "opc.tcp://" + HOST + ":" + bindPort + PATH;
        if (security.policies().contains("None") || security.trustAllClients()) {
          LOG.warn(
              "OPC UA simulator is insecure (policy None or every client trusted; for the"
                  + " quickstart and tests only): endpoint={}, policies={}, trustAllClients={}",
              url,
              security.policies(),
              security.trustAllClients());
        }
        LOG.info(
            "OPC UA simulator started: endpoint={}, namespaceIndex={}, startMillis={}",
            url,
            namespace.getNamespaceIndex(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return new OpcUaFactoryServer(server, namespace, url, calls);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopQuietly(server, namespace);
        throw new SimulatorException("Cannot start OPC UA simulator: interrupted", e);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        stopQuietly(server, namespace);
        last = e;
        if (port != 0 || !isBindFailure(e)) {
          break;
        }
        LOG.warn("OPC UA simulator port taken, retrying: attempt={}, port={}", attempt, bindPort);
      }
    }
    throw new SimulatorException(
        "Cannot start OPC UA simulator on " + HOST + ":" + port + ": " + rootMessage(last), last);
  }

  /** The endpoint URL, {@code opc.tcp://127.0.0.1:PORT/ironlake}. */
  public String endpointUrl() {
    return endpointUrl;
  }

  /** The TCP port it listens on. */
  public int port() {
    return Integer.parseInt(
        endpointUrl.substring(
            endpointUrl.lastIndexOf(':') + 1,
            endpointUrl.indexOf(PATH, endpointUrl.lastIndexOf(':'))));
  }

  /** The namespace holding the factory's variables. */
  public FactoryNamespace namespace() {
    return namespace;
  }

  @Override
  public void close() {
    stopQuietly(server, namespace);
    LOG.info("OPC UA simulator stopped: endpoint={}", endpointUrl);
  }

  /** The application URI of the simulator's server; its certificate carries it. */
  public static String applicationUri() {
    return APPLICATION_URI;
  }

  private static OpcUaServerConfig config(
      int port,
      DefaultCertificateManager certificates,
      OpcUaServerSecurity security,
      ServerPki pki,
      OpcUaServerOptions options) {
    List<UserTokenPolicy> tokens = new ArrayList<>();
    List<IdentityValidator> validators = new ArrayList<>();
    if (security.anonymous()) {
      tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
      validators.add(AnonymousIdentityValidator.INSTANCE);
    }
    if (!security.users().isEmpty()) {
      tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
      Map<String, String> users = security.users();
      validators.add(
          new UsernameIdentityValidator(
              c -> c.getPassword() != null && c.getPassword().equals(users.get(c.getUsername()))));
    }
    if (!security.trustedUserCertificates().isEmpty()) {
      tokens.add(OpcUaServerConfig.USER_TOKEN_POLICY_X509);
      List<X509Certificate> trusted = security.trustedUserCertificates();
      validators.add(new X509IdentityValidator(trusted::contains));
    }
    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    for (String name : security.policies()) {
      SecurityPolicy policy = SecurityPolicy.valueOf(name);
      List<MessageSecurityMode> modes =
          policy == SecurityPolicy.None
              ? List.of(MessageSecurityMode.None)
              : List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt);
      for (MessageSecurityMode mode : modes) {
        endpoints.add(
            EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(HOST)
                .setHostname(HOST)
                .setBindPort(port)
                .setPath(PATH)
                .setCertificate(pki.certificate())
                .setSecurityPolicy(policy)
                .setSecurityMode(mode)
                .addTokenPolicies(tokens.toArray(new UserTokenPolicy[0]))
                .build());
      }
    }
    return OpcUaServerConfig.builder()
        .setApplicationUri(APPLICATION_URI)
        .setApplicationName(LocalizedText.english("Ironlake factory simulator"))
        .setProductUri(FactoryNamespace.NAMESPACE_URI)
        .setCertificateManager(certificates)
        .setIdentityValidator(new CompositeValidator(validators))
        .setEndpoints(endpoints)
        .setLimits(LimitedServiceSets.limits(options))
        .build();
  }

  private static OpcTcpServerTransport transport() {
    return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build());
  }

  /** The certificate manager around the server's certificate and its client validator. */
  private static DefaultCertificateManager certificates(ServerPki pki) {
    try {
      KeyPair keyPair = pki.keyPair();
      X509Certificate certificate = pki.certificate();
      var trustList = new MemoryTrustListManager();
      var quarantine = new MemoryCertificateQuarantine();
      var factory =
          new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
              return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair pair) {
              return new X509Certificate[] {certificate};
            }
          };
      var group =
          DefaultApplicationGroup.createAndInitialize(
              trustList, new MemoryCertificateStore(), factory, pki.clientValidator());
      return new DefaultCertificateManager(quarantine, group);
    } catch (Exception e) {
      throw new SimulatorException(
          "Cannot start OPC UA simulator: cannot set up its certificate: " + e.getMessage(), e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new SimulatorException(
          "Cannot start OPC UA simulator: no free port on " + HOST + ": " + e.getMessage(), e);
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t != null && t.getCause() != null) {
      t = t.getCause();
    }
    return t == null ? "unknown error" : t.toString();
  }

  private static void stopQuietly(OpcUaServer server, FactoryNamespace namespace) {
    try {
      server.shutdown().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("OPC UA simulator did not stop cleanly: error={}", e.toString());
    }
    try {
      namespace.shutdown();
    } catch (RuntimeException e) {
      LOG.debug("OPC UA namespace shutdown: error={}", e.toString());
    }
  }
}
