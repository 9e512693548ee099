package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.Tpo;
import dev.tpo.TpoMode;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.core.autograd.TextLoss;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.event.CandidatesScored;
import dev.tpo.core.event.GradientComputed;
import dev.tpo.core.event.LossComputed;
import dev.tpo.core.event.RoundStarted;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunStarted;
import dev.tpo.core.event.RunWarning;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.simulator.SimulatedOpenAiServer;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.TgdOptimizer;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Components the user plugs in that throw: a reward scorer, a text loss (and a mode whose loss
 * instruction throws), a listener. The run fails with a message naming the component, or, for a
 * listener, goes on unharmed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComponentFaultsTest {
  private static final String PROMPT = "Suggest a weekend project for a beginner woodworker.";

  @Test
  void aScorerThatThrowsFailsTheRunWithRewardScoringNamingTheScorerAndKeepingTheCause() {
    IllegalStateException boom = new IllegalStateException("reward model crashed");
    RewardScorer scorer = new RewardScorer() {
      @Override
      public ScoredBatch scoreAll(String prompt, List<String> responses) {
        throw boom;
      }

      @Override
      public String name() {
        return "exploding-scorer";
      }
    };
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().scorer(scorer).build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class)
          .hasMessageContaining("exploding-scorer")
          .hasMessageContaining("round 0")
          .hasMessageContaining("reward model crashed")
          .hasCause(boom);
      assertThat(h.failures).singleElement()
          .satisfies(f -> assertThat(f.error()).isInstanceOf(RewardScoringException.class));
    }
  }

  @Test
  void aScorerThatThrowsWithoutAMessageStillFailsWithOneNamingTheExceptionType() {
    RewardScorer scorer = (prompt, responses) -> {
      throw new IllegalStateException();
    };
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().scorer(scorer).build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class)
          .hasMessageContaining("java.lang.IllegalStateException");
    }
  }

  @Test
  void aScorerThatThrowsOnOnePromptLosesNoOtherPromptOfOptimizeAll() {
    RewardScorer scorer = (prompt, responses) -> {
      if (prompt.contains("#3")) {
        throw new IllegalArgumentException("cannot score prompt #3");
      }
      return ScoredBatch.of(responses.stream().map(r -> (double) r.length()).toList());
    };
    try (Harness h = new Harness()) {
      List<TpoRequest> requests = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        requests.add(TpoRequest.builder("Prompt #" + i).id("p" + i).build());
      }
      List<TpoOutcome> out = h.tpo().scorer(scorer).build().optimizeAll(requests, 3);
      assertThat(out).hasSize(6);
      assertThat(out).filteredOn(o -> !o.succeeded()).singleElement().satisfies(o -> {
        assertThat(o.index()).isEqualTo(3);
        assertThat(o.error().orElseThrow()).hasMessageContaining("cannot score prompt #3");
      });
      assertThat(out).filteredOn(TpoOutcome::succeeded).hasSize(5)
          .allSatisfy(o -> assertThat(o.resultOrThrow().runId())
              .isEqualTo(o.request().id().orElseThrow()));
    }
  }

  @Test
  void aModelThatThrowsAnErrorOnOnePromptLosesNoOtherPromptOfOptimizeAll() {
    try (Harness h = new Harness()) {
      LanguageModel flaky = new LanguageModel() {
        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
          if (request.messages().stream().anyMatch(m -> m.content().contains("#2"))) {
            throw new OutOfMemoryError("simulated: no memory left for prompt #2");
          }
          return h.policy.chatAsync(request);
        }

        @Override
        public String name() {
          return "flaky";
        }
      };
      List<TpoRequest> requests = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        requests.add(TpoRequest.of("Prompt #" + i));
      }
      List<TpoOutcome> out = h.tpo().policy(flaky).build().optimizeAll(requests, 2);
      assertThat(out).extracting(TpoOutcome::succeeded)
          .containsExactly(true, true, false, true, true);
      assertThat(out.get(2).error().orElseThrow())
          .hasMessageContaining("the run of prompt #2 failed with java.lang.OutOfMemoryError")
          .hasMessageContaining("no memory left for prompt #2");
    }
  }

  /** A mode whose loss instruction cannot be built: the loop's text loss throws. */
  private static final class BrokenLossMode implements TpoMode {
    @Override
    public String name() {
      return "BROKEN_LOSS";
    }

    @Override
    public boolean refines() {
      return true;
    }

    @Override
    public boolean usesRejected() {
      return true;
    }

    @Override
    public String responseRole() {
      return "a model response";
    }

    @Override
    public List<String> constraints() {
      return List.of();
    }

    @Override
    public String lossInstruction(PromptTemplates prompts, String query, String rejected) {
      throw new IllegalStateException("rubric file missing for the loss of mode BROKEN_LOSS");
    }
  }

  @Test
  void aLossThatThrowsInTheLoopFailsTheRunWithItsMessageAfterSampling() {
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().mode(new BrokenLossMode()).build();
      assertThatThrownBy(() -> tpo.optimize(PROMPT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rubric file missing");
      assertThat(h.failures).singleElement();
      // only the sampling request went out; nothing was sent after the loss failed
      assertThat(h.server.requests(SimulatedOpenAiServer.CHAT_PATH)).hasSize(1);
    }
  }

  @Test
  void aCustomTextLossThatThrowsLeavesTheVariableUnchangedAndPropagatesItsMessage() {
    try (Harness h = new Harness()) {
      TextGradEngine engine = TextGradEngine.of(h.policy);
      Variable answer = Variable.parameter("Build a birdhouse.", "an answer to a question");
      TgdOptimizer optimizer = TextualGradientDescent.builder(engine).build().optimizer(answer);
      AtomicInteger calls = new AtomicInteger();
      TextLoss loss = variables -> {
        calls.incrementAndGet();
        throw new IllegalStateException("the judge of this custom loss is offline");
      };
      assertThatThrownBy(() -> {
        loss.evaluate(answer).backward();
        optimizer.step();
      }).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("judge of this custom loss is offline");
      assertThat(calls).hasValue(1);
      assertThat(answer.value()).isEqualTo("Build a birdhouse.");
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void aListenerThatThrowsFromEveryEventIsLoggedAndIgnoredAndTheResultIsUnchanged() {
    AtomicInteger thrown = new AtomicInteger();
    TpoListener hostile = new TpoListener() {
      private RuntimeException boom() {
        thrown.incrementAndGet();
        return new IllegalStateException("listener bug");
      }

      @Override
      public void onRunStarted(RunStarted e) {
        throw boom();
      }

      @Override
      public void onRoundStarted(RoundStarted e) {
        throw boom();
      }

      @Override
      public void onCandidatesScored(CandidatesScored e) {
        throw boom();
      }

      @Override
      public void onLossComputed(LossComputed e) {
        throw boom();
      }

      @Override
      public void onGradientComputed(GradientComputed e) {
        throw boom();
      }

      @Override
      public void onWarning(RunWarning e) {
        throw boom();
      }

      @Override
      public void onRunCompleted(RunCompleted e) {
        throw boom();
      }
    };
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    TpoResult clean;
    TpoResult withHostile;
    try (Harness h = new Harness()) {
      clean = h.tpo().build().optimize(TpoRequest.builder(PROMPT).id("same").build());
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        withHostile = h.tpo().listener(hostile).build()
            .optimize(TpoRequest.builder(PROMPT).id("same").build());
      } finally {
        System.setErr(original);
      }
    }
    assertThat(thrown.get()).isGreaterThanOrEqualTo(6);
    assertThat(withHostile.answer()).isEqualTo(clean.answer());
    assertThat(withHostile.pool()).isEqualTo(clean.pool());
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("listener bug");
  }
}
