package io.ironlake.collector.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1), for the MQTT and HTTP TLS keys.
 */
public final class PemKeys {
  private PemKeys() {}

  /** The file holds no unencrypted private key; the message says what it found. */
  public static final class NotAPrivateKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAPrivateKeyException(String message) {
      super(message);
    }
  }

  /**
   * The private key in {@code file}.
   *
   * @throws NotAPrivateKeyException when the first PEM object is not an unencrypted private key
   */
  public static PrivateKey privateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new NotAPrivateKeyException(
          "expected an unencrypted private key in PEM (PKCS#8, PKCS#1 or SEC1), found "
              + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
  }
}
