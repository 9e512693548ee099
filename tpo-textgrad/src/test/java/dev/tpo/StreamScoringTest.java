package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import dev.tpo.simulator.StreamMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scoring while sampling ({@link TpoBuilder#streamScoring}): the same answers and scores as the
 * plain path over real loopback HTTP (the OpenAI-compatible policy streaming against the
 * simulator, the vLLM and TEI reward scorers), the same after a fallback to plain requests, and
 * scoring that really starts before the request has finished.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamScoringTest {
  private static final String PROMPT = "How do I keep basil alive indoors?";

  /** Choices of different lengths (choice i of n has 8 * (n - i) + 4 words), per seed and text. */
  private static final ChatResponder UNEVEN = call -> {
    List<String> texts = new ArrayList<>();
    int h = call.lastUserText().hashCode() ^ Long.hashCode(call.seed() == null ? 0 : call.seed());
    for (int i = 0; i < call.n(); i++) {
      StringBuilder t = new StringBuilder("Answer " + i + " (" + Integer.toHexString(h) + "):");
      for (int w = 0; w < 8 * (call.n() - i) + 4; w++) {
        t.append(' ').append(Integer.toString(Math.floorMod(h * 31 + w * 17 + i, 997), 36));
      }
      texts.add(t.toString());
    }
    return texts;
  };

  private record Run(TpoResult result, List<RecordedRequest> chats, boolean fallback) {}

  private static Run run(SimulatedOpenAiServer server, String reward, boolean stream) {
    server.resetStats();
    try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
        .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      RewardScorer scorer = RewardScorers.fromSpec(reward, RewardScorerContext.DEFAULT);
      try {
        Tpo tpo = Tpo.builder().policy(policy).scorer(scorer).streamScoring(stream).build();
        assertThat(tpo.streamScoring()).isEqualTo(stream);
        TpoResult result = tpo.optimize(PROMPT);
        return new Run(result, server.requests(SimulatedOpenAiServer.CHAT_PATH),
            policy.streamingFallback());
      } finally {
        if (scorer instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }

  private static void assertSameOutcome(TpoResult streamed, TpoResult plain) {
    assertThat(streamed.answer()).isEqualTo(plain.answer());
    assertThat(streamed.bestScore()).isEqualTo(plain.bestScore());
    assertThat(streamed.bestIndex()).isEqualTo(plain.bestIndex());
    assertThat(streamed.pool()).isEqualTo(plain.pool());
    assertThat(streamed.rounds()).extracting(RoundRecord::status, RoundRecord::chosenIndex,
            RoundRecord::rejectedIndex, RoundRecord::addedEntries)
        .isEqualTo(plain.rounds().stream().map(r -> org.assertj.core.groups.Tuple.tuple(
            r.status(), r.chosenIndex(), r.rejectedIndex(), r.addedEntries())).toList());
    assertThat(streamed.phase(Phase.UPDATE).usage())
        .isEqualTo(plain.phase(Phase.UPDATE).usage());
  }

  private static boolean streamed(RecordedRequest r) {
    return r.json().path("stream").asBoolean(false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vllm", "tei"})
  void givesTheAnswersAndScoresOfThePlainPath(String kind) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().responder(UNEVEN)
        .start()) {
      String reward = kind.equals("vllm") ? "vllm+" + server.baseUrl() + "?model=sim-reward"
          : "tei+" + server.baseUrl();
      Run plain = run(server, reward, false);
      Run streamed = run(server, reward, true);

      assertSameOutcome(streamed.result(), plain.result());
      assertThat(plain.result().pool()).hasSize(15);
      // the sampling and both update requests were streamed, nothing else
      assertThat(plain.chats()).noneMatch(StreamScoringTest::streamed);
      assertThat(streamed.chats()).hasSize(7);
      assertThat(streamed.chats()).extracting(StreamScoringTest::streamed)
          .containsExactly(true, false, false, true, false, false, true);
      assertThat(streamed.fallback()).isFalse();
      // one scorer call per distinct candidate instead of one batch per round
      assertThat(plain.result().phase(Phase.SCORING).usage().requests()).isEqualTo(3);
      assertThat(streamed.result().phase(Phase.SCORING).usage().requests()).isEqualTo(15);
    }
  }

  @ParameterizedTest
  @EnumSource(value = StreamMode.class, names = {"REFUSE_N", "FIRST_ONLY"})
  void aServerThatDoesNotStreamSeveralChoicesGivesTheSameResultAndRecordsTheFallback(
      StreamMode mode) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().responder(UNEVEN)
        .streamMode(mode).start()) {
      String reward = "vllm+" + server.baseUrl() + "?model=sim-reward";
      Run plain = run(server, reward, false);
      Run streamed = run(server, reward, true);

      assertSameOutcome(streamed.result(), plain.result());
      assertThat(streamed.fallback()).isTrue();
      assertThat(plain.fallback()).isFalse();
      // one streamed attempt, then plain requests only
      assertThat(streamed.chats()).filteredOn(StreamScoringTest::streamed).hasSize(1);
      assertThat(streamed.chats()).hasSize(8);
    }
  }

  @Test
  void aChoiceIsScoredWhileTheRequestIsStillRunning() {
    // The model reports choice 1 and then waits, without answering, until the scorer has been
    // asked for that choice: the run can only finish if scoring starts before the response ends.
    CountDownLatch scored = new CountDownLatch(1);
    List<String> scoredTexts = Collections.synchronizedList(new ArrayList<>());
    RewardScorer scorer = (prompt, responses) -> {
      scoredTexts.addAll(responses);
      if (responses.contains("second")) {
        scored.countDown();
      }
      return ScoredBatch.of(responses.stream().map(r -> (double) r.length()).toList());
    };
    LanguageModel model = new LanguageModel() {
      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return CompletableFuture.completedFuture(ChatResponse.of(TokenUsage.ofRequest(1, 1),
            List.of(new ChatChoice(0, "critique", FinishReason.STOP))));
      }

      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
          ChoiceListener listener) {
        listener.onChoice(new ChatChoice(1, "second", FinishReason.STOP));
        return CompletableFuture.supplyAsync(() -> {
          try {
            assertThat(scored.await(30, TimeUnit.SECONDS)).as("scored before the end").isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return ChatResponse.of(TokenUsage.ofRequest(1, 3), List.of(
              new ChatChoice(0, "the first", FinishReason.STOP),
              new ChatChoice(1, "second", FinishReason.STOP)));
        });
      }
    };

    TpoResult r = Tpo.builder().policy(model).scorer(scorer).samples(2).iterations(0)
        .streamScoring(true).build().optimize(PROMPT);

    assertThat(r.answer()).isEqualTo("the first");
    assertThat(r.pool()).extracting(PoolEntry::text).containsExactly("the first", "second");
    assertThat(r.pool()).extracting(PoolEntry::score).containsExactly(9.0, 6.0);
    assertThat(scoredTexts).containsExactlyInAnyOrder("second", "the first");
  }
}
