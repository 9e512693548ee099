package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.Tpo;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.adapter.openai.ModelProbe;
import dev.tpo.adapter.reward.JudgeRewardScorer;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 ("reliability, round two") at the API level, over real loopback HTTP against the
 * simulator: cut-off answers retried, keys redacted at every offset around a cut, a burst of
 * faults outlived by prompt-level retries in {@code optimizeAll}, llama-server's model list and
 * structured-output refusal, a lambda scorer's name, and a plain {@code main} that exits at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RoundTwoTest {
  private static final String PROMPT = "What is a good name for a cat?";
  private static final String CHAT = SimulatedOpenAiServer.CHAT_PATH;
  /** A long key as providers issue them; its 12-character prefix leaked before the fix. */
  private static final String LONG_KEY = "sk-PROBE-SECRET-0123456789abcdefghijklmnopqrstuvwxyz";

  @Test
  void aRewardAnswerWithJsonCutOffIsRetriedAndTheRunSucceeds() {
    int normal;
    try (Harness h = new Harness()) {
      h.tpo().build().optimize(PROMPT);
      normal = h.server.requests(SimulatedOpenAiServer.POOLING_PATH).size();
    }
    try (Harness h = new Harness()) {
      h.server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(Fault.malformedJson());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertThat(r.pool()).isNotEmpty();
      // the cut-off answer's request was sent once more, and nothing else changed
      assertThat(h.server.requests(SimulatedOpenAiServer.POOLING_PATH)).hasSize(normal + 1);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aKeyAtEveryOffsetAroundTheCutOfANonJsonBodyLeavesNoFragmentInTheException() {
    for (int offset = Secrets.SNIPPET_CHARS - LONG_KEY.length() - 2;
        offset <= Secrets.SNIPPET_CHARS + 2; offset++) {
      String body = "x".repeat(offset) + LONG_KEY + " and more text that is not JSON "
          + "y".repeat(600);
      try (Harness h = new Harness(SimulatedOpenAiServer.builder(), 0, LONG_KEY)) {
        h.server.chatFaults().enqueue(Fault.rawBody(body));
        Throwable thrown = null;
        try {
          h.tpo().build().optimize(PROMPT);
        } catch (RuntimeException e) {
          thrown = e;
        }
        assertThat(thrown).as("offset %d", offset).isInstanceOf(MalformedResponseException.class);
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        String all = trace + "\n" + ((MalformedResponseException) thrown).rawText();
        assertNoFragment(all, LONG_KEY, "offset " + offset);
      }
    }
  }

  @Test
  void redactionRemovesWholeKeysPrefixesAnywhereAndSuffixesAtTheStart() {
    String key = LONG_KEY;
    assertThat(Secrets.redact("a " + key + " b", key)).isEqualTo("a *** b");
    assertThat(Secrets.redact("cut here: " + key.substring(0, 12), key)).isEqualTo("cut here: ***");
    assertThat(Secrets.redact("'" + key.substring(0, 9) + "...' and on", key))
        .isEqualTo("'***...' and on");
    assertThat(Secrets.redact(key.substring(30) + " rest", key)).isEqualTo("*** rest");
    // under 8 characters a prefix is too common to redact alone
    assertThat(Secrets.redact("sk-PROB is fine", key)).isEqualTo("sk-PROB is fine");
    for (int cut = 0; cut <= 700; cut++) {
      String body = "z".repeat(cut) + key + "q".repeat(700);
      assertNoFragment(Secrets.snippet(body, key), key, "snippet at " + cut);
    }
  }

  @Test
  void optimizeAllOutlivesABurstOfFaultsWithPromptRetriesAndListsOnlyLastingFailures() {
    try (Harness h = new Harness(SimulatedOpenAiServer.builder(), 0)) {
      // a burst: the first six chat requests fail and the HTTP layer does not retry (maxRetries 0)
      h.server.chatFaults().enqueue(6, Fault.status(503));
      List<TpoRequest> requests = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        requests.add(TpoRequest.builder("Prompt number " + i).id("p" + i).build());
      }
      List<TpoOutcome> out = h.tpo().build().optimizeAll(requests, 4);
      assertThat(out).hasSize(8).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
      assertThat(out).extracting(o -> o.resultOrThrow().runId())
          .containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");
    }
  }

  @Test
  void aJudgeWhoseServerRejectsStructuredOutputFallsBackToItsTaggedFormatOnceAndCountsIt() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .rejectResponseFormat(true)
        .responder(dev.tpo.simulator.ChatResponder.grading(
            dev.tpo.simulator.ChatResponder.deterministic()))
        .start();
        var model = dev.tpo.adapter.openai.OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      JudgeRewardScorer judge = JudgeRewardScorer.builder().model(model).build();
      List<Double> scores = judge.score("Say hi", List.of("Hi!", "Hello there."));
      assertThat(scores).hasSize(2);
      assertThat(judge.structuredOutput()).isFalse();
      long fallbacks = judge.structuredOutputFallbacks();
      assertThat(fallbacks).isBetween(1L, 2L);
      assertThat(judge.structuredOutputFallbackReason().orElseThrow())
          .contains("Failed to initialize samplers");
      judge.score("Say hi", List.of("Hey."));
      assertThat(judge.structuredOutputFallbacks()).isEqualTo(fallbacks);
      assertThat(server.requests(CHAT).get(server.requests(CHAT).size() - 1).body())
          .doesNotContain("response_format");
    }
  }

  @Test
  void aModelTheServerDoesNotListButAnswersForIsUsedWithAWarning() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .models("/models/tiny-q4.gguf").answerAnyModel(true).start();
        ModelProbe probe = ModelProbe.builder().baseUrl(server.openAiBaseUrl()).build()) {
      ModelProbe.Resolution r = probe.resolve(Optional.of("tiny"));
      assertThat(r.model()).isEqualTo("tiny");
      assertThat(r.warning().orElseThrow()).contains("does not list the model 'tiny'")
          .contains("/models/tiny-q4.gguf");
    }
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .models("served").start();
        ModelProbe probe = ModelProbe.builder().baseUrl(server.openAiBaseUrl()).build()) {
      assertThatThrownBy(() -> probe.resolve(Optional.of("tiny")))
          .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("[served]");
    }
  }

  @Test
  void aLambdaScorerIsNamedByWhereItWasWrittenNotByItsHiddenClass() {
    RewardScorer bad = (prompt, responses) -> {
      throw new IllegalStateException("broken");
    };
    assertThat(bad.name()).doesNotContain("$$Lambda").contains("RoundTwoTest");
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().scorer(bad).build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class)
          .hasMessageNotContaining("$$Lambda")
          .hasMessageContaining("lambda in dev.tpo.reliability.RoundTwoTest");
    }
  }

  @Test
  void aPlainMainThatUsesTpoDefaultsExitsAtOnce(@TempDir Path dir) throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Dtpo.baseUrl=" + server.openAiBaseUrl(), "-Dtpo.model=sim-model",
          "-Dtpo.reward=vllm+" + server.baseUrl() + "?model=sim-reward",
          "-Dtpo.virtualThreads=false",
          DefaultsMain.class.getName());
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("out.txt").toFile());
      Process p = pb.start();
      boolean ended = p.waitFor(90, TimeUnit.SECONDS);
      long exitedAt = System.currentTimeMillis();
      if (!ended) {
        p.destroyForcibly();
      }
      String out = Files.readString(dir.resolve("out.txt"));
      assertThat(ended).as("the JVM ended; output:\n" + out).isTrue();
      assertThat(out).contains("DONE score=");
      assertThat(p.exitValue()).isZero();
      long doneAt = Long.parseLong(out.replaceAll("(?s).*DONE score=\\S+ at=(\\d+).*", "$1"));
      // before: OkHttp's non-daemon dispatcher threads kept the JVM alive about 60 s after main
      assertThat(exitedAt - doneAt).as("ms from the end of main to the JVM's exit; output:\n"
          + out).isLessThan(15_000);
    }
  }

  /** The child process of {@link #aPlainMainThatUsesTpoDefaultsExitsAtOnce}. */
  static final class DefaultsMain {
    public static void main(String[] args) {
      TpoResult r = Tpo.defaults().optimize("How do I keep basil alive indoors?");
      System.out.println("DONE score=" + r.bestScore() + " at=" + System.currentTimeMillis());
      Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !t.isDaemon() && t != Thread.currentThread() && t.isAlive())
          .forEach(t -> System.out.println("non-daemon thread: " + t.getName()));
    }
  }

  private static void assertNoFragment(String text, String key, String where) {
    for (int len = Secrets.MIN_FRAGMENT; len <= key.length(); len++) {
      assertThat(text).as("%s: prefix of %d chars", where, len)
          .doesNotContain(key.substring(0, len));
      assertThat(text).as("%s: suffix of %d chars", where, len)
          .doesNotContain(key.substring(key.length() - len));
    }
  }
}
