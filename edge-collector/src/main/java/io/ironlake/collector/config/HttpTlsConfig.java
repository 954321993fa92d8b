package io.ironlake.collector.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * HTTPS for the operations endpoint: the server certificate it presents and its key.
 *
 * @param certFile {@code http.cert-file}: PEM file of the server certificate (chain), leaf first
 * @param keyFile {@code http.key-file}: PEM file of its private key (PKCS#8, PKCS#1 or SEC1,
 *     unencrypted)
 */
public record HttpTlsConfig(Path certFile, Path keyFile) {
  public HttpTlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }
}
