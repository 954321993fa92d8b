package io.ironlake.collector.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {

  @Test
  void onlyPlainTcpBrokersGetBufferedSockets() {
    assertThat(BufferedSocketFactory.forBroker("tcp://plc-gw:1883")).isNotNull();
    assertThat(BufferedSocketFactory.forBroker("TCP://plc-gw:1883")).isNotNull();
    assertThat(BufferedSocketFactory.forBroker("ssl://plc-gw:8883")).isNull();
    assertThat(BufferedSocketFactory.forBroker("ws://plc-gw:80")).isNull();
  }

  @Test
  void everyOverloadConnectsAndARefusedConnectThrows() throws Exception {
    SocketFactory factory = BufferedSocketFactory.forBroker("tcp://localhost:1883");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int freePort;
    try (ServerSocket server = new ServerSocket(0, 4, loopback)) {
      int port = server.getLocalPort();
      try (Socket a = factory.createSocket(loopback.getHostAddress(), port);
          Socket b = factory.createSocket(loopback, port);
          Socket c = factory.createSocket(loopback, port, loopback, 0)) {
        assertThat(List.of(a, b, c))
            .allSatisfy(s -> assertThat(s.isConnected()).isTrue())
            .allSatisfy(s -> assertThat(s.getPort()).isEqualTo(port));
      }
      freePort = port;
    }
    assertThatThrownBy(() -> factory.createSocket(loopback, freePort))
        .isInstanceOf(ConnectException.class);
  }

  /**
   * Reads as Paho does (one byte of header, then the rest, with a one-second style read timeout
   * between packets): across a timeout no byte is lost or repeated, also for a packet larger than
   * the buffer.
   */
  @Test
  void bytesArriveWholeAndInOrderAcrossReadTimeouts() throws Exception {
    SocketFactory factory = BufferedSocketFactory.forBroker("tcp://localhost:1883");
    byte[] large = new byte[3 * BufferedSocketFactory.BUFFER_BYTES + 17];
    new Random(42).nextBytes(large);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = factory.createSocket()) {
      client.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      client.setSoTimeout(200);
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        DataInputStream in = new DataInputStream(client.getInputStream());
        assertThat(client.getInputStream()).isSameAs(client.getInputStream());

        out.write(new byte[] {0x30, 3, 'a', 'b', 'c', 0x40, 2});
        out.flush();
        assertThat(in.readByte()).isEqualTo((byte) 0x30);
        assertThat(in.readByte()).isEqualTo((byte) 3);
        byte[] body = new byte[3];
        in.readFully(body);
        assertThat(body).containsExactly('a', 'b', 'c');
        assertThat(in.readByte()).isEqualTo((byte) 0x40);
        assertThat(in.readByte()).isEqualTo((byte) 2);

        assertThatThrownBy(in::readByte).isInstanceOf(SocketTimeoutException.class);

        out.write(new byte[] {0, 7});
        out.write(large);
        out.write(0x7F);
        out.flush();
        assertThat(in.readByte()).isEqualTo((byte) 0);
        assertThat(in.readByte()).isEqualTo((byte) 7);
        byte[] got = new byte[large.length];
        in.readFully(got);
        assertThat(got).isEqualTo(large);
        assertThat(in.readByte()).isEqualTo((byte) 0x7F);
      }
    }
  }
}
