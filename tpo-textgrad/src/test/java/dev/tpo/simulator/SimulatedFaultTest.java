package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedFaultTest {
  private static final String CHAT = SimulatedOpenAiServer.CHAT_PATH;
  private static final String UPDATE_PROMPT = "Rewrite it between <NEW_VALUE> and </NEW_VALUE>.";
  private SimulatedOpenAiServer server;
  private SimHttp http;

  @BeforeEach
  void start() {
    server = SimulatedOpenAiServer.builder().start();
    http = new SimHttp(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> chat(int n) throws Exception {
    return http.post(CHAT, SimHttp.chatBody("sim-model", n, "q"));
  }

  private JsonNode update(int n) throws Exception {
    return SimHttp.json(http.post(CHAT, SimHttp.chatBody("sim-model", n, UPDATE_PROMPT)));
  }

  @Test
  void queuedStatusFaultsHitTheNextRequestsInOrderThenTheServerRecovers() throws Exception {
    server.chatFaults().enqueue(Fault.rateLimited(Duration.ofMillis(1500)), Fault.rateLimited(),
        Fault.status(500), Fault.status(502), Fault.status(503), Fault.status(401),
        Fault.status(404, "{\"error\":{\"message\":\"gone\"}}"));

    HttpResponse<String> first = chat(1);
    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(first.body()).contains("rate_limit_error");
    HttpResponse<String> second = chat(1);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).isEmpty();
    assertThat(chat(1).statusCode()).isEqualTo(500);
    assertThat(chat(1).statusCode()).isEqualTo(502);
    assertThat(chat(1).statusCode()).isEqualTo(503);
    assertThat(chat(1).statusCode()).isEqualTo(401);
    HttpResponse<String> seventh = chat(1);
    assertThat(seventh.statusCode()).isEqualTo(404);
    assertThat(seventh.body()).contains("gone");
    assertThat(chat(1).statusCode()).isEqualTo(200);
    assertThat(server.chatFaults().pending()).isZero();
    assertThat(server.stats().faultsInjected()).isEqualTo(7);
  }

  @Test
  void faultsOnOnePathLeaveOtherPathsAlone() throws Exception {
    server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(Fault.status(500));
    assertThat(chat(1).statusCode()).isEqualTo(200);
    assertThat(http.post(SimulatedOpenAiServer.POOLING_PATH, "{\"input\":\"x\"}").statusCode())
        .isEqualTo(500);
  }

  @Test
  void closedConnectionAndCutBodyFailOnTheClient() throws Exception {
    server.chatFaults().enqueue(Fault.closeConnection(), Fault.cutBody());
    assertThatThrownBy(() -> chat(1)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> chat(1)).isInstanceOf(IOException.class);
    assertThat(chat(1).statusCode()).isEqualTo(200);
  }

  @Test
  void hangOutlastsTheClientsReadTimeout() throws Exception {
    server.chatFaults().enqueue(Fault.hang());
    assertThatThrownBy(() -> http.post(CHAT, SimHttp.chatBody("sim-model", 1, "q"),
        Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
    assertThat(chat(1).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedJsonIsACompleteResponseThatDoesNotParse() throws Exception {
    server.chatFaults().enqueue(Fault.malformedJson());
    HttpResponse<String> r = chat(1);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"id\"");
    assertThatThrownBy(() -> SimHttp.json(r)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void contentFaultsChangeChoices() throws Exception {
    server.chatFaults().enqueue(Fault.noChoices(), Fault.fewerChoices(2), Fault.finishLength());
    JsonNode none = SimHttp.json(chat(5));
    assertThat(none.has("choices")).isFalse();
    assertThat(none.has("usage")).isTrue();
    assertThat(SimHttp.json(chat(5)).path("choices")).hasSize(2);
    JsonNode length = SimHttp.json(chat(3));
    assertThat(length.findValuesAsText("finish_reason")).containsOnly("length").hasSize(3);
  }

  @Test
  void updateFaultsWaitForAnUpdateRequest() throws Exception {
    server.chatFaults().enqueue(Fault.updateWithoutTags(), Fault.updateEmpty(),
        Fault.updateTagTextInside());
    JsonNode plain = SimHttp.json(chat(1));
    assertThat(plain.at("/choices/0/message/content").asText()).startsWith("Simulated answer");
    assertThat(server.chatFaults().pending()).isEqualTo(3);

    assertThat(update(2).findValuesAsText("content"))
        .hasSize(2).allSatisfy(t -> assertThat(t).doesNotContain("<NEW_VALUE>").isNotEmpty());
    assertThat(update(2).findValuesAsText("content")).containsOnly("");
    assertThat(update(1).at("/choices/0/message/content").asText())
        .startsWith("<NEW_VALUE>").endsWith("</NEW_VALUE>")
        .satisfies(t -> assertThat(t.split("<NEW_VALUE>", -1)).hasSize(3));
    assertThat(server.chatFaults().pending()).isZero();
  }

  @Test
  void rewardFaultsGiveNaNTooFewScoresErrorsAndHangs() throws Exception {
    String path = SimulatedOpenAiServer.CLASSIFY_PATH;
    server.faults(path).enqueue(Fault.rewardNaN(), Fault.rewardTooFew(), Fault.status(500),
        Fault.hang());
    String body = "{\"model\":\"sim-reward\",\"input\":[\"a\",\"b\",\"c\"]}";
    HttpResponse<String> nan = http.post(path, body);
    assertThat(nan.body()).contains("[NaN]");
    assertThat(SimHttp.json(http.post(path, body)).path("data")).hasSize(2);
    assertThat(http.post(path, body).statusCode()).isEqualTo(500);
    assertThatThrownBy(() -> http.post(path, body, Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(SimHttp.json(http.post(path, body)).path("data")).hasSize(3);
  }

  @Test
  void randomFaultsFollowTheProbabilityWithASeededGenerator() throws Exception {
    server.chatFaults().withProbability(0.3, Fault.status(503));
    int failures = 0;
    for (int i = 0; i < 200; i++) {
      if (chat(1).statusCode() == 503) {
        failures++;
      }
    }
    assertThat(failures).isBetween(30, 90);
    assertThat(server.stats().faultsInjected()).isEqualTo(failures);

    SimulatedOpenAiServer twin = SimulatedOpenAiServer.builder().start();
    try {
      twin.chatFaults().withProbability(0.3, Fault.status(503));
      SimHttp twinHttp = new SimHttp(twin);
      int twinFailures = 0;
      for (int i = 0; i < 200; i++) {
        if (twinHttp.post(CHAT, SimHttp.chatBody("sim-model", 1, "q")).statusCode() == 503) {
          twinFailures++;
        }
      }
      assertThat(twinFailures).isEqualTo(failures);
    } finally {
      twin.close();
    }
  }

  @Test
  void onlyIfNarrowsAFault() throws Exception {
    server.chatFaults().enqueue(Fault.status(503).onlyIf(r -> r.n() == 5));
    assertThat(chat(1).statusCode()).isEqualTo(200);
    assertThat(chat(5).statusCode()).isEqualTo(503);
  }

  @Test
  void invalidFaultsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> Fault.status(200)).hasMessageContaining("200");
    assertThatThrownBy(() -> Fault.fewerChoices(-1)).hasMessageContaining("-1");
    assertThatThrownBy(() -> server.chatFaults().withProbability(1.5, Fault.status(500)))
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> Fault.closeConnection().withRetryAfter(Duration.ofSeconds(1)))
        .hasMessageContaining("CLOSE_CONNECTION");
  }
}
