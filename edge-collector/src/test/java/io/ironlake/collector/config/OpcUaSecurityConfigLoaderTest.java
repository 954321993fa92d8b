package io.ironlake.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security keys of an opcua source: defaults, identities and the combinations refused. */
class OpcUaSecurityConfigLoaderTest {
  @TempDir Path dir;

  private String yaml(String securityKeys) {
    return """
        collector:
          id: edge-1
        kafka:
          bootstrap-servers: 127.0.0.1:9092
        sources:
          - name: opcua-plant
            type: opcua
            endpoint: opc.tcp://127.0.0.1:4840/ironlake
        %s
            nodes:
              - node-id: "ns=2;s=m01/power_kw"
                site: plant-sh
                area: assembly
                line: line-1
                device: m01
                tag: power_kw
        """
        .formatted(securityKeys.indent(4).stripTrailing());
  }

  private OpcUaSecurityConfig load(String securityKeys) throws IOException {
    Path file = Files.writeString(dir.resolve("collector.yaml"), yaml(securityKeys));
    CollectorConfig config = CollectorConfigLoader.load(file);
    return ((OpcUaSourceConfig) config.sources().get(0)).security();
  }

  private String problems(String securityKeys) throws IOException {
    Path file = Files.writeString(dir.resolve("collector.yaml"), yaml(securityKeys));
    try {
      CollectorConfigLoader.load(file);
    } catch (InvalidConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the config to be refused");
  }

  @Test
  void aSecuredPolicyDefaultsToSignAndEncryptAnonymousAndRefusingUnknownServers()
      throws IOException {
    OpcUaSecurityConfig s = load("security-policy: Aes256_Sha256_RsaPss");
    assertThat(s)
        .isEqualTo(
            new OpcUaSecurityConfig(
                "Aes256_Sha256_RsaPss", "SignAndEncrypt", OpcUaIdentity.ANONYMOUS, false));
    assertThat(load("security-policy: None").mode()).isEqualTo("None");
  }

  @Test
  void usernameWithAPasswordFileRelativeToTheConfigFile() throws IOException {
    Files.writeString(dir.resolve("opcua.pw"), "pw\n");
    OpcUaSecurityConfig s =
        load(
            """
            security-policy: Basic256Sha256
            security-mode: Sign
            identity: username
            username: collector
            password-file: opcua.pw
            trust-unknown-servers: true""");
    assertThat(s.identity())
        .isEqualTo(new OpcUaIdentity.UserPassword("collector", dir.resolve("opcua.pw"), null));
    assertThat(s.mode()).isEqualTo("Sign");
    assertThat(s.trustUnknownServers()).isTrue();
    assertThat(
            load("""
                    security-policy: Basic256Sha256
                    identity: username
                    username: collector
                    password-env: OPCUA_PASSWORD""")
                .identity())
        .isEqualTo(new OpcUaIdentity.UserPassword("collector", null, "OPCUA_PASSWORD"));
  }

  @Test
  void x509NeedsACertificateAndAKeyThatExist() throws IOException {
    Files.writeString(dir.resolve("user.pem"), "x");
    Files.writeString(dir.resolve("user.key"), "x");
    assertThat(
            load("""
                    security-policy: Aes128_Sha256_RsaOaep
                    identity: x509
                    user-certificate: user.pem
                    user-private-key: user.key""")
                .identity())
        .isEqualTo(new OpcUaIdentity.X509(dir.resolve("user.pem"), dir.resolve("user.key")));
    assertThat(
            problems(
                """
                security-policy: Aes128_Sha256_RsaOaep
                identity: x509
                user-certificate: missing.pem"""))
        .contains(
            "Invalid value \"missing.pem\" for sources[0].user-certificate in "
                + dir.resolve("collector.yaml")
                + ": expected a readable file ("
                + dir.resolve("missing.pem")
                + " is not)")
        .contains("Missing key sources[0].user-private-key");
  }

  @Test
  void wrongCombinationsAreRefusedWithTheKeyAndTheExpectation() throws IOException {
    assertThat(problems("security-policy: Basic128Rsa15"))
        .contains(
            "Invalid value \"Basic128Rsa15\" for sources[0].security-policy in "
                + dir.resolve("collector.yaml")
                + ": expected None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss");
    assertThat(problems("security-policy: None\nsecurity-mode: SignAndEncrypt"))
        .contains(
            "Invalid value \"SignAndEncrypt\" for sources[0].security-mode in "
                + dir.resolve("collector.yaml")
                + ": expected None with security-policy None");
    assertThat(problems("security-policy: Basic256Sha256\nsecurity-mode: None"))
        .contains("expected Sign or SignAndEncrypt with security-policy Basic256Sha256");
    assertThat(problems("security-policy: Basic256Sha256\nidentity: username\nusername: u"))
        .contains(
            "sources[0].password-file in "
                + dir.resolve("collector.yaml")
                + ": expected exactly one of password-file and password-env");
    assertThat(problems("security-policy: Basic256Sha256\nusername: u"))
        .contains(
            "Invalid value \"u\" for sources[0].username in "
                + dir.resolve("collector.yaml")
                + ": expected no username with identity anonymous");
    assertThat(problems("security-policy: Basic256Sha256\nidentity: kerberos"))
        .contains("expected anonymous, username or x509");
  }

  @Test
  void theRecordRefusesAModeThatDoesNotFitThePolicy() {
    assertThatThrownBy(() -> OpcUaSecurityConfig.of("None", "Sign", OpcUaIdentity.ANONYMOUS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid security mode Sign for security policy None");
  }
}
