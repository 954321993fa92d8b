package io.ironlake.collector.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Who may read the operations endpoint's {@code /health/ready} and {@code /metrics}: a bearer token
 * or a user name and password (HTTP basic), the secret read from a file or an environment variable
 * when the endpoint starts. Only where the secret is lives here, never the secret itself, so this
 * record can be logged.
 *
 * @param scheme {@link #BEARER} or {@link #BASIC}
 * @param username {@code http.username}: the user name of {@link #BASIC}, else {@code null}
 * @param secretFile {@code http.token-file} or {@code http.password-file}, or {@code null}
 * @param secretEnv {@code http.token-env} or {@code http.password-env}, or {@code null}
 */
public record HttpAuthConfig(String scheme, String username, Path secretFile, String secretEnv) {
  /** {@code Authorization: Bearer <token>}. */
  public static final String BEARER = "bearer";

  /** {@code Authorization: Basic <base64 of user:password>}. */
  public static final String BASIC = "basic";

  public HttpAuthConfig {
    if (!BEARER.equals(scheme) && !BASIC.equals(scheme)) {
      throw new IllegalArgumentException(
          "Invalid HTTP auth scheme: " + scheme + ", expected bearer or basic");
    }
    if ((secretFile == null) == (secretEnv == null)) {
      throw new IllegalArgumentException(
          "Invalid HTTP auth: expected exactly one of a secret file and a secret variable");
    }
    if (BASIC.equals(scheme)) {
      Objects.requireNonNull(username, "username");
    }
  }

  /** A bearer token read from {@code file}. */
  public static HttpAuthConfig bearerFromFile(Path file) {
    return new HttpAuthConfig(BEARER, null, file, null);
  }

  /** A user name and password (basic), the password read from {@code file}. */
  public static HttpAuthConfig basicFromFile(String username, Path file) {
    return new HttpAuthConfig(BASIC, username, file, null);
  }
}
