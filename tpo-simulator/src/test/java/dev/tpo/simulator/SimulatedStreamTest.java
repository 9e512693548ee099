package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedStreamTest {
  /** Choice i has 10 * (n - i) words: choice 0 is the longest, the last the shortest. */
  private static final ChatResponder LONG_TO_SHORT = call -> {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < call.n(); i++) {
      texts.add(Lorem.answer(ChatResponder.mix(i + 1), i, 10 * (call.n() - i)));
    }
    return texts;
  };

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

  private static String streamBody(int n, boolean usage) {
    String plain = SimHttp.chatBody("sim-model", n, "What is TPO?");
    return plain.substring(0, plain.length() - 1) + ",\"stream\":true"
        + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  /** The {@code data:} payloads of a server-sent-events body, in order. */
  private static List<String> events(String body) {
    List<String> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      assertThat(block).startsWith("data: ");
      out.add(block.substring("data: ".length()));
    }
    return out;
  }

  /** What the stream says: each choice's text and finish reason, and the order they finished. */
  private record Streamed(Map<Integer, String> texts, Map<Integer, String> finish,
      List<Integer> finishOrder, JsonNode usage, boolean done) {}

  private static Streamed read(String body) throws Exception {
    Map<Integer, StringBuilder> texts = new LinkedHashMap<>();
    Map<Integer, String> finish = new LinkedHashMap<>();
    List<Integer> order = new ArrayList<>();
    JsonNode usage = null;
    boolean done = false;
    for (String data : events(body)) {
      assertThat(done).as("nothing after [DONE]").isFalse();
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = OpenAiJson.MAPPER.readTree(data);
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asText()).isEqualTo("sim-model");
      if (chunk.hasNonNull("usage")) {
        assertThat(chunk.path("choices")).isEmpty();
        usage = chunk.path("usage");
      }
      for (JsonNode c : chunk.path("choices")) {
        int index = c.path("index").asInt();
        assertThat(finish).as("no delta after the finish of choice " + index)
            .doesNotContainKey(index);
        texts.computeIfAbsent(index, i -> new StringBuilder())
            .append(c.path("delta").path("content").asText(""));
        if (c.hasNonNull("finish_reason")) {
          finish.put(index, c.path("finish_reason").asText());
          order.add(index);
        }
      }
    }
    Map<Integer, String> joined = new LinkedHashMap<>();
    texts.forEach((k, v) -> joined.put(k, v.toString()));
    return new Streamed(joined, finish, order, usage, done);
  }

  @Test
  void streamsEveryChoiceInterleavedWithTheTextsOfThePlainAnswer() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().responder(LONG_TO_SHORT)
        .tokenDelay(java.time.Duration.ofMillis(1)));
    JsonNode plain = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 4, "What is TPO?")));
    HttpResponse<String> r = http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(4, true));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    Streamed s = read(r.body());
    assertThat(s.done()).isTrue();
    assertThat(s.texts()).hasSize(4);
    long completion = 0;
    for (int i = 0; i < 4; i++) {
      String text = plain.path("choices").get(i).path("message").path("content").asText();
      assertThat(s.texts().get(i)).isEqualTo(text);
      assertThat(s.finish().get(i)).isEqualTo("stop");
      completion += ChatEndpoint.tokens(text);
    }
    // the shortest choice finishes first: choices of different lengths finish at different steps
    assertThat(s.finishOrder()).containsExactly(3, 2, 1, 0);
    // interleaved: the first content chunks are of different choices, not one choice after another
    List<Integer> firstIndices = new ArrayList<>();
    for (String data : events(r.body()).subList(1, 5)) {
      firstIndices.add(OpenAiJson.MAPPER.readTree(data).at("/choices/0/index").asInt());
    }
    assertThat(firstIndices).containsExactly(0, 1, 2, 3);
    assertThat(s.usage().path("completion_tokens").asLong()).isEqualTo(completion);
    assertThat(s.usage().path("prompt_tokens").asLong())
        .isEqualTo(plain.path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void aStepSendsAsManyTokensAsTheTokenDelayFitsInFiveMilliseconds() {
    assertThat(ChatStream.tokensPerStep(1_000_000L)).isEqualTo(5);
    assertThat(ChatStream.tokensPerStep(2_000_000L)).isEqualTo(3);
    assertThat(ChatStream.tokensPerStep(5_000_000L)).isEqualTo(1);
    assertThat(ChatStream.tokensPerStep(50_000_000L)).isEqualTo(1);
    assertThat(ChatStream.tokensPerStep(0)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void sendsUsageOnlyWhenAskedAndCountsTheRequest() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    Streamed s = read(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(2, false)).body());
    assertThat(s.usage()).isNull();
    assertThat(s.done()).isTrue();
    assertThat(s.finish()).containsOnlyKeys(0, 1);
    assertThat(server.stats().requestsByPath()).containsEntry(SimulatedOpenAiServer.CHAT_PATH, 1L);
  }

  @Test
  void refuseNAnswers400ToAStreamedRequestForSeveralChoicesAndStreamsOne() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().streamMode(StreamMode.REFUSE_N));
    HttpResponse<String> refused = http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(3, true));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(SimHttp.json(refused).at("/error/message").asText()).contains("n=3");

    Streamed one = read(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(1, true)).body());
    assertThat(one.finish()).containsOnlyKeys(0);
    // the plain request with n > 1 is still answered
    assertThat(SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
        SimHttp.chatBody("sim-model", 3, "What is TPO?"))).path("choices")).hasSize(3);
  }

  @Test
  void firstOnlyStreamsChoiceZeroAlone() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().streamMode(StreamMode.FIRST_ONLY));
    Streamed s = read(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(3, true)).body());
    assertThat(s.texts()).containsOnlyKeys(0);
    assertThat(s.finish()).containsOnlyKeys(0);
    assertThat(s.done()).isTrue();
  }

  @Test
  void theModeIsSetAtRunTimeThroughSimConfig() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder());
    assertThat(http.post("/sim/config", "{\"streamMode\":\"refuse-n\"}").statusCode())
        .isEqualTo(200);
    assertThat(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(2, true)).statusCode())
        .isEqualTo(400);
    http.post("/sim/config", "{\"streamMode\":\"FIRST_ONLY\"}");
    assertThat(read(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(2, true)).body())
        .finish()).containsOnlyKeys(0);
    assertThat(http.post("/sim/config", "{\"streamMode\":\"sometimes\"}").statusCode())
        .isEqualTo(400);
    server.setStreamMode(StreamMode.HONOR);
    assertThat(read(http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(2, true)).body())
        .finish()).containsOnlyKeys(0, 1);
  }

  @Test
  void aCutStreamEndsWithoutDone() throws Exception {
    SimHttp http = start(SimulatedOpenAiServer.builder().responder(LONG_TO_SHORT));
    server.chatFaults().enqueue(Fault.cutBody());
    HttpResponse<String> r;
    String body;
    try {
      r = http.post(SimulatedOpenAiServer.CHAT_PATH, streamBody(2, true));
      body = r.body();
    } catch (java.io.IOException e) {
      return; // the client saw the connection end early: also a cut stream
    }
    Streamed s = read(body);
    assertThat(s.done()).isFalse();
    assertThat(s.finish()).doesNotContainKey(0);
  }
}
