package io.ironlake.simulator;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Security of the simulator's OPC UA server: which security policies it offers (each policy but
 * None with modes Sign and SignAndEncrypt), which user identities it accepts, and which client
 * certificates it trusts.
 *
 * <pre>{@code
 * OpcUaServerSecurity.insecure()
 *     .withPolicies(List.of("Basic256Sha256", "Aes256_Sha256_RsaPss"))
 *     .withUsers(Map.of("operator", "secret"))
 *     .withTrustAllClients(false);   // clients must be in <pkiDir>/trusted
 * }</pre>
 *
 * @param policies offered policies: None, Basic256Sha256, Aes128_Sha256_RsaOaep,
 *     Aes256_Sha256_RsaPss
 * @param anonymous whether anonymous sessions are accepted
 * @param users user name to password of the accepted users
 * @param trustedUserCertificates X.509 user certificates accepted as identities
 * @param trustAllClients accept every client application certificate (the quickstart's insecure
 *     shortcut); otherwise only those in {@code <pkiDir>/trusted}
 * @param pkiDir where the server's certificate is kept ({@code own/}) and client certificates are
 *     trusted ({@code trusted/}) or rejected ({@code rejected/}); null = {@code
 *     <dataDir>/opcua-pki}, or memory only without a data dir
 */
public record OpcUaServerSecurity(
    List<String> policies,
    boolean anonymous,
    Map<String, String> users,
    List<X509Certificate> trustedUserCertificates,
    boolean trustAllClients,
    Path pkiDir) {

  /** The policies a server may offer. */
  public static final List<String> POLICIES =
      List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");

  public OpcUaServerSecurity {
    policies = List.copyOf(policies);
    users = Map.copyOf(users);
    trustedUserCertificates = List.copyOf(trustedUserCertificates);
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("Invalid OPC UA policies []: expected at least one");
    }
    for (String p : policies) {
      if (!POLICIES.contains(p)) {
        throw new IllegalArgumentException(
            "Invalid OPC UA security policy " + p + ": expected one of " + POLICIES);
      }
    }
    if (!anonymous && users.isEmpty() && trustedUserCertificates.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid OPC UA identities: expected anonymous, users or user certificates");
    }
    Objects.requireNonNull(policies);
  }

  /** Policy None, anonymous, no users: the quickstart's default, insecure. */
  public static OpcUaServerSecurity insecure() {
    return new OpcUaServerSecurity(List.of("None"), true, Map.of(), List.of(), false, null);
  }

  /** Every policy, anonymous allowed, no users. */
  public static OpcUaServerSecurity allPolicies() {
    return insecure().withPolicies(POLICIES);
  }

  /** The same with other policies. */
  public OpcUaServerSecurity withPolicies(List<String> newPolicies) {
    return new OpcUaServerSecurity(
        newPolicies, anonymous, users, trustedUserCertificates, trustAllClients, pkiDir);
  }

  /** The same with anonymous sessions allowed or not. */
  public OpcUaServerSecurity withAnonymous(boolean allowed) {
    return new OpcUaServerSecurity(
        policies, allowed, users, trustedUserCertificates, trustAllClients, pkiDir);
  }

  /** The same with these users (name to password). */
  public OpcUaServerSecurity withUsers(Map<String, String> newUsers) {
    return new OpcUaServerSecurity(
        policies, anonymous, newUsers, trustedUserCertificates, trustAllClients, pkiDir);
  }

  /** The same with these X.509 user certificates accepted. */
  public OpcUaServerSecurity withTrustedUserCertificates(List<X509Certificate> certificates) {
    return new OpcUaServerSecurity(
        policies, anonymous, users, certificates, trustAllClients, pkiDir);
  }

  /** The same, accepting every client certificate or only trusted ones. */
  public OpcUaServerSecurity withTrustAllClients(boolean trustAll) {
    return new OpcUaServerSecurity(
        policies, anonymous, users, trustedUserCertificates, trustAll, pkiDir);
  }

  /** The same with the PKI folder here. */
  public OpcUaServerSecurity withPkiDir(Path dir) {
    return new OpcUaServerSecurity(
        policies, anonymous, users, trustedUserCertificates, trustAllClients, dir);
  }
}
