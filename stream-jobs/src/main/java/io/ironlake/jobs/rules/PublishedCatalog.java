package io.ironlake.jobs.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A rule catalog as published on the rules topic ({@code rules.v1}): one record per catalog name
 * (the record key), whose value is this record as JSON. The jobs keep it in broadcast state.
 *
 * @param name the catalog's name
 * @param version 1 for a name's first publication, then one more each time
 * @param sha256 SHA-256 of {@code yaml}, hex
 * @param publishedAtMillis when it was published, epoch milliseconds
 * @param yaml the catalog file's text
 */
public record PublishedCatalog(
    String name, long version, String sha256, long publishedAtMillis, String yaml) {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A publication of {@code yaml}, its hash computed. */
  public static PublishedCatalog of(
      String name, long version, long publishedAtMillis, String yaml) {
    return new PublishedCatalog(name, version, sha256(yaml), publishedAtMillis, yaml);
  }

  /** The record value. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write published catalog " + name + ": " + e, e);
    }
  }

  /**
   * Reads a record value; refuses one that is not this JSON, lacks a field or whose hash does not
   * match its text.
   */
  public static PublishedCatalog fromJson(String json) {
    PublishedCatalog p;
    try {
      p = JSON.readValue(json, PublishedCatalog.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Invalid rules record: expected the JSON of a published catalog ("
              + e.getOriginalMessage()
              + ")");
    }
    if (p.name() == null || p.yaml() == null || p.sha256() == null) {
      throw new IllegalArgumentException(
          "Invalid rules record: expected name, version, sha256 and yaml");
    }
    if (!p.sha256().equals(sha256(p.yaml()))) {
      throw new IllegalArgumentException(
          "Invalid rules record " + p.name() + " v" + p.version() + ": sha256 does not match yaml");
    }
    return p;
  }

  /** SHA-256 of a text (UTF-8), hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: no SHA-256", e);
    }
  }

  /** {@code name v<version> (sha256 prefix)}, for logs. */
  public String label() {
    return name + " v" + version + " (" + sha256.substring(0, Math.min(12, sha256.length())) + ")";
  }
}
