package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** optimizeAll: a fixed number in flight, no barrier, nothing lost or duplicated. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OptimizeAllTest {

  private static List<TpoRequest> prompts(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> TpoRequest.builder(String.format("prompt-%03d", i)).build()).toList();
  }

  private static String query(ChatRequest r) {
    List<ChatMessage> m = r.messages();
    return m.get(m.size() - 1).content();
  }

  /** Answers every request at once with unique tagged texts. */
  private static ChatResponse answer(ChatRequest r, AtomicLong counter) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < r.n(); i++) {
      texts.add(Scripts.tagged("answer " + counter.incrementAndGet()));
    }
    return ScriptedLanguageModel.respond(r, texts, FinishReason.STOP);
  }

  @Test
  void keepsConcurrencyRunsInFlightUntilTheQueueDrainsAndLosesNothing() {
    int prompts = 100;
    try (GatedModel model = new GatedModel(8, prompts)) {
      TpoListener finished = new TpoListener() {
        @Override
        public void onRunCompleted(RunCompleted e) {
          model.runFinished();
        }

        @Override
        public void onRunFailed(RunFailed e) {
          model.runFinished();
        }
      };
      Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(3)
          .iterations(1).listener(finished).build();

      List<TpoOutcome> outcomes = tpo.optimizeAll(prompts(prompts), 8);

      // The model answered only while min(8, unfinished runs) requests were pending at once, and
      // the run finished: 8 were in flight at every answer until the queue drained.
      assertThat(model.maxInFlight()).isEqualTo(8);
      assertThat(model.requests()).isEqualTo(prompts * 4);
      assertThat(model.releases()).isEqualTo(prompts * 4);
      assertThat(outcomes).hasSize(prompts);
      Set<String> answers = new HashSet<>();
      for (int i = 0; i < prompts; i++) {
        TpoOutcome o = outcomes.get(i);
        assertThat(o.index()).isEqualTo(i);
        assertThat(o.succeeded()).as("prompt %d: %s", i, o).isTrue();
        TpoResult r = o.resultOrThrow();
        assertThat(r.prompt()).isEqualTo(String.format("prompt-%03d", i));
        assertThat(r.pool()).hasSize(6);
        answers.add(r.answer());
      }
      assertThat(answers).as("no answer shared between prompts").hasSize(prompts);
    }
  }

  @Test
  void oneSlowPromptNeverHoldsTheOthersBack() {
    int prompts = 40;
    CountDownLatch othersDone = new CountDownLatch(prompts - 1);
    AtomicLong counter = new AtomicLong();
    LanguageModel model = request -> {
      if (query(request).equals("prompt-000")) {
        // the slow prompt answers only after every other prompt finished
        return CompletableFuture.supplyAsync(() -> {
          try {
            othersDone.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return answer(request, counter);
        });
      }
      return CompletableFuture.completedFuture(answer(request, counter));
    };
    TpoListener countOthers = new TpoListener() {
      @Override
      public void onRunCompleted(RunCompleted e) {
        othersDone.countDown();
      }
    };
    Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
        .iterations(0).listener(countOthers).build();

    List<TpoOutcome> outcomes = tpo.optimizeAll(prompts(prompts), 4);

    assertThat(outcomes).hasSize(prompts).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
    assertThat(outcomes.get(0).resultOrThrow().prompt()).isEqualTo("prompt-000");
  }

  @Test
  void aFailingPromptGetsItsErrorAndTheOthersTheirResults() {
    AtomicLong counter = new AtomicLong();
    ServerErrorException boom = new ServerErrorException("503 for prompt-003", 503, "");
    LanguageModel model = request -> query(request).equals("prompt-003")
        ? CompletableFuture.failedFuture(boom)
        : CompletableFuture.completedFuture(answer(request, counter));
    ExecutorService own = Executors.newFixedThreadPool(3);
    try {
      Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
          .iterations(1).executor(own).build();
      List<TpoOutcome> outcomes = tpo.optimizeAll(prompts(10), 3);

      assertThat(outcomes).hasSize(10);
      assertThat(outcomes.get(3).error()).containsSame(boom);
      assertThatThrownBy(() -> outcomes.get(3).resultOrThrow()).isSameAs(boom);
      for (int i = 0; i < 10; i++) {
        if (i != 3) {
          assertThat(outcomes.get(i).result()).isPresent();
        }
      }
    } finally {
      own.shutdownNow();
    }
  }

  @Test
  void optimizeAsyncAndEmptyBatchesAndBadConcurrency() throws Exception {
    AtomicLong counter = new AtomicLong();
    LanguageModel model = r -> CompletableFuture.completedFuture(answer(r, counter));
    Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
        .iterations(1).build();
    TpoResult r = tpo.optimizeAsync("prompt-x").get(30, TimeUnit.SECONDS);
    assertThat(r.prompt()).isEqualTo("prompt-x");
    assertThat(tpo.optimizeAll(List.of(), 4)).isEmpty();
    assertThat(tpo.optimizePrompts(List.of("a", "b"), 5)).hasSize(2);
    assertThatThrownBy(() -> tpo.optimizeAll(prompts(2), 0))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("concurrency");
    List<TpoRequest> withNull = new ArrayList<>(prompts(2));
    withNull.add(null);
    assertThatThrownBy(() -> tpo.optimizeAll(withNull, 2))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("requests[2] is null");
  }
}
