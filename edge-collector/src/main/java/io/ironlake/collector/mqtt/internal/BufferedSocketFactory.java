package io.ironlake.collector.mqtt.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input is buffered, for {@code tcp://} brokers.
 *
 * <p>Paho (mqttv3 and mqttv5) reads each packet's fixed header a byte at a time from the socket's
 * stream: on a bare socket that is a system call for the type byte and one per byte of the
 * remaining length, before the one that reads the rest of the packet. Behind a buffer, one read
 * takes in as many packets as the kernel holds.
 *
 * <p>Paho sets a read timeout of one second and reads again after it. A timeout leaves {@link
 * BufferedInputStream}'s buffer as it was, so no byte is lost or read twice across it. TLS sockets
 * are not wrapped: they already decrypt whole records into their own buffer.
 */
public final class BufferedSocketFactory extends SocketFactory {
  /** Bytes read ahead per connection. */
  static final int BUFFER_BYTES = 64 * 1024;

  private static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();

  private BufferedSocketFactory() {}

  /** The factory, for a plain {@code tcp://} broker URL; {@code null} for any other scheme. */
  public static SocketFactory forBroker(String brokerUrl) {
    return brokerUrl.toLowerCase(Locale.ROOT).startsWith("tcp://") ? INSTANCE : null;
  }

  @Override
  public Socket createSocket() {
    return new BufferedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  /**
   * A buffered socket connected to {@code remote}, bound to {@code local} if given; closed if not.
   */
  private static Socket connected(InetSocketAddress remote, InetSocketAddress local)
      throws IOException {
    Socket s = new BufferedSocket();
    try {
      if (local != null) {
        s.bind(local);
      }
      s.connect(remote);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** A socket that hands out one buffered input stream. */
  static final class BufferedSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
      }
      return in;
    }
  }
}
