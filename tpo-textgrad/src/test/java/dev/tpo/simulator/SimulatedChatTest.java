package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedChatTest {
  private SimulatedOpenAiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private SimHttp start(SimulatedOpenAiServer.Builder b) {
    server = b.start();
    return new SimHttp(server);
  }

  @Test
  void answersInOpenAiFormatWithNDistinctDeterministicChoices() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    HttpResponse<String> first = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 5, "What is TPO?"));
    HttpResponse<String> again = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 5, "What is TPO?"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode j = SimHttp.json(first);
    assertThat(j.path("id").asText()).startsWith("chatcmpl-");
    assertThat(j.path("object").asText()).isEqualTo("chat.completion");
    assertThat(j.path("created").asLong()).isPositive();
    assertThat(j.path("model").asText()).isEqualTo("sim-model");
    assertThat(j.path("choices")).hasSize(5);
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      JsonNode c = j.path("choices").get(i);
      assertThat(c.path("index").asInt()).isEqualTo(i);
      assertThat(c.path("message").path("role").asText()).isEqualTo("assistant");
      assertThat(c.path("finish_reason").asText()).isEqualTo("stop");
      texts.add(c.path("message").path("content").asText());
    }
    assertThat(texts).hasSize(5).noneMatch(t -> t.contains("<NEW_VALUE>"));
    JsonNode usage = j.path("usage");
    assertThat(usage.path("total_tokens").asLong())
        .isEqualTo(usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong());
    assertThat(usage.path("completion_tokens").asLong()).isPositive();
    assertThat(SimHttp.json(again).path("choices")).isEqualTo(j.path("choices"));
  }

  @Test
  void differentPromptsAndSeedsGiveDifferentAnswers() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    String a = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 1, "one"))).at("/choices/0/message/content").asText();
    String b = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 1, "two"))).at("/choices/0/message/content").asText();
    String c = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 1, "one").replace("\"seed\":7", "\"seed\":8")))
        .at("/choices/0/message/content").asText();
    assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void wrapsEveryChoiceInTagsWhenTheRequestAsksForANewValue() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    JsonNode j = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 3, "Improve it. Answer between <NEW_VALUE> and </NEW_VALUE>.")));
    assertThat(j.path("choices")).hasSize(3);
    for (JsonNode c : j.path("choices")) {
      assertThat(c.at("/message/content").asText())
          .startsWith("<NEW_VALUE>").endsWith("</NEW_VALUE>").hasSizeGreaterThan(30);
    }
  }

  @Test
  void refusesNAboveOneLikeLlamaCppAndIgnoresItLikeOllama() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().nMode(NMode.REFUSE));
    HttpResponse<String> refused = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 5, "q"));
    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.body()).contains("Only one completion choice is allowed", "n=5");
    assertThat(SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 1, "q"))).path("choices")).hasSize(1);

    server.setNMode(NMode.IGNORE);
    assertThat(SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 5, "q"))).path("choices")).hasSize(1);
  }

  @Test
  void unknownModelAnswers404InOpenAiErrorFormatAndModelsAreListed() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().models("policy-a", "policy-b"));
    HttpResponse<String> r = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("nope", 1, "q"));
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode error = SimHttp.json(r).path("error");
    assertThat(error.path("message").asText()).contains("nope");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");

    JsonNode models = SimHttp.json(http.get(SimulatedOpenAiServer.MODELS_PATH));
    assertThat(models.path("object").asText()).isEqualTo("list");
    assertThat(models.findValuesAsText("id")).containsExactly("policy-a", "policy-b");
  }

  @Test
  void rejectsBadRequestsWith400NamingTheField() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    HttpResponse<String> notJson = http.post(SimulatedOpenAiServer.CHAT_PATH, "{oops");
    HttpResponse<String> noMessages = http.post(SimulatedOpenAiServer.CHAT_PATH,
        "{\"model\":\"sim-model\",\"messages\":[]}");
    HttpResponse<String> badN = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 0, "q"));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(noMessages.body()).contains("messages");
    assertThat(badN.statusCode()).isEqualTo(400);
    assertThat(badN.body()).contains("n must be");
  }

  @Test
  void maxTokensCutsTheTextAndReportsLength() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().responder(ChatResponder.deterministic(200)));
    JsonNode j = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 2, "q").replace("{", "{\"max_tokens\":10,")));
    for (JsonNode c : j.path("choices")) {
      assertThat(c.path("finish_reason").asText()).isEqualTo("length");
      assertThat(c.at("/message/content").asText()).hasSize(40);
    }
    assertThat(j.at("/usage/completion_tokens").asLong()).isEqualTo(20);
  }

  @Test
  void serves256ConcurrentRequestsAndKeepsTheirConnectionsUsable() throws Exception {
    int concurrent = 256;
    AtomicReference<CountDownLatch> wave = new AtomicReference<>(new CountDownLatch(concurrent));
    ChatResponder waitForAll = call -> {
      CountDownLatch all = wave.get();
      all.countDown();
      try {
        all.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ChatResponder.deterministic().respond(call);
    };
    SimHttp http = start(SimulatedOpenAiServer.builder().responder(waitForAll));
    for (int round = 0; round < 2; round++) {
      wave.set(new CountDownLatch(concurrent));
      server.resetStats();
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < concurrent; i++) {
        futures.add(http.postAsync(SimulatedOpenAiServer.CHAT_PATH,
            SimHttp.chatBody("sim-model", 1, "q" + i)));
      }
      for (CompletableFuture<HttpResponse<String>> f : futures) {
        assertThat(f.get(40, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      // A handler counts its request out after the answer is sent, so the client may see the
      // answer a moment before the count drops: wait (bounded) for the count to settle.
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.stats().inFlight() != 0 && System.nanoTime() < settle) {
        Thread.sleep(5);
      }
      ServerStats stats = server.stats();
      assertThat(stats.requests()).isEqualTo(concurrent);
      assertThat(stats.requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(concurrent);
      assertThat(stats.maxInFlight()).isEqualTo(concurrent);
      assertThat(stats.inFlight()).isZero();
      assertThat(server.requests(SimulatedOpenAiServer.CHAT_PATH)).hasSize(concurrent);
    }
    assertThat(server.requests().get(0).json().path("model").asText()).isEqualTo("sim-model");
    server.resetStats();
    assertThat(server.stats().requests()).isZero();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void latencyDelaysTheAnswer() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(150))
        .tokenDelay(Duration.ofMillis(1)));
    long t0 = System.nanoTime();
    http.post(SimulatedOpenAiServer.CHAT_PATH, SimHttp.chatBody("sim-model", 1, "q"));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    // A lower bound only: the server must not answer before its configured latency.
    assertThat(tookMs).isGreaterThanOrEqualTo(150);
  }

  @Test
  void countsTheSimulatedLatencyPerPath() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(5))
        .tokenDelay(Duration.ofMillis(1)).rewardLatency(Duration.ofMillis(3))
        .responder(ChatResponder.fixed("x".repeat(40))));
    server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(Fault.delay(Duration.ofMillis(7)));
    http.post(SimulatedOpenAiServer.CHAT_PATH, SimHttp.chatBody("sim-model", 2, "q"));
    http.post(SimulatedOpenAiServer.POOLING_PATH, "{\"input\":\"a\"}");
    http.post(SimulatedOpenAiServer.POOLING_PATH, "{\"input\":\"b\"}");
    ServerStats stats = server.stats();
    // 5 ms + 10 tokens of the longest choice * 1 ms; two reward requests of 3 ms, one 7 ms more
    assertThat(stats.delayNanos(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(15_000_000L);
    assertThat(stats.delayNanos(SimulatedOpenAiServer.POOLING_PATH)).isEqualTo(13_000_000L);
  }

  @Test
  void requiresTheApiKeyWhenConfigured() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().requireApiKey("sk-secret"));
    HttpResponse<String> r = http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 1, "q"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("invalid_api_key").doesNotContain("sk-secret");
  }
}
