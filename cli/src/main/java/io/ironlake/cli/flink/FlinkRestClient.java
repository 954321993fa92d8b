package io.ironlake.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of Flink's REST API for submitting a job jar: upload, run, status, delete.
 *
 * <pre>{@code
 * FlinkRestClient flink = new FlinkRestClient(URI.create("http://jobmanager:8081"));
 * String jarId = flink.uploadJar(Path.of("ironlake-jobs.jar"));
 * String jobId = flink.runJar(jarId, run);
 * String state = flink.jobState(jobId);   // INITIALIZING, CREATED, RUNNING, FAILED, ...
 * }</pre>
 */
public final class FlinkRestClient {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRestClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long the cluster may take to run the jar's main and submit the job. */
  public static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private final URI base;
  private final HttpClient http;

  /** A client of the cluster whose REST endpoint (the JobManager's web port) is {@code base}. */
  public FlinkRestClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** The cluster's address, as given. */
  public URI base() {
    return base;
  }

  /** Uploads a job jar ({@code POST /jars/upload}); returns the jar id for {@link #runJar}. */
  public String uploadJar(Path jar) {
    String boundary = "ironlake-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher body;
    try {
      body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofByteArray(head),
              HttpRequest.BodyPublishers.ofFile(jar),
              HttpRequest.BodyPublishers.ofByteArray(tail));
    } catch (IOException e) {
      throw new FlinkRestException("Cannot read the job jar " + jar + ": " + e.getMessage(), e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jars/upload"))
            .timeout(RUN_TIMEOUT)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(body)
            .build();
    JsonNode reply = send(request, "upload the job jar " + jar.getFileName());
    String filename = reply.path("filename").asText("");
    if (!"success".equals(reply.path("status").asText()) || filename.isEmpty()) {
      throw new FlinkRestException(
          "Cannot upload the job jar to " + base + ": unexpected reply " + reply);
    }
    String jarId = filename.substring(filename.lastIndexOf('/') + 1);
    LOG.info("flink jar uploaded: cluster={}, jarId={}", base, jarId);
    return jarId;
  }

  /** Runs an uploaded jar ({@code POST /jars/{id}/run}); returns the new job's id. */
  public String runJar(String jarId, JarRun run) {
    ObjectNode body = JSON.createObjectNode();
    body.put("entryClass", run.entryClass());
    run.programArgs().forEach(body.putArray("programArgsList")::add);
    run.parallelism().ifPresent(p -> body.put("parallelism", p));
    run.savepointPath().ifPresent(p -> body.put("savepointPath", p));
    body.put("allowNonRestoredState", run.allowNonRestoredState());
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jars/" + jarId + "/run"))
            .timeout(RUN_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    JsonNode reply = send(request, "run the job");
    String jobId = reply.path("jobid").asText("");
    if (jobId.isEmpty()) {
      throw new FlinkRestException("Cannot run the job on " + base + ": unexpected reply " + reply);
    }
    LOG.info("flink job submitted: cluster={}, jarId={}, jobId={}", base, jarId, jobId);
    return jobId;
  }

  /** The job's state ({@code GET /jobs/{id}}): INITIALIZING, CREATED, RUNNING, FAILED, ... */
  public String jobState(String jobId) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jobs/" + jobId))
            .timeout(CONNECT_TIMEOUT)
            .GET()
            .build();
    return send(request, "read the state of job " + jobId).path("state").asText("UNKNOWN");
  }

  /** The first line of the job's latest failure ({@code GET /jobs/{id}/exceptions}), if any. */
  public String failureCause(String jobId) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "/exceptions"))
            .timeout(CONNECT_TIMEOUT)
            .GET()
            .build();
    JsonNode reply = send(request, "read the failure of job " + jobId);
    String trace = reply.path("root-exception").asText("");
    JsonNode entries = reply.path("exceptionHistory").path("entries");
    if (trace.isEmpty() && entries.isArray() && !entries.isEmpty()) {
      trace = entries.get(0).path("stacktrace").asText("");
    }
    return trace.isEmpty() ? "no failure recorded" : usefulLine(trace);
  }

  /** Deletes an uploaded jar ({@code DELETE /jars/{id}}); a failure is only logged. */
  public void deleteJar(String jarId) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("jars/" + jarId))
            .timeout(CONNECT_TIMEOUT)
            .DELETE()
            .build();
    try {
      send(request, "delete the uploaded jar");
    } catch (FlinkRestException e) {
      LOG.warn(
          "flink jar delete failed: cluster={}, jarId={}, error={}", base, jarId, e.getMessage());
    }
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new FlinkRestException(
          "Cannot "
              + what
              + ": no answer from the Flink cluster at "
              + base
              + " within "
              + CONNECT_TIMEOUT.toSeconds()
              + " s (is the address right?)",
          e);
    } catch (HttpTimeoutException e) {
      throw new FlinkRestException(
          "Cannot " + what + ": the Flink cluster at " + base + " did not answer in time", e);
    } catch (ConnectException e) {
      throw new FlinkRestException(
          "Cannot reach the Flink cluster at "
              + base
              + ": connection refused (is the JobManager running, and is this its REST port,"
              + " rest.port, default 8081?)",
          e);
    } catch (IOException e) {
      throw new FlinkRestException(
          "Cannot reach the Flink cluster at " + base + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkRestException("Cannot " + what + ": interrupted", e);
    }
    int status = response.statusCode();
    JsonNode json = parse(response.body());
    if (status / 100 == 2 && json != null) {
      return json;
    }
    if (status == 404 && request.uri().getPath().endsWith("/jars/upload")) {
      throw new FlinkRestException(
          "Cannot upload the job jar to "
              + base
              + ": the cluster does not accept jar uploads (HTTP 404; set web.submit.enable: true,"
              + " or is this not a Flink REST endpoint?)");
    }
    throw new FlinkRestException(
        "Cannot "
            + what
            + ": the Flink cluster at "
            + base
            + " answered HTTP "
            + status
            + errors(json, response.body()));
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Flink's {"errors": [...]}: the useful line of each, else the start of the body. */
  private static String errors(JsonNode json, String body) {
    List<String> lines = new ArrayList<>();
    if (json != null && json.path("errors").isArray()) {
      json.path("errors").forEach(e -> lines.add(usefulLine(e.asText())));
    }
    if (lines.isEmpty()) {
      String b = body == null ? "" : body.strip();
      return b.isEmpty() ? "" : ": " + (b.length() > 300 ? b.substring(0, 300) + "..." : b);
    }
    return ": " + String.join("; ", lines);
  }

  /**
   * The line of a Java stack trace that says what went wrong: the deepest "Caused by:", else the
   * first line.
   */
  static String usefulLine(String trace) {
    String useful = null;
    for (String line : trace.split("\\R")) {
      String l = line.strip();
      if (useful == null && !l.isEmpty()) {
        useful = l;
      }
      if (l.startsWith("Caused by: ")) {
        useful = l.substring("Caused by: ".length());
      }
    }
    return useful == null ? trace.strip() : useful;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
