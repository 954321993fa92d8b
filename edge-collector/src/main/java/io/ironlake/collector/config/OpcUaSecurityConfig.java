package io.ironlake.collector.config;

import java.util.List;
import java.util.Objects;

/**
 * How an opcua source secures its connection: the security policy and mode of the endpoint, the
 * user identity, and whether an unknown server certificate is trusted on first use.
 *
 * <pre>{@code
 * OpcUaSecurityConfig.of("Basic256Sha256", "SignAndEncrypt",
 *     new OpcUaIdentity.UserPassword("collector", Path.of("/etc/ironlake/opcua.pw"), null));
 * }</pre>
 *
 * @param policy {@code security-policy}: None, Basic256Sha256, Aes128_Sha256_RsaOaep or
 *     Aes256_Sha256_RsaPss
 * @param mode {@code security-mode}: None (only with policy None), Sign or SignAndEncrypt
 * @param identity {@code identity} and its keys
 * @param trustUnknownServers {@code trust-unknown-servers}: an unknown server certificate is
 *     written to trusted/ and accepted instead of being refused
 */
public record OpcUaSecurityConfig(
    String policy, String mode, OpcUaIdentity identity, boolean trustUnknownServers) {

  public static final String POLICY_NONE = "None";
  public static final String MODE_NONE = "None";
  public static final String MODE_SIGN = "Sign";
  public static final String MODE_SIGN_AND_ENCRYPT = "SignAndEncrypt";

  /** The supported security policies, by their OPC UA short names. */
  public static final List<String> POLICIES =
      List.of(POLICY_NONE, "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

  /** The message security modes. */
  public static final List<String> MODES = List.of(MODE_NONE, MODE_SIGN, MODE_SIGN_AND_ENCRYPT);

  /** No security at all: policy None, anonymous. Only for simulators. */
  public static final OpcUaSecurityConfig NONE =
      new OpcUaSecurityConfig(POLICY_NONE, MODE_NONE, OpcUaIdentity.ANONYMOUS, false);

  public OpcUaSecurityConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(identity, "identity");
    if (!POLICIES.contains(policy)) {
      throw new IllegalArgumentException(
          "Invalid security policy " + policy + ": expected one of " + POLICIES);
    }
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "Invalid security mode " + mode + ": expected one of " + MODES);
    }
    if (POLICY_NONE.equals(policy) != MODE_NONE.equals(mode)) {
      throw new IllegalArgumentException(
          "Invalid security mode "
              + mode
              + " for security policy "
              + policy
              + ": expected None with policy None, Sign or SignAndEncrypt otherwise");
    }
  }

  /** A config that refuses unknown servers. */
  public static OpcUaSecurityConfig of(String policy, String mode, OpcUaIdentity identity) {
    return new OpcUaSecurityConfig(policy, mode, identity, false);
  }

  /** The mode used when {@code security-mode} is not set: None for policy None, else encrypt. */
  public static String defaultMode(String policy) {
    return POLICY_NONE.equals(policy) ? MODE_NONE : MODE_SIGN_AND_ENCRYPT;
  }

  /** Whether messages are signed (any policy but None), which needs the PKI folder. */
  public boolean secured() {
    return !POLICY_NONE.equals(policy);
  }

  /** The same config with another identity. */
  public OpcUaSecurityConfig withIdentity(OpcUaIdentity newIdentity) {
    return new OpcUaSecurityConfig(policy, mode, newIdentity, trustUnknownServers);
  }

  /** The same config with {@code trust-unknown-servers} set. */
  public OpcUaSecurityConfig withTrustUnknownServers(boolean trust) {
    return new OpcUaSecurityConfig(policy, mode, identity, trust);
  }
}
