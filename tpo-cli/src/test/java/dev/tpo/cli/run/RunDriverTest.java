package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.progress.ProgressStyle;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.core.model.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class RunDriverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static PromptOutcome outcome(String text) {
    return new PromptOutcome(text, 1.0,
        List.of(new PromptOutcome.Candidate(text, 1.0, 0)),
        List.of(new PromptOutcome.RoundTrace(0, 1.0, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty())),
        new TokenUsage(3, 2, 1), Optional.empty());
  }

  private static List<Prompt> prompts(int n) {
    List<Prompt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Prompt("id" + i, "prompt " + i, i + 1));
    }
    return out;
  }

  @Test
  void slowPromptDoesNotHoldBackTheOthersAndErrorsAreScrubbed() throws Exception {
    CountDownLatch others = new CountDownLatch(5);
    PromptRunner runner = p -> {
      if (p.id().equals("id0")) {
        try {
          assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        throw new IllegalStateException("failed with key SECRETKEY inside");
      }
      others.countDown();
      return outcome("answer " + p.id());
    };
    Path out = dir.resolve("r.jsonl");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ResultsStore store = ResultsStore.open(out)) {
      ProgressReporter progress = new ProgressReporter(6,
          new PrintStream(err, true, StandardCharsets.UTF_8), ProgressStyle.LOG,
          Duration.ofMillis(100));
      RunDriver driver = new RunDriver(runner, store, Optional.of(dir.resolve("t")), 2, progress,
          Map.of("mode", "tpo"), s -> s.replace("SECRETKEY", "***"));
      RunDriver.Outcome o = driver.run(prompts(6));
      assertThat(o.done()).isEqualTo(5);
      assertThat(o.failed()).isEqualTo(1);
      assertThat(o.notRun()).isZero();
      assertThat(progress.statusLine()).contains("5/6 done").contains("1 failed");
    }
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(6);
    List<com.fasterxml.jackson.databind.JsonNode> errors = new ArrayList<>();
    for (String l : lines) {
      com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(l);
      if (n.has("error")) {
        errors.add(n);
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("id").asText()).isEqualTo("id0");
    assertThat(errors.get(0).get("error").asText()).isEqualTo("failed with key *** inside");
    assertThat(Files.list(dir.resolve("t"))).hasSize(5);
  }

  @Test
  void stopAbandonsPromptsInFlightWithoutWritingThem() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    AtomicInteger calls = new AtomicInteger();
    PromptRunner runner = p -> {
      calls.incrementAndGet();
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException("interrupted");
      }
      return outcome("never");
    };
    Path out = dir.resolve("r.jsonl");
    try (ResultsStore store = ResultsStore.open(out)) {
      RunDriver driver = new RunDriver(runner, store, Optional.empty(), 2,
          new ProgressReporter(4, System.err, ProgressStyle.OFF, Duration.ofSeconds(5)), Map.of(),
          s -> s);
      Thread stopper = new Thread(() -> {
        try {
          started.await();
        } catch (InterruptedException e) {
          return;
        }
        driver.stop();
      });
      stopper.start();
      RunDriver.Outcome o = driver.run(prompts(4));
      assertThat(o.done() + o.failed()).isZero();
      assertThat(o.notRun()).isEqualTo(4);
    }
    assertThat(Files.readString(out)).isEmpty();
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void noLineIsWrittenBeforeTheChecksPassAndTheirFailureStopsTheRun() throws Exception {
    java.util.concurrent.CompletableFuture<List<String>> checks =
        new java.util.concurrent.CompletableFuture<>();
    CountDownLatch finished = new CountDownLatch(2);
    PromptRunner runner = p -> {
      if (p.id().equals("id0") || p.id().equals("id1")) {
        finished.countDown();
        return outcome("answer " + p.id());
      }
      try {
        Thread.sleep(60_000); // in flight when the checks fail
      } catch (InterruptedException e) {
        throw new IllegalStateException("interrupted");
      }
      return outcome("never");
    };
    Path out = dir.resolve("r.jsonl");
    dev.tpo.core.error.RewardScoringException probe =
        new dev.tpo.core.error.RewardScoringException("the reward scorer failed its probe");
    try (ResultsStore store = ResultsStore.open(out)) {
      RunDriver driver = new RunDriver(runner, store, Optional.empty(), 3,
          new ProgressReporter(4, System.err, ProgressStyle.OFF, Duration.ofSeconds(5)), Map.of(),
          s -> s, 0, Duration.ZERO, checks);
      Thread failer = new Thread(() -> {
        try {
          finished.await();
          // the two finished prompts wait for the checks without writing: nothing yet
          assertThat(Files.readString(out)).isEmpty();
        } catch (Exception e) {
          checks.completeExceptionally(new AssertionError(e));
          return;
        }
        checks.completeExceptionally(probe);
      });
      failer.start();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> driver.run(prompts(4)))
          .isSameAs(probe);
    }
    assertThat(Files.readString(out)).isEmpty();
  }

  @Test
  void linesAreWrittenOnceTheChecksPass() throws Exception {
    java.util.concurrent.CompletableFuture<List<String>> checks =
        new java.util.concurrent.CompletableFuture<>();
    Path out = dir.resolve("r.jsonl");
    try (ResultsStore store = ResultsStore.open(out)) {
      RunDriver driver = new RunDriver(p -> outcome("answer " + p.id()), store, Optional.empty(),
          2, new ProgressReporter(3, System.err, ProgressStyle.OFF, Duration.ofSeconds(5)),
          Map.of(), s -> s, 0, Duration.ZERO, checks);
      new Thread(() -> checks.complete(List.of())).start();
      RunDriver.Outcome o = driver.run(prompts(3));
      assertThat(o.done()).isEqualTo(3);
    }
    assertThat(Files.readAllLines(out)).hasSize(3);
  }
}
