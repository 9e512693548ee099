package dev.tpo.adapter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.function.IntConsumer;
import javax.net.SocketFactory;

/**
 * The sockets of the adapters' HTTP clients: a connection whose first SYN gets no answer within
 * {@value #FIRST_ATTEMPT_MS} ms is tried again at once on a fresh socket (then after twice that,
 * then for the rest of the connect timeout), instead of waiting for the kernel to send the SYN
 * again after its initial retransmission timeout, one second on Linux (issue 21).
 *
 * <p>Why: a server whose accept queue is full drops the SYN of a new connection. A run opens its
 * connections in bursts (the first scoring round of the first prompts: prompts x candidates
 * requests at once, the pool still empty), and a server with a small listen backlog (cpp-httplib's
 * default is 5, Python's {@code http.server} 5, the JDK's {@code HttpServer} 50) that has not
 * accepted the first ones yet loses the rest: each request on such a connection started a second
 * late. A connect that succeeds costs nothing more; a server more than {@value #FIRST_ATTEMPT_MS}
 * ms away pays one more attempt per new connection (connections are pooled). A refused
 * connection fails at once, as before.
 *
 * <p>The socket OkHttp gets is a {@link Socket} that delegates every call to the plain socket
 * that connected. Thread-safe factory; each socket, like any socket, is used by one connection.
 */
public final class QuickConnectSockets extends SocketFactory {
  /** The first attempt's bound, in milliseconds; each next one is twice the last. */
  public static final int FIRST_ATTEMPT_MS = 200;
  private static final int ATTEMPTS_BEFORE_THE_REST = 2;
  private static final QuickConnectSockets INSTANCE = new QuickConnectSockets(n -> { });
  private final IntConsumer onAttemptTimedOut;

  QuickConnectSockets(IntConsumer onAttemptTimedOut) {
    this.onAttemptTimedOut = onAttemptTimedOut;
  }

  /**
   * The shared factory.
   *
   * @return the factory
   */
  public static QuickConnectSockets get() {
    return INSTANCE;
  }

  @Override
  public Socket createSocket() {
    return new QuickSocket(onAttemptTimedOut);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  /** A socket that connects in short attempts on fresh sockets, then delegates to the one. */
  static final class QuickSocket extends Socket {
    private final IntConsumer onAttemptTimedOut;
    private volatile Socket inner = new Socket();
    /** Settings made before connecting, carried over to a fresh socket: -1 when not set. */
    private int soTimeout = -1;
    private Boolean tcpNoDelay;
    private Boolean keepAlive;
    private SocketAddress boundTo;

    QuickSocket(IntConsumer onAttemptTimedOut) {
      this.onAttemptTimedOut = onAttemptTimedOut;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (timeout < 0) {
        throw new IllegalArgumentException("connect: timeout can't be negative");
      }
      long deadline = timeout == 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000L;
      int bound = FIRST_ATTEMPT_MS;
      for (int attempt = 1; ; attempt++) {
        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE
            : (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new SocketTimeoutException("Connect timed out");
        }
        boolean last = attempt > ATTEMPTS_BEFORE_THE_REST || left <= bound;
        int wait = last ? (left == Long.MAX_VALUE ? 0 : (int) left) : bound;
        try {
          inner.connect(endpoint, wait);
          return;
        } catch (SocketTimeoutException e) {
          if (last) {
            throw e;
          }
          onAttemptTimedOut.accept(attempt);
          try {
            inner.close(); // its connect gave up; the kernel sends its SYN no more
          } catch (IOException ignored) {
            // already closed by the failed connect
          }
          inner = fresh(); // a new socket sends a new SYN now
          bound *= 2;
        }
      }
    }

    private Socket fresh() throws IOException {
      Socket s = new Socket();
      if (soTimeout >= 0) {
        s.setSoTimeout(soTimeout);
      }
      if (tcpNoDelay != null) {
        s.setTcpNoDelay(tcpNoDelay);
      }
      if (keepAlive != null) {
        s.setKeepAlive(keepAlive);
      }
      if (boundTo != null) {
        s.bind(boundTo);
      }
      return s;
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
      inner.bind(bindpoint);
      boundTo = bindpoint;
    }

    @Override
    public InetAddress getInetAddress() {
      return inner.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
      return inner.getLocalAddress();
    }

    @Override
    public int getPort() {
      return inner.getPort();
    }

    @Override
    public int getLocalPort() {
      return inner.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return inner.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return inner.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
      return inner.getChannel();
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return inner.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return inner.getOutputStream();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws java.net.SocketException {
      inner.setTcpNoDelay(on);
      tcpNoDelay = on;
    }

    @Override
    public boolean getTcpNoDelay() throws java.net.SocketException {
      return inner.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws java.net.SocketException {
      inner.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws java.net.SocketException {
      return inner.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
      inner.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws java.net.SocketException {
      inner.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws java.net.SocketException {
      return inner.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
      inner.setSoTimeout(timeout);
      soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() throws java.net.SocketException {
      return inner.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws java.net.SocketException {
      inner.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws java.net.SocketException {
      return inner.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws java.net.SocketException {
      inner.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws java.net.SocketException {
      return inner.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws java.net.SocketException {
      inner.setKeepAlive(on);
      keepAlive = on;
    }

    @Override
    public boolean getKeepAlive() throws java.net.SocketException {
      return inner.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws java.net.SocketException {
      inner.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws java.net.SocketException {
      return inner.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws java.net.SocketException {
      inner.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws java.net.SocketException {
      return inner.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }

    @Override
    public void shutdownInput() throws IOException {
      inner.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      inner.shutdownOutput();
    }

    @Override
    public String toString() {
      return inner.toString();
    }

    @Override
    public boolean isConnected() {
      return inner.isConnected();
    }

    @Override
    public boolean isBound() {
      return inner.isBound();
    }

    @Override
    public boolean isClosed() {
      return inner.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
      return inner.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
      return inner.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
      inner.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
      inner.setOption(name, value);
      return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
      return inner.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
      return inner.supportedOptions();
    }
  }
}
