package io.ironlake.collector.check;

import io.ironlake.collector.CollectorException;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.OpcUaAcknowledger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * The {@code ack} command of the collector ({@code CollectorMain ack}, {@code ironlake collector
 * ack}): acknowledges one OPC UA condition on the server of a configured source, by the {@code
 * condition_id} and {@code event_id} of its record on {@code events.v1}.
 */
public final class ConditionAck {
  private ConditionAck() {}

  /**
   * Acknowledges and reports; returns the exit code: 0 accepted, 1 refused by the server or not
   * reachable, 2 an invalid argument (unknown source, event id not hex).
   *
   * @param configFile the file {@code config} came from, named in errors
   */
  public static int run(
      CollectorConfig config,
      Path configFile,
      String sourceName,
      String conditionId,
      String eventIdHex,
      String comment,
      PrintWriter out,
      PrintWriter err) {
    byte[] eventId;
    try {
      eventId = HexFormat.of().parseHex(eventIdHex);
    } catch (IllegalArgumentException e) {
      err.println(
          "Invalid value \""
              + eventIdHex
              + "\" for --event-id: expected the event_id of the condition's record (hex)");
      return 2;
    }
    OpcUaSourceConfig source =
        config.sources().stream()
            .filter(s -> s.name().equals(sourceName) && s instanceof OpcUaSourceConfig)
            .map(OpcUaSourceConfig.class::cast)
            .findFirst()
            .orElse(null);
    if (source == null) {
      err.println(
          "Invalid value \""
              + sourceName
              + "\" for --source: expected the name of an opcua source in "
              + configFile);
      return 2;
    }
    try {
      StatusCode status =
          OpcUaAcknowledger.acknowledge(
              config.id(),
              source,
              EdgeCollector.pkiDir(config.stateDir()),
              conditionId,
              eventId,
              comment == null ? "" : comment);
      if (status.isGood()) {
        out.println("acknowledged: " + conditionId);
        return 0;
      }
      err.println("Cannot acknowledge " + conditionId + ": the server answered " + status);
      return 1;
    } catch (CollectorException e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
