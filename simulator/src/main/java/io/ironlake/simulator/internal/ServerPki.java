package io.ironlake.simulator.internal;

import io.ironlake.simulator.SimulatorException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator server's certificate (kept in {@code own/} when there is a folder, so clients that
 * trusted it keep trusting it across restarts) and its check of client certificates against {@code
 * trusted/}, read again at every check.
 */
public final class ServerPki {
  private static final Logger LOG = LoggerFactory.getLogger(ServerPki.class);

  private final Path dir;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final boolean trustAllClients;

  private ServerPki(Path dir, KeyPair keyPair, X509Certificate certificate, boolean trustAll) {
    this.dir = dir;
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.trustAllClients = trustAll;
  }

  /**
   * Loads or creates the server's certificate in {@code dir/own}; {@code dir} null keeps a new one
   * in memory.
   */
  public static ServerPki open(Path dir, String applicationUri, boolean trustAllClients) {
    try {
      if (dir == null) {
        KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        return new ServerPki(null, pair, build(pair, applicationUri), trustAllClients);
      }
      Path own = dir.resolve("own");
      Files.createDirectories(own);
      Files.createDirectories(dir.resolve("trusted"));
      Files.createDirectories(dir.resolve("rejected"));
      Path certFile = own.resolve("cert.der");
      Path keyFile = own.resolve("key.pem");
      if (!Files.exists(certFile) || !Files.exists(keyFile)) {
        KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate cert = build(pair, applicationUri);
        String pem =
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(keyFile, pem, StandardCharsets.US_ASCII);
        Files.write(certFile, cert.getEncoded());
        LOG.info("OPC UA simulator certificate created: file={}", certFile);
      }
      X509Certificate cert = read(certFile).get(0);
      String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(
                  pem.replace("-----BEGIN PRIVATE KEY-----", "")
                      .replace("-----END PRIVATE KEY-----", ""));
      KeyPair pair =
          new KeyPair(
              cert.getPublicKey(),
              KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
      return new ServerPki(dir, pair, cert, trustAllClients);
    } catch (Exception e) {
      throw new SimulatorException(
          "Cannot start OPC UA simulator: cannot create or read its certificate in "
              + dir
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static X509Certificate build(KeyPair pair, String applicationUri) throws Exception {
    return new SelfSignedCertificateBuilder(pair)
        .setCommonName("Ironlake factory simulator")
        .setOrganization("Ironlake")
        .setApplicationUri(applicationUri)
        .addDnsName("localhost")
        .addIpAddress("127.0.0.1")
        .build();
  }

  /** The server's key pair. */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** The server's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The folder of trusted client certificates, or null without a PKI folder. */
  public Path trustedDir() {
    return dir == null ? null : dir.resolve("trusted");
  }

  /** The validator of client application certificates. */
  public CertificateValidator clientValidator() {
    return (chain, applicationUri, hostNames) -> {
      if (trustAllClients) {
        return;
      }
      MemoryTrustListManager trustList = new MemoryTrustListManager();
      trustList.setTrustedCertificates(trusted());
      CertificateQuarantine quarantine =
          dir == null ? new MemoryCertificateQuarantine() : new RejectedDir();
      new DefaultServerCertificateValidator(trustList, quarantine)
          .validateCertificateChain(chain, applicationUri, hostNames);
    };
  }

  private List<X509Certificate> trusted() {
    List<X509Certificate> certs = new ArrayList<>();
    if (dir == null) {
      return certs;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("trusted"))) {
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          try {
            certs.addAll(read(f));
          } catch (IOException | GeneralSecurityException e) {
            LOG.warn("OPC UA simulator: not a certificate, ignored: file={}", f);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("OPC UA simulator: trusted folder unreadable: dir={}", dir, e);
    }
    return certs;
  }

  private static List<X509Certificate> read(Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> certs = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      certs.add((X509Certificate) c);
    }
    return certs;
  }

  /** Writes refused client certificates to {@code rejected/} so an operator can trust them. */
  private final class RejectedDir implements CertificateQuarantine {
    @Override
    public List<X509Certificate> getRejectedCertificates() {
      return List.of();
    }

    @Override
    public void addRejectedCertificate(X509Certificate certificate) {
      try {
        String name =
            HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()))
                + ".der";
        Path file = dir.resolve("rejected").resolve(name);
        Files.write(file, certificate.getEncoded());
        LOG.warn(
            "OPC UA simulator refused a client certificate: subject={}, file={}",
            certificate.getSubjectX500Principal().getName(),
            file);
      } catch (IOException | GeneralSecurityException e) {
        LOG.warn("OPC UA simulator cannot write a rejected certificate: error={}", e.toString());
      }
    }

    @Override
    public void removeRejectedCertificate(X509Certificate certificate) {}
  }
}
