package io.ironlake.collector.opcua.internal;

import io.ironlake.collector.opcua.OpcUaConnectException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's OPC UA PKI folder: {@code own/} holds the application certificate and key
 * (created on first use, then kept), {@code trusted/} the server certificates it trusts and {@code
 * rejected/} the unknown ones it refused, each named {@code <common name>-<sha1 thumbprint>.der}.
 */
public final class OpcUaPki {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaPki.class);
  static final String CERT_FILE = "cert.der";
  static final String KEY_FILE = "key.pem";

  private final Path dir;
  private final KeyPair keyPair;
  private final X509Certificate certificate;

  private OpcUaPki(Path dir, KeyPair keyPair, X509Certificate certificate) {
    this.dir = dir;
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /**
   * Opens (and on first use creates) the PKI folder with an application certificate for {@code
   * applicationUri}.
   *
   * @throws OpcUaConnectException when the folder cannot be used, or when the kept certificate was
   *     made for another application URI (the collector id changed)
   */
  public static synchronized OpcUaPki open(Path dir, String applicationUri, String commonName) {
    Path own = dir.resolve("own");
    Path certFile = own.resolve(CERT_FILE);
    Path keyFile = own.resolve(KEY_FILE);
    try {
      Files.createDirectories(own);
      Files.createDirectories(dir.resolve("trusted"));
      Files.createDirectories(dir.resolve("rejected"));
      if (!Files.exists(certFile) || !Files.exists(keyFile)) {
        create(certFile, keyFile, applicationUri, commonName);
      }
      X509Certificate cert = readCertificates(certFile).get(0);
      PrivateKey key = readPrivateKey(keyFile);
      String uri = CertificateUtil.getSanUri(cert).orElse("(none)");
      if (!uri.equals(applicationUri)) {
        throw new OpcUaConnectException(
            "Cannot use the OPC UA application certificate "
                + certFile
                + ": it was made for application URI "
                + uri
                + ", this collector is "
                + applicationUri
                + "; delete "
                + own
                + " to create a new one (servers must then trust the new certificate)",
            0,
            null);
      }
      return new OpcUaPki(dir, new KeyPair(cert.getPublicKey(), key), cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new OpcUaConnectException(
          "Cannot use the OPC UA PKI folder " + dir + ": " + e.getMessage(), 0, e);
    }
  }

  private static void create(Path certFile, Path keyFile, String applicationUri, String cn)
      throws IOException, GeneralSecurityException {
    KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate cert;
    try {
      cert =
          new SelfSignedCertificateBuilder(pair)
              .setCommonName(cn)
              .setOrganization("Ironlake")
              .setApplicationUri(applicationUri)
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1")
              .build();
    } catch (Exception e) {
      throw new GeneralSecurityException("cannot build a certificate: " + e.getMessage(), e);
    }
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    writeAtomically(keyFile, pem.getBytes(StandardCharsets.US_ASCII), true);
    writeAtomically(certFile, cert.getEncoded(), false);
    LOG.info(
        "opcua application certificate created: file={}, applicationUri={}, thumbprint={}",
        certFile,
        applicationUri,
        thumbprint(cert));
  }

  /** The collector's key pair. */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** The collector's application certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The file servers must trust: {@code own/cert.der}. */
  public Path certificateFile() {
    return dir.resolve("own").resolve(CERT_FILE);
  }

  /** The folder of trusted server certificates. */
  public Path trustedDir() {
    return dir.resolve("trusted");
  }

  /** The folder where refused server certificates are written. */
  public Path rejectedDir() {
    return dir.resolve("rejected");
  }

  /**
   * A validator of server certificates against {@code trusted/}, read again at every check (so a
   * file moved there is trusted at the next connect). An unknown certificate is written to {@code
   * rejected/} and refused with a message naming the file, or, with {@code trustUnknown}, written
   * to {@code trusted/} and accepted.
   */
  public ServerValidator serverValidator(String source, boolean trustUnknown) {
    return new ServerValidator(source, trustUnknown);
  }

  /** Validates server certificates for one connect attempt and remembers why it refused one. */
  public final class ServerValidator implements CertificateValidator {
    private final String source;
    private final boolean trustUnknown;
    private volatile String refusal;

    ServerValidator(String source, boolean trustUnknown) {
      this.source = source;
      this.trustUnknown = trustUnknown;
    }

    /** Why the last check refused the server, or null. */
    public String refusal() {
      return refusal;
    }

    @Override
    public void validateCertificateChain(
        List<X509Certificate> chain, String applicationUri, String[] validHostNames)
        throws UaException {
      List<X509Certificate> trusted = trustedCertificates();
      MemoryTrustListManager trustList = new MemoryTrustListManager();
      trustList.setTrustedCertificates(trusted);
      try {
        new DefaultClientCertificateValidator(trustList, new MemoryCertificateQuarantine())
            .validateCertificateChain(chain, applicationUri, validHostNames);
        return;
      } catch (UaException e) {
        X509Certificate leaf = chain.get(0);
        if (trusted.contains(leaf)) {
          refusal =
              "the server certificate "
                  + leaf.getSubjectX500Principal().getName()
                  + " is in "
                  + trustedDir()
                  + " but not valid: "
                  + e.getMessage();
          throw e;
        }
        Path file = fileFor(leaf);
        if (trustUnknown) {
          write(trustedDir().resolve(file), leaf);
          LOG.warn(
              "opcua server certificate trusted on first use (trust-unknown-servers: true):"
                  + " source={}, subject={}, file={}",
              source,
              leaf.getSubjectX500Principal().getName(),
              trustedDir().resolve(file));
          return;
        }
        Path rejected = rejectedDir().resolve(file);
        write(rejected, leaf);
        refusal =
            "the server certificate "
                + leaf.getSubjectX500Principal().getName()
                + " (application URI "
                + CertificateUtil.getSanUri(leaf).orElse("none")
                + ") is not trusted; it was written to "
                + rejected
                + ": move that file into "
                + trustedDir()
                + " to trust this server";
        throw new UaException(StatusCodes.Bad_SecurityChecksFailed, refusal);
      }
    }

    private void write(Path file, X509Certificate cert) throws UaException {
      try {
        writeAtomically(file, cert.getEncoded(), false);
      } catch (IOException | GeneralSecurityException e) {
        throw new UaException(
            StatusCodes.Bad_SecurityChecksFailed,
            "cannot write the server certificate to " + file + ": " + e.getMessage());
      }
    }
  }

  private List<X509Certificate> trustedCertificates() {
    List<X509Certificate> certs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(trustedDir())) {
      for (Path f : files) {
        if (!Files.isRegularFile(f) || f.getFileName().toString().startsWith(".")) {
          continue;
        }
        try {
          certs.addAll(readCertificates(f));
        } catch (IOException | GeneralSecurityException e) {
          LOG.warn(
              "opcua trusted certificate file ignored, not a certificate: file={}, error={}",
              f,
              e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("opcua trusted folder unreadable: dir={}, error={}", trustedDir(), e.getMessage());
    }
    return certs;
  }

  /** The certificates of a DER or PEM file. */
  public static List<X509Certificate> readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(file);
    List<X509Certificate> certs = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(bytes))) {
      certs.add((X509Certificate) c);
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + file);
    }
    return certs;
  }

  /** An unencrypted PKCS#8 private key (RSA or EC) from a PEM or DER file. */
  public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN ")) {
      if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
        throw new GeneralSecurityException(
            "expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----) in " + file);
      }
      String b64 =
          text.substring(
                  text.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                  text.indexOf("-----END PRIVATE KEY-----"))
              .replaceAll("\\s", "");
      bytes = Base64.getDecoder().decode(b64);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(bytes);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }

  static String thumbprint(X509Certificate cert) throws GeneralSecurityException {
    return HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
  }

  private static Path fileFor(X509Certificate cert) throws UaException {
    String cn = cert.getSubjectX500Principal().getName();
    int i = cn.indexOf("CN=");
    String name = i < 0 ? "server" : cn.substring(i + 3).split(",")[0];
    name = name.replaceAll("[^A-Za-z0-9._-]+", "_").toLowerCase(Locale.ROOT);
    try {
      return Path.of(name + "-" + thumbprint(cert) + ".der");
    } catch (GeneralSecurityException e) {
      throw new UaException(StatusCodes.Bad_SecurityChecksFailed, e.getMessage());
    }
  }

  private static void writeAtomically(Path file, byte[] bytes, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      try {
        // Created owner-only before the key is written into it.
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        LOG.debug("no POSIX permissions here: file={}", tmp);
      }
    }
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
