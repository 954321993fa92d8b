package io.ironlake.collector.config;

import java.nio.file.Path;

/**
 * TLS towards an MQTT broker ({@code ssl://} URLs): whom to trust and, for client-certificate
 * login, who the collector is.
 *
 * @param caFile {@code ca-file}: PEM file of the CA certificate(s) the broker's certificate must
 *     chain to; {@code null} for the JVM's default trust store
 * @param certFile {@code cert-file}: PEM file of the client certificate (chain), or {@code null}
 * @param keyFile {@code key-file}: PEM file of the client certificate's private key (PKCS#8, PKCS#1
 *     or SEC1, unencrypted), or {@code null}
 * @param verifyHostname {@code verify-hostname}: whether the broker's certificate must name the
 *     host of the broker URL
 */
public record MqttTlsConfig(Path caFile, Path certFile, Path keyFile, boolean verifyHostname) {

  /** Trusts the CAs in {@code caFile}, verifies the host name, no client certificate. */
  public static MqttTlsConfig trusting(Path caFile) {
    return new MqttTlsConfig(caFile, null, null, true);
  }

  /** The same, logging in with a client certificate. */
  public MqttTlsConfig withClientCertificate(Path certFile, Path keyFile) {
    return new MqttTlsConfig(caFile, certFile, keyFile, verifyHostname);
  }
}
