package dev.tpo.adapter.http;

import java.io.IOException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test with a fresh MockWebServer started before each test and shut down after it. */
public abstract class MockServerTest {
  /** The server of the current test. */
  protected final MockWebServer server = new MockWebServer();

  /** Starts the server. */
  @BeforeEach
  protected void startServer() throws IOException {
    server.start();
  }

  /** Shuts the server down. */
  @AfterEach
  protected void stopServer() throws IOException {
    server.shutdown();
  }
}
