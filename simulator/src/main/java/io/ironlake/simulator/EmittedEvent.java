package io.ironlake.simulator;

/**
 * One OPC UA event the simulator raised.
 *
 * @param devicePath {@code site/area/line/device}: the event's SourceName; its SourceNode is the
 *     device's folder
 * @param eventIdHex the EventId, hex
 * @param alarm true for an AlarmConditionType "fault" event, false for a BaseEventType state change
 * @param tsMicros the event's Time (the simulated tick time)
 * @param severity 1..1000
 * @param message the event's Message
 * @param active for an alarm: ActiveState/Id (true when the machine went DOWN); false otherwise
 * @param acked for an alarm: AckedState/Id after this event; false otherwise
 * @param retain for an alarm: Retain after this event (active or not yet acknowledged); false
 *     otherwise
 * @param conditionId for an alarm: the ConditionId, the NodeId of the device's {@code fault}
 *     condition ({@code ns=2;s=<device path>/fault}); null otherwise
 */
public record EmittedEvent(
    String devicePath,
    String eventIdHex,
    boolean alarm,
    long tsMicros,
    int severity,
    String message,
    boolean active,
    boolean acked,
    boolean retain,
    String conditionId) {}
