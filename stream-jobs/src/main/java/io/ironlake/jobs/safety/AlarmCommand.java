package io.ironlake.jobs.safety;

/**
 * An operator's command on an alarm, read from the command topic ({@code alarm-commands.v1}). Today
 * the only command is {@code ACK}:
 *
 * <pre>{@code
 * {"command":"ACK","alarmId":"plant-sh/assembly/line-1/m01/temperature_c/H/1741075210000000",
 *  "user":"operator-7","tsMicros":1741075260000000}
 * }</pre>
 *
 * @param command {@code ACK}
 * @param alarmId the occurrence, as in the alarm events
 * @param user who sent it
 * @param tsMicros when (defaults to the Kafka record's timestamp)
 */
public record AlarmCommand(String command, String alarmId, String user, long tsMicros) {
  /** The acknowledge command. */
  public static final String ACK = "ACK";
}
