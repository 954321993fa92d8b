package io.ironlake.collector.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A user name and where its password is: a file or an environment variable, so the password itself
 * is never in the config file, the config records or the logs.
 *
 * @param username {@code username}
 * @param passwordFile {@code password-file}: a file whose content (without a trailing line break)
 *     is the password, or {@code null}
 * @param passwordEnv {@code password-env}: the environment variable holding the password, or {@code
 *     null}; at most one of the two is set, neither for a user without password
 */
public record MqttAuthConfig(String username, Path passwordFile, String passwordEnv) {
  public MqttAuthConfig {
    Objects.requireNonNull(username, "username");
  }

  /** A user whose password is in a file. */
  public static MqttAuthConfig withPasswordFile(String username, Path passwordFile) {
    return new MqttAuthConfig(username, passwordFile, null);
  }
}
