package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.adapter.balance.BalancedLanguageModel;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.FinishReason;
import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.NMode;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import dev.tpo.simulator.StreamMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter's streamed requests ({@link OpenAiCompatibleModel#chatAsync(ChatRequest,
 * ChoiceListener)}) against the simulator over loopback HTTP: the same response as the plain
 * request, each choice heard once as it finishes, the plain request when the server does not
 * stream n > 1, and faults retried as on the plain path.
 */
@Timeout(60)
class StreamedChoicesTest {
  /** Choice i of n has 6 * (n - i) words plus the seed: the last choice is the shortest. */
  private static final ChatResponder LONG_TO_SHORT = call -> {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < call.n(); i++) {
      StringBuilder t = new StringBuilder("choice " + i + " seed " + call.seed() + ":");
      for (int w = 0; w < 6 * (call.n() - i); w++) {
        t.append(" word").append(w);
      }
      texts.add(t.toString());
    }
    return texts;
  };

  private final List<OpenAiCompatibleModel> models = new ArrayList<>();
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  private SimulatedOpenAiServer server;

  @AfterEach
  void stop() {
    models.forEach(OpenAiCompatibleModel::close);
    if (server != null) {
      server.close();
    }
  }

  private OpenAiCompatibleModel start(SimulatedOpenAiServer.Builder sim) {
    server = sim.responder(LONG_TO_SHORT).start();
    OpenAiCompatibleModel m = OpenAiCompatibleModel.builder()
        .baseUrl(server.openAiBaseUrl())
        .model("sim-model")
        .timeout(Duration.ofSeconds(20))
        .retrySleeper(delay -> {
          sleeps.add(delay);
          return CompletableFuture.completedFuture(null);
        })
        .build();
    models.add(m);
    return m;
  }

  private static ChatRequest request(int n) {
    return ChatRequest.builder().user("Why is the sky blue?").n(n).temperature(0.7).seed(7L)
        .maxTokens(512).build();
  }

  private List<RecordedRequest> chatRequests() {
    return server.requests(SimulatedOpenAiServer.CHAT_PATH);
  }

  private static boolean streamed(RecordedRequest r) {
    return r.json().path("stream").asBoolean(false);
  }

  @Test
  void streamsEachChoiceAsItFinishesAndAnswersAsThePlainRequest() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder());
    ChatResponse plain = model.chat(request(4));
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse streamed = model.chatAsync(request(4), heard::add).join();

    assertThat(streamed.choices()).isEqualTo(plain.choices());
    assertThat(streamed.usage()).isEqualTo(plain.usage());
    assertThat(streamed.model()).isEqualTo("sim-model");
    // heard in the order they finished: the shortest first, each with its full text
    assertThat(heard).extracting(ChatChoice::index).containsExactly(3, 2, 1, 0);
    for (ChatChoice c : heard) {
      assertThat(c).isEqualTo(plain.choices().get(c.index()));
    }
    List<RecordedRequest> sent = chatRequests();
    assertThat(sent).hasSize(2);
    assertThat(streamed(sent.get(0))).isFalse();
    assertThat(streamed(sent.get(1))).isTrue();
    assertThat(sent.get(1).json().at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(sent.get(1).json().path("n").asInt()).isEqualTo(4);
    assertThat(model.streamingFallback()).isFalse();
  }

  @Test
  void theBalancerPassesTheListenerToTheEndpointsModel() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder());
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());
    try (BalancedLanguageModel balanced = BalancedLanguageModel.builder().endpoint(model)
        .closeEndpoints(false).build()) {
      ChatResponse r = balanced.chatAsync(request(3), heard::add).join();

      assertThat(r.choices()).hasSize(3);
      assertThat(heard).extracting(ChatChoice::index).containsExactly(2, 1, 0);
      assertThat(chatRequests()).hasSize(1).allMatch(StreamedChoicesTest::streamed);
    }
  }

  @Test
  void oneChoiceGoesPlainAndIsHeardWithTheResponse() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder());
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(request(1), heard::add).join();

    assertThat(heard).containsExactlyElementsOf(r.choices());
    assertThat(chatRequests()).hasSize(1).noneMatch(StreamedChoicesTest::streamed);
  }

  @Test
  void aServerThatRefusesStreamingWithSeveralChoicesGetsThePlainRequestFromThenOn() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder()
        .streamMode(StreamMode.REFUSE_N));
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse first = model.chatAsync(request(3), heard::add).join();
    ChatResponse second = model.chatAsync(request(3), c -> { }).join();

    assertThat(first.choices()).hasSize(3).isEqualTo(second.choices());
    assertThat(heard).hasSize(3).containsExactlyInAnyOrderElementsOf(first.choices());
    assertThat(model.streamingFallback()).isTrue();
    assertThat(model.singleChoiceFallback()).isFalse();
    List<RecordedRequest> sent = chatRequests();
    // one refused stream, then plain requests only
    assertThat(sent).hasSize(3);
    assertThat(sent).filteredOn(StreamedChoicesTest::streamed).hasSize(1);
    assertThat(streamed(sent.get(0))).isTrue();
  }

  @Test
  void aServerThatStreamsOnlyTheFirstChoiceGetsThePlainRequest() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder()
        .streamMode(StreamMode.FIRST_ONLY));
    ChatResponse plainAnswer;
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(request(3), heard::add).join();

    assertThat(r.choices()).hasSize(3);
    assertThat(heard).extracting(ChatChoice::index).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(heard.get(0).index()).isEqualTo(0); // choice 0 was heard from the stream
    assertThat(model.streamingFallback()).isTrue();
    server.setStreamMode(StreamMode.HONOR);
    plainAnswer = model.chat(request(3));
    assertThat(r.choices()).isEqualTo(plainAnswer.choices());
    // the tokens of the streamed attempt count too
    assertThat(r.usage().completionTokens()).isGreaterThan(plainAnswer.usage().completionTokens());
  }

  @Test
  void aServerThatRefusesNAltogetherGetsOneChoicePerRequest() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder().nMode(NMode.REFUSE));
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(request(3), heard::add).join();

    assertThat(r.choices()).hasSize(3);
    assertThat(heard).hasSize(3);
    assertThat(model.streamingFallback()).isTrue();
    assertThat(model.singleChoiceFallback()).isTrue();
  }

  @Test
  void aStreamThatBreaksOffIsSentAgainAndEachChoiceIsHeardOnce() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder());
    ChatResponse plain = model.chat(request(4));
    server.chatFaults().enqueue(Fault.cutBody(), Fault.malformedJson());
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(request(4), heard::add).join();

    assertThat(r.choices()).isEqualTo(plain.choices());
    assertThat(heard).extracting(ChatChoice::index).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(chatRequests()).filteredOn(StreamedChoicesTest::streamed).hasSize(3);
    assertThat(sleeps).hasSize(2);
    assertThat(model.streamingFallback()).isFalse();
  }

  @Test
  void aTransientStatusBeforeTheStreamIsRetriedByTheSdk() {
    OpenAiCompatibleModel model = start(SimulatedOpenAiServer.builder());
    server.chatFaults().enqueue(Fault.status(503), Fault.rateLimited());
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(request(2), heard::add).join();

    assertThat(r.choices()).hasSize(2);
    assertThat(r.choices()).extracting(ChatChoice::finishReason).containsOnly(FinishReason.STOP);
    assertThat(heard).hasSize(2);
    assertThat(chatRequests()).hasSize(3).allMatch(StreamedChoicesTest::streamed);
    assertThat(model.streamingFallback()).isFalse();
  }
}
