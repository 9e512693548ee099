package dev.tpo.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.cli.store.StoredResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProgressReporterTest {

  @Test
  void countsPromptsAndTokensFromEvents() {
    ProgressReporter p = new ProgressReporter(4, System.err, ProgressStyle.OFF, Duration.ofSeconds(5));
    p.promptStarted();
    p.promptStarted();
    p.onPhaseCompleted(new PhaseCompleted("r", 0, Phase.SAMPLING, new TokenUsage(1000, 500, 1),
        Duration.ofMillis(3)));
    p.onPhaseCompleted(new PhaseCompleted("r", 0, Phase.SCORING, TokenUsage.ZERO,
        Duration.ofMillis(1)));
    p.promptFinished(true);
    assertThat(p.statusLine())
        .startsWith("[######------------------] 1/4 done, 1 in flight, 0 failed | 1.5k tokens,"
            + " 1 requests |");
  }

  @Test
  void logStylePrintsALineEveryInterval() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressReporter p = new ProgressReporter(3,
        new PrintStream(bytes, true, StandardCharsets.UTF_8), ProgressStyle.LOG,
        Duration.ofMillis(100))) {
      assertThat(p.style()).isEqualTo(ProgressStyle.LOG);
      p.start();
      p.promptStarted();
      for (int i = 0; i < 200 && bytes.toString(StandardCharsets.UTF_8).lines().count() < 2; i++) {
        Thread.sleep(20);
      }
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2)
        .allMatch(l -> l.startsWith("progress: [") && l.contains("0/3 done, 1 in flight"));
  }

  @Test
  void formatsDurationsAndCounts() {
    assertThat(ProgressReporter.formatSeconds(12.34)).isEqualTo("12.3s");
    assertThat(ProgressReporter.formatSeconds(185)).isEqualTo("3m05s");
    assertThat(ProgressReporter.formatSeconds(3720)).isEqualTo("1h02m");
    assertThat(ProgressReporter.compact(950)).isEqualTo("950");
    assertThat(ProgressReporter.compact(12_345)).isEqualTo("12.3k");
    assertThat(ProgressReporter.compact(4_560_000)).isEqualTo("4.56M");
  }

  @Test
  void summaryGivesMeansOverEveryResultAndThisRunsCost() {
    StoredResult a = new StoredResult("a", false, OptionalDouble.of(3), OptionalDouble.of(1), 10, 5, 7, "");
    StoredResult b = new StoredResult("b", false, OptionalDouble.of(5), OptionalDouble.of(2), 20, 5, 7, "");
    StoredResult failedLine = new StoredResult("c", true, OptionalDouble.empty(),
        OptionalDouble.empty(), 0, 0, 0, "");
    ProgressReporter counts = new ProgressReporter(2, System.err, ProgressStyle.OFF,
        Duration.ofSeconds(5));
    // b's requests, and those of c, which failed: one definition, counted from the events
    counts.onPhaseCompleted(new dev.tpo.core.event.PhaseCompleted("b", 0,
        dev.tpo.core.event.Phase.SAMPLING, dev.tpo.core.model.TokenUsage.ofRequest(20, 5),
        Duration.ZERO));
    counts.onPhaseCompleted(new dev.tpo.core.event.PhaseCompleted("c", 0,
        dev.tpo.core.event.Phase.SAMPLING, dev.tpo.core.model.TokenUsage.ofRequest(30, 6),
        Duration.ZERO));
    RunSummary s = RunSummary.of(3, 1, 1, 0, List.of(a, b), List.of(b, failedLine), counts,
        Duration.ofSeconds(75));
    assertThat(s.render())
        .contains("tpo run: 3 prompts: 1 done now, 1 already done, 1 failed, in 1m15s")
        .contains("mean score over 2 prompts: round 0 best 1.5000 -> final 4.0000 (+2.5000)")
        .contains("this run: 50 prompt + 11 completion tokens, 2 requests");
    assertThat(counts.statusLine()).contains("| 61 tokens, 2 requests |");
  }

  @Test
  void aFailedRequestCountsAsARequestWithItsTokens() {
    ProgressReporter p = new ProgressReporter(1, System.err, ProgressStyle.OFF,
        Duration.ofSeconds(5));
    p.onPhaseFailed(new dev.tpo.core.event.PhaseFailed("r", 0, Phase.SAMPLING,
        TokenUsage.ofRequest(0, 0), Duration.ofMillis(2), "sim-model",
        new IllegalStateException("HTTP 500")));
    p.onPhaseFailed(new dev.tpo.core.event.PhaseFailed("r", 1, Phase.LOSS,
        new TokenUsage(7, 3, 1), Duration.ofMillis(2), "sim-model",
        new IllegalStateException("cut off")));
    assertThat(p.requests()).isEqualTo(2);
    assertThat(p.promptTokens()).isEqualTo(7);
    assertThat(p.completionTokens()).isEqualTo(3);
    assertThat(p.statusLine()).contains("| 10 tokens, 2 requests |");
  }
}
