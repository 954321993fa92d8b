package io.ironlake.collector.internal;

import io.ironlake.collector.CollectorException;
import io.ironlake.collector.config.HttpAuthConfig;
import io.ironlake.collector.config.HttpTlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The operations endpoint's TLS context from PEM files, and the {@code Authorization} header it
 * expects, built from a secret read from a file or an environment variable. Secrets are never
 * logged or put in exception messages.
 */
public final class HttpSecurity {
  private HttpSecurity() {}

  /**
   * A server TLS context presenting the certificate chain of {@code tls}.
   *
   * @throws CollectorException naming the key and file that cannot be used
   */
  public static SSLContext serverContext(HttpTlsConfig tls) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Certificate[] chain;
      try (InputStream in = Files.newInputStream(tls.certFile())) {
        Collection<? extends Certificate> certs = cf.generateCertificates(in);
        if (certs.isEmpty()) {
          throw new CollectorException(
              "Cannot use http.cert-file " + tls.certFile() + ": no PEM certificate in it");
        }
        chain = certs.toArray(new Certificate[0]);
      } catch (CertificateException e) {
        throw new CollectorException(
            "Cannot use http.cert-file "
                + tls.certFile()
                + ": not a PEM certificate ("
                + e.getMessage()
                + ")",
            e);
      }
      PrivateKey key = privateKey(tls.keyFile());
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setKeyEntry("server", key, new char[0], chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new CollectorException(
          "Cannot use http.cert-file "
              + tls.certFile()
              + " and http.key-file "
              + tls.keyFile()
              + ": "
              + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new CollectorException(
          "Cannot use http.key-file "
              + tls.keyFile()
              + " with http.cert-file "
              + tls.certFile()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    try {
      return PemKeys.privateKey(file);
    } catch (PemKeys.NotAPrivateKeyException e) {
      throw new CollectorException("Cannot use http.key-file " + file + ": " + e.getMessage());
    }
  }

  /**
   * The exact {@code Authorization} header value a request must carry, as bytes.
   *
   * @throws CollectorException when the secret cannot be read or is empty
   */
  public static byte[] expectedAuthorization(HttpAuthConfig auth) {
    String secret = secret(auth);
    String value =
        HttpAuthConfig.BASIC.equals(auth.scheme())
            ? "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (auth.username() + ":" + secret).getBytes(StandardCharsets.UTF_8))
            : "Bearer " + secret;
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a request's {@code Authorization} header is the expected one, in constant time. */
  public static boolean matches(byte[] expected, String header) {
    if (header == null) {
      return false;
    }
    return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
  }

  private static String secret(HttpAuthConfig auth) {
    String what = HttpAuthConfig.BASIC.equals(auth.scheme()) ? "password" : "token";
    String value;
    String where;
    if (auth.secretFile() != null) {
      where = "http." + what + "-file " + auth.secretFile();
      try {
        value = Files.readString(auth.secretFile(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CollectorException("Cannot read " + where + ": " + e.getMessage(), e);
      }
      value = value.replaceAll("[\\r\\n]+$", "");
    } else {
      where = "environment variable " + auth.secretEnv() + " (http." + what + "-env)";
      value = System.getenv(auth.secretEnv());
      if (value == null) {
        throw new CollectorException("Cannot read the HTTP " + what + ": " + where + " is not set");
      }
    }
    if (value.isBlank()) {
      throw new CollectorException(
          "Cannot use the HTTP " + what + " from " + where + ": it is empty");
    }
    return value;
  }
}
