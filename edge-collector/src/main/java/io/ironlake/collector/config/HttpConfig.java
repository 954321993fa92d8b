package io.ironlake.collector.config;

import java.util.Objects;

/**
 * The collector's operations endpoint ({@code /health/live}, {@code /health/ready}, {@code
 * /metrics}): the {@code http} mapping of the YAML file.
 *
 * @param bind {@code http.bind}: the address to listen on
 * @param port {@code http.port}: the TCP port, 0 for no endpoint
 * @param tls {@code http.cert-file} and {@code http.key-file}: serve HTTPS with them, or {@code
 *     null} for plain HTTP
 * @param auth {@code http.auth} and its credentials: who may read {@code /health/ready} and {@code
 *     /metrics}, or {@code null} for anyone
 */
public record HttpConfig(String bind, int port, HttpTlsConfig tls, HttpAuthConfig auth) {
  public static final String BIND_DEFAULT = "127.0.0.1";
  public static final int PORT_DEFAULT = 9464;

  /** No endpoint: what configs built in code get unless they ask for one. */
  public static final HttpConfig OFF = new HttpConfig(BIND_DEFAULT, 0);

  public HttpConfig {
    Objects.requireNonNull(bind, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port: " + port + ", expected 0..65535");
    }
  }

  /** Plain HTTP, no authentication. */
  public HttpConfig(String bind, int port) {
    this(bind, port, null, null);
  }

  /** The YAML defaults: 127.0.0.1:9464. */
  public static HttpConfig defaults() {
    return new HttpConfig(BIND_DEFAULT, PORT_DEFAULT);
  }

  /** An endpoint on 127.0.0.1 at this port. */
  public static HttpConfig onPort(int port) {
    return new HttpConfig(BIND_DEFAULT, port);
  }

  /** Whether the endpoint is on. */
  public boolean enabled() {
    return port != 0;
  }

  /** A copy serving HTTPS with these files. */
  public HttpConfig withTls(HttpTlsConfig settings) {
    return new HttpConfig(bind, port, settings, auth);
  }

  /** A copy asking for these credentials. */
  public HttpConfig withAuth(HttpAuthConfig settings) {
    return new HttpConfig(bind, port, tls, settings);
  }
}
