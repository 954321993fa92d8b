package io.ironlake.collector.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ironlake.collector.CollectorException;
import io.ironlake.collector.SourceState;
import io.ironlake.collector.config.HttpAuthConfig;
import io.ironlake.collector.config.HttpConfig;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's operations endpoint on the JDK's HTTP server: {@code /health/live} (200 while the
 * process serves), {@code /health/ready} (200 when every source is READY, else 503; a JSON body
 * lists each source's state) and {@code /metrics} (Prometheus text format). With {@code
 * http.cert-file} it serves HTTPS only; with {@code http.auth} the ready and metrics paths answer
 * 401 without the right {@code Authorization} header, while liveness stays open for probes.
 */
public final class OpsHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<Map<String, Map.Entry<String, SourceState>>> states;

  private OpsHttpServer(
      HttpServer server,
      ExecutorService executor,
      Supplier<Map<String, Map.Entry<String, SourceState>>> states) {
    this.server = server;
    this.executor = executor;
    this.states = states;
  }

  /**
   * Starts the endpoint.
   *
   * @param states each source's type and state by name
   * @throws CollectorException when the address cannot be bound (e.g. the port is in use)
   */
  public static OpsHttpServer start(
      HttpConfig config,
      String collectorId,
      PrometheusRegistry registry,
      Supplier<Map<String, Map.Entry<String, SourceState>>> states) {
    // Both before binding: a bad certificate or a missing secret fails the start, naming the key.
    SSLContext tls = config.tls() == null ? null : HttpSecurity.serverContext(config.tls());
    byte[] expected =
        config.auth() == null ? null : HttpSecurity.expectedAuthorization(config.auth());
    HttpServer server;
    try {
      InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
      if (tls != null) {
        HttpsServer https = HttpsServer.create(address, 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      } else {
        server = HttpServer.create(address, 16);
      }
    } catch (IOException e) {
      throw new CollectorException(
          "Cannot start the HTTP endpoint on "
              + config.bind()
              + ":"
              + config.port()
              + " (http.bind, http.port): "
              + e.getMessage(),
          e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ironlake-collector-http");
              t.setDaemon(true);
              return t;
            });
    OpsHttpServer ops = new OpsHttpServer(server, executor, states);
    server.setExecutor(executor);
    Filter auth = expected == null ? null : new AuthFilter(collectorId, config.auth(), expected);
    HttpContext metrics = server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/health/live", ex -> ops.live(ex));
    HttpContext ready = server.createContext("/health/ready", ex -> ops.ready(ex));
    if (auth != null) {
      metrics.getFilters().add(auth);
      ready.getFilters().add(auth);
    }
    server.start();
    LOG.info(
        "http endpoint started: collectorId={}, address={}:{}, scheme={}, auth={},"
            + " paths=/health/live,/health/ready,/metrics",
        collectorId,
        config.bind(),
        ops.port(),
        tls == null ? "http" : "https",
        config.auth() == null ? "none" : config.auth().scheme() + " (live open)");
    return ops;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void live(HttpExchange ex) throws IOException {
    respond(ex, 200, "{\"status\":\"live\"}");
  }

  private void ready(HttpExchange ex) throws IOException {
    Map<String, Map.Entry<String, SourceState>> now = states.get();
    boolean ready = now.values().stream().allMatch(e -> e.getValue() == SourceState.READY);
    ObjectNode body = JSON.createObjectNode();
    body.put("status", ready ? "ready" : "not ready");
    ArrayNode sources = body.putArray("sources");
    now.forEach(
        (name, e) ->
            sources
                .addObject()
                .put("name", name)
                .put("type", e.getKey())
                .put("state", e.getValue().name()));
    respond(ex, ready ? 200 : 503, JSON.writeValueAsString(body));
  }

  private static void respond(HttpExchange ex, int status, String json) throws IOException {
    try (ex) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      if ("HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Answers 401 to a request without the expected {@code Authorization} header. */
  private static final class AuthFilter extends Filter {
    private final String collectorId;
    private final String challenge;
    private final byte[] expected;
    private long refused;

    AuthFilter(String collectorId, HttpAuthConfig auth, byte[] expected) {
      this.collectorId = collectorId;
      this.challenge =
          (HttpAuthConfig.BASIC.equals(auth.scheme()) ? "Basic" : "Bearer")
              + " realm=\"ironlake-collector\"";
      this.expected = expected;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
      if (HttpSecurity.matches(expected, ex.getRequestHeaders().getFirst("Authorization"))) {
        chain.doFilter(ex);
        return;
      }
      long n;
      synchronized (this) {
        n = ++refused;
      }
      if ((n & (n - 1)) == 0) {
        // Never the header itself: it may hold a real credential meant for something else.
        LOG.warn(
            "http request refused, missing or wrong credentials: collectorId={}, path={},"
                + " remote={}, refusedSoFar={}",
            collectorId,
            ex.getRequestURI().getPath(),
            ex.getRemoteAddress(),
            n);
      }
      ex.getResponseHeaders().set("WWW-Authenticate", challenge);
      respond(ex, 401, "{\"status\":\"unauthorized\"}");
    }

    @Override
    public String description() {
      return "Authorization check";
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
