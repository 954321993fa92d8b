package io.ironlake.connectors.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkplugTopicTest {

  @Test
  void parsesNodeDeviceAndStateTopics() {
    SparkplugTopic node = SparkplugTopic.parse("spBv1.0/plant-sh/NDATA/line-3");
    assertThat(node.type()).isEqualTo(SparkplugMessageType.NDATA);
    assertThat(node.groupId()).isEqualTo("plant-sh");
    assertThat(node.edgeNodeId()).isEqualTo("line-3");
    assertThat(node.deviceId()).isNull();
    assertThat(node.isDeviceMessage()).isFalse();
    assertThat(node.edgeNodeDescriptor()).isEqualTo("plant-sh/line-3");

    SparkplugTopic device =
        SparkplugTopic.parse("spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella");
    assertThat(device.type()).isEqualTo(SparkplugMessageType.DDATA);
    assertThat(device.groupId()).isEqualTo("Sparkplug B Devices");
    assertThat(device.edgeNodeId()).isEqualTo("Raspberry Pi");
    assertThat(device.deviceId()).isEqualTo("Pibrella");
    assertThat(device.isDeviceMessage()).isTrue();

    SparkplugTopic state = SparkplugTopic.parse("spBv1.0/STATE/scada-1");
    assertThat(state.type()).isEqualTo(SparkplugMessageType.STATE);
    assertThat(state.hostId()).isEqualTo("scada-1");
    assertThat(state.groupId()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "spBv1.0/g/NBIRTH/e",
    "spBv1.0/g/NDEATH/e",
    "spBv1.0/g/NDATA/e",
    "spBv1.0/g/NCMD/e",
    "spBv1.0/g/DBIRTH/e/d",
    "spBv1.0/g/DDEATH/e/d",
    "spBv1.0/g/DDATA/e/d",
    "spBv1.0/g/DCMD/e/d",
    "spBv1.0/STATE/host"
  })
  void everyMessageTypeRoundTrips(String topic) {
    SparkplugTopic parsed = SparkplugTopic.parse(topic);
    assertThat(parsed.toString()).isEqualTo(topic);
    assertThat(topic).contains(parsed.type().name());
  }

  @Test
  void factoriesBuildTheTopicString() {
    assertThat(SparkplugTopic.node(SparkplugMessageType.NCMD, "plant-sh", "line-3"))
        .hasToString("spBv1.0/plant-sh/NCMD/line-3");
    assertThat(SparkplugTopic.device(SparkplugMessageType.DBIRTH, "plant-sh", "line-3", "m01"))
        .hasToString("spBv1.0/plant-sh/DBIRTH/line-3/m01");
    assertThatThrownBy(() -> SparkplugTopic.node(SparkplugMessageType.DDATA, "g", "e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid Sparkplug topic: device_id is empty");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "spAv1.0/g/NDATA/e | Invalid Sparkplug topic spAv1.0/g/NDATA/e: expected it to start with spBv1.0/, got 'spAv1.0'",
        "factory/plant/line/m01/telemetry | Invalid Sparkplug topic factory/plant/line/m01/telemetry: expected it to start with spBv1.0/, got 'factory'",
        "spBv1.0/g/NDATUM/e | Invalid Sparkplug topic spBv1.0/g/NDATUM/e: unknown message type 'NDATUM', expected one of NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE",
        "spBv1.0/g/ndata/e | Invalid Sparkplug topic spBv1.0/g/ndata/e: unknown message type 'ndata', expected one of NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE",
        "spBv1.0/g/NDATA | Invalid Sparkplug topic spBv1.0/g/NDATA: expected spBv1.0/<group_id>/<message_type>/<edge_node_id>[/<device_id>], got 3 levels",
        "spBv1.0/g/NDATA/e/d | Invalid Sparkplug topic spBv1.0/g/NDATA/e/d: NDATA is an edge node message: spBv1.0/<group_id>/NDATA/<edge_node_id>",
        "spBv1.0/g/DDATA/e | Invalid Sparkplug topic spBv1.0/g/DDATA/e: DDATA expects a device: spBv1.0/<group_id>/DDATA/<edge_node_id>/<device_id>",
        "spBv1.0/g/DDATA/e/d/x | Invalid Sparkplug topic spBv1.0/g/DDATA/e/d/x: DDATA expects a device: spBv1.0/<group_id>/DDATA/<edge_node_id>/<device_id>",
        "spBv1.0//NDATA/e | Invalid Sparkplug topic spBv1.0//NDATA/e: group_id is empty",
        "spBv1.0/g/DDATA/e/ | Invalid Sparkplug topic spBv1.0/g/DDATA/e/: device_id is empty",
        "spBv1.0/g/NDATA/+ | Invalid Sparkplug topic spBv1.0/g/NDATA/+: edge_node_id '+' contains '+'",
        "spBv1.0/STATE | Invalid Sparkplug topic spBv1.0/STATE: expected spBv1.0/STATE/<host_id>",
        "spBv1.0/STATE/h/x | Invalid Sparkplug topic spBv1.0/STATE/h/x: expected spBv1.0/STATE/<host_id>",
        "spBv1.0/g/STATE/e | Invalid Sparkplug topic spBv1.0/g/STATE/e: STATE belongs at spBv1.0/STATE/<host_id>"
      })
  void refusesWhatIsNotSparkplugWithAClearMessage(String topic, String message) {
    assertThatThrownBy(() -> SparkplugTopic.parse(topic))
        .isInstanceOf(InvalidSparkplugTopicException.class)
        .hasMessage(message);
  }

  @Test
  void refusesAnEmptyTopic() {
    assertThatThrownBy(() -> SparkplugTopic.parse(""))
        .isInstanceOf(InvalidSparkplugTopicException.class)
        .hasMessage("Invalid Sparkplug topic: empty");
    assertThatThrownBy(() -> SparkplugTopic.parse(null))
        .isInstanceOf(InvalidSparkplugTopicException.class)
        .hasMessage("Invalid Sparkplug topic: empty");
  }
}
