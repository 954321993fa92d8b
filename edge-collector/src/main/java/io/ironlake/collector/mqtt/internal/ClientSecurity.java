package io.ironlake.collector.mqtt.internal;

import io.ironlake.collector.config.MqttAuthConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.MqttTlsConfig;
import io.ironlake.collector.internal.PemKeys;
import io.ironlake.collector.mqtt.MqttClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS socket factories from PEM files and passwords from files or environment variables, read each
 * time the source connects (so a renewed certificate or password is picked up at the next
 * reconnect). Passwords are never logged.
 */
public final class ClientSecurity {
  private ClientSecurity() {}

  /**
   * The password of a login: the file's content without trailing line breaks, or the environment
   * variable's value.
   *
   * @throws MqttClientException when the file cannot be read or the variable is not set
   */
  public static char[] password(MqttAuthConfig auth) {
    if (auth.passwordFile() != null) {
      try {
        String text = Files.readString(auth.passwordFile(), StandardCharsets.UTF_8);
        return text.replaceAll("[\\r\\n]+$", "").toCharArray();
      } catch (IOException e) {
        throw new MqttClientException(
            "Cannot read password-file " + auth.passwordFile() + ": " + e.getMessage(), -1, e);
      }
    }
    if (auth.passwordEnv() != null) {
      String value = System.getenv(auth.passwordEnv());
      if (value == null) {
        throw new MqttClientException(
            "Cannot read the password: environment variable "
                + auth.passwordEnv()
                + " (password-env) is not set",
            -1,
            null);
      }
      return value.toCharArray();
    }
    return null;
  }

  /**
   * The socket factory for a source's broker: TLS with its settings, buffered plain sockets for a
   * {@code tcp://} broker, or {@code null} for Paho's default (an {@code ssl://} broker without TLS
   * settings: the JVM's trust store).
   *
   * @throws MqttClientException naming the TLS file that cannot be used
   */
  public static SocketFactory sockets(MqttSourceConfig config) {
    return config.tls() != null
        ? socketFactory(config.tls())
        : BufferedSocketFactory.forBroker(config.broker());
  }

  /**
   * A socket factory that trusts the CA file (or the JVM's trust store) and presents the client
   * certificate, if any.
   *
   * @throws MqttClientException naming the file that cannot be used
   */
  public static SSLSocketFactory socketFactory(MqttTlsConfig tls) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (tls.caFile() == null) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certificates(cf, tls.caFile(), "ca-file")) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
        tmf.init(trust);
      }
      KeyManager[] keyManagers = null;
      if (tls.certFile() != null && tls.keyFile() != null) {
        Certificate[] chain =
            certificates(cf, tls.certFile(), "cert-file").toArray(new Certificate[0]);
        PrivateKey key = privateKey(tls.keyFile());
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain);
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        keyManagers = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new MqttClientException("Cannot set up TLS: " + e.getMessage(), -1, e);
    }
  }

  private static Collection<? extends Certificate> certificates(
      CertificateFactory cf, Path file, String key) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = cf.generateCertificates(in);
      if (certs.isEmpty()) {
        throw new MqttClientException(
            "Cannot use " + key + " " + file + ": no PEM certificate in it", -1, null);
      }
      return certs;
    } catch (java.security.cert.CertificateException e) {
      throw new MqttClientException(
          "Cannot use " + key + " " + file + ": not a PEM certificate (" + e.getMessage() + ")",
          -1,
          e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    try {
      return PemKeys.privateKey(file);
    } catch (PemKeys.NotAPrivateKeyException e) {
      throw new MqttClientException(
          "Cannot use key-file " + file + ": " + e.getMessage(), -1, null);
    }
  }
}
