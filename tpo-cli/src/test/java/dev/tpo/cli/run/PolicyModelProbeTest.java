package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tpo.adapter.openai.ModelProbe;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.ServerErrorException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PolicyModelProbeTest {
  private HttpServer server;
  private final AtomicReference<String> auth = new AtomicReference<>();

  private String serve(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/models", ex -> {
      auth.set(ex.getRequestHeaders().getFirst("Authorization"));
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static final String TWO = "{\"object\":\"list\",\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}";

  @Test
  void apiRootAddsV1OnlyWhenMissing() {
    assertThat(apiRoot("http://h:8000")).isEqualTo("http://h:8000/v1");
    assertThat(apiRoot("http://h:8000/v1/")).isEqualTo("http://h:8000/v1");
    assertThat(apiRoot("https://h/openai/v2")).isEqualTo("https://h/openai/v2");
  }

  private static String apiRoot(String baseUrl) {
    try (ModelProbe probe = ModelProbe.builder().baseUrl(baseUrl).build()) {
      return probe.apiRoot();
    }
  }

  @Test
  void picksTheOnlyModelAndSendsTheKey() throws IOException {
    String url = serve(200, "{\"data\":[{\"id\":\"only\"}]}");
    assertThat(TpoRunnerFactory.resolveModel(url, Optional.of("k-123"), Optional.empty()))
        .isEqualTo("only");
    assertThat(auth.get()).isEqualTo("Bearer k-123");
  }

  @Test
  void acceptsAServedModelAndRefusesAWrongOneListingTheServed() throws IOException {
    String url = serve(200, TWO);
    assertThat(TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.of("b"))).isEqualTo("b");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.of("c")))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("does not serve the model 'c'")
        .hasMessageContaining("[a, b]")
        .hasMessageContaining("--model");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.empty()))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("several models [a, b]");
  }

  @Test
  void refusedKeyIsAnAuthenticationErrorWithoutTheKey() throws IOException {
    String url = serve(401, "{\"error\":\"bad key\"}");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.of("sk-zzz"), Optional.empty()))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("refused the API key")
        .hasMessageNotContaining("sk-zzz");
  }

  @Test
  void serverErrorsAndNonJsonAreReportedWithTheUrl() throws IOException {
    String url = serve(500, "boom");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.empty()))
        .isInstanceOf(ServerErrorException.class).hasMessageContaining(url + "/models")
        .hasMessageContaining("HTTP 500");
    stop();
    String url2 = serve(200, "<html>not json</html>");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url2, Optional.empty(), Optional.empty()))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("JSON model list");
  }

  @Test
  void noModelListIsFineWhenTheModelIsGiven() throws IOException {
    String url = serve(404, "not found");
    assertThat(TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.of("m"))).isEqualTo("m");
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.empty()))
        .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("ends in /v1");
  }

  @Test
  void deadServerFailsFastNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v1";
    assertThatThrownBy(() -> TpoRunnerFactory.resolveModel(url, Optional.empty(), Optional.empty()))
        .isInstanceOf(ConnectionFailedException.class)
        .hasMessageContaining(url + "/models")
        .hasMessageContaining("connection refused");
  }
}
