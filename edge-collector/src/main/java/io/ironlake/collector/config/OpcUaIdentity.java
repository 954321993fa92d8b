package io.ironlake.collector.config;

import java.nio.file.Path;
import java.util.Objects;

/** Who the collector logs in as on an OPC UA server ({@code identity} of an opcua source). */
public sealed interface OpcUaIdentity {
  /** {@code identity: anonymous}. */
  OpcUaIdentity ANONYMOUS = new Anonymous();

  /** The value of {@code identity}: anonymous, username or x509. */
  String kind();

  /** No user: the server must allow anonymous sessions. */
  record Anonymous() implements OpcUaIdentity {
    @Override
    public String kind() {
      return "anonymous";
    }
  }

  /**
   * A user name and a password read at every connect from a file or an environment variable (so the
   * password never sits in the YAML file).
   *
   * @param username {@code username}
   * @param passwordFile {@code password-file}, or null: a file whose first line is the password
   * @param passwordEnv {@code password-env}, or null: an environment variable holding it
   */
  record UserPassword(String username, Path passwordFile, String passwordEnv)
      implements OpcUaIdentity {
    public UserPassword {
      Objects.requireNonNull(username, "username");
      if ((passwordFile == null) == (passwordEnv == null)) {
        throw new IllegalArgumentException(
            "Invalid user identity: expected exactly one of passwordFile and passwordEnv");
      }
    }

    @Override
    public String kind() {
      return "username";
    }
  }

  /**
   * An X.509 user certificate and its private key (PEM or DER files).
   *
   * @param certificateFile {@code user-certificate}
   * @param privateKeyFile {@code user-private-key}: PKCS#8, unencrypted
   */
  record X509(Path certificateFile, Path privateKeyFile) implements OpcUaIdentity {
    public X509 {
      Objects.requireNonNull(certificateFile, "certificateFile");
      Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    }

    @Override
    public String kind() {
      return "x509";
    }
  }
}
