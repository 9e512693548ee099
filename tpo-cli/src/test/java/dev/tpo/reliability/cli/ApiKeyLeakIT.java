package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distinctive fake API key never appears anywhere: the real jar runs {@code tpo run} (with
 * {@code --trace-dir}, {@code --verbose}, a retried fault and a prompt that fails on an error body
 * echoing the key) and {@code tpo report}, then a run with a wrong key; the API runs in-process
 * with the key against faults whose bodies echo it. Every file written under the working directory,
 * all stdout and stderr of the processes, the captured log of the API, and every exception message,
 * body and stack trace are searched for the key.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApiKeyLeakIT {
  private static final String KEY = "sk-leak-check-5d2b8e41c9a7";
  private static final String WRONG_KEY = "sk-wrong-key-0e6f3a9d27c1";
  @TempDir Path dir;

  private static String echo(String key) {
    return "{\"error\":{\"message\":\"Incorrect API key provided: " + key
        + ". Find yours at https://example.invalid\",\"type\":\"invalid_request_error\"}}";
  }

  @Test
  void theKeyIsInNoOutputFileLogTraceReportResultOrExceptionOfTheCommandOrTheApi()
      throws Exception {
    List<String> texts = new ArrayList<>();
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().requireApiKey(KEY)
        .start()) {
      // one update request fails for good with a body echoing the key; one chat request is retried
      server.chatFaults().enqueue(Fault.status(400, echo(KEY))
          .onlyIf(RecordedRequest::updateRequest), Fault.status(503, echo(KEY)));
      Path data = dir.resolve("prompts.json");
      Files.writeString(data, Cli.JSON.writeValueAsString(
          List.of("Name a bird.", "Name a tree.", "Name a river.")));
      String reward = "vllm+" + server.baseUrl() + "?model=sim-reward";
      List<String> run = List.of("run", "--data", data.toString(), "--base-url",
          server.openAiBaseUrl(), "--reward", reward, "--samples", "2", "--iterations", "1",
          "--concurrency", "1", "--out", "results.jsonl", "--trace-dir", "traces",
          "--progress", "log", "--progress-interval", "1", "--verbose", "--api-key", KEY);

      JarProcess.Finished first = JarProcess.run(dir, "run", Map.of(), run);
      assertThat(first.exit()).as(first.stderr()).isEqualTo(1);
      assertThat(Files.readString(dir.resolve("results.jsonl"))).contains("\"error\"")
          .contains("Incorrect API key provided: ***");
      JarProcess.Finished report = JarProcess.run(dir, "report", Map.of(), List.of("report",
          "--results", "results.jsonl", "--trace-dir", "traces", "-o", "report.html"));
      assertThat(report.exit()).as(report.stderr()).isZero();
      JarProcess.Finished again = JarProcess.run(dir, "again", Map.of("TPO_API_KEY", KEY),
          run.subList(0, run.size() - 2));
      assertThat(again.exit()).as(again.stderr()).isZero();
      JarProcess.Finished wrong = JarProcess.run(dir, "wrong", Map.of(), List.of("run", "--data",
          data.toString(), "--base-url", server.openAiBaseUrl(), "--reward", reward,
          "--out", "wrong.jsonl", "--api-key", WRONG_KEY));
      assertThat(wrong.exit()).as(wrong.stderr()).isEqualTo(3);
      assertThat(wrong.stderr()).contains("401");

      for (JarProcess.Finished f : List.of(first, report, again, wrong)) {
        assertThat(f.stderr() + f.stdout()).as("no stack trace").doesNotContain("\tat ");
      }
      assertThat(Files.list(dir.resolve("traces"))).hasSize(3);
      assertThat(dir.resolve("report.html")).isNotEmptyFile();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          texts.add(f + ":\n" + new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
        }
      }
      assertThat(texts).hasSizeGreaterThanOrEqualTo(10);

      texts.addAll(apiRun(server, reward));
      // the key did reach the server: the search is not vacuous
      assertThat(server.requests()).anySatisfy(r -> assertThat(r.header("Authorization"))
          .isEqualTo("Bearer " + KEY));
    }
    for (String t : texts) {
      assertThat(t).doesNotContain(KEY).doesNotContain(WRONG_KEY);
    }
  }

  /** The API with the key, against faults echoing it; returns everything it printed or threw. */
  private static List<String> apiRun(SimulatedOpenAiServer server, String reward)
      throws Exception {
    List<String> texts = new ArrayList<>();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
        .baseUrl(server.openAiBaseUrl()).model("sim-model").apiKey(KEY).maxRetries(1)
        .readTimeout(Duration.ofMillis(1000)).retrySleeper(d -> CompletableFuture.completedFuture(null)).build()) {
      RewardScorer scorer = RewardScorers.fromSpec(reward,
          RewardScorerContext.DEFAULT.withApiKey(KEY));
      Tpo tpo = Tpo.builder().policy(policy).scorer(scorer).samples(2).iterations(1).build();
      TpoResult ok = tpo.optimize("Name a mountain.");
      texts.add(ok.toJson());
      texts.add(tpo.toString());
      texts.add(policy.toString());
      texts.add(scorer.toString());
      List<Fault> faults = List.of(Fault.status(401, echo(KEY)), Fault.status(404, echo(KEY)),
          Fault.status(422, echo(KEY)));
      for (Fault f : faults) {
        server.chatFaults().enqueue(f);
        texts.addAll(describe(catchThrowable(() -> tpo.optimize("Name a lake."))));
      }
      server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(Fault.status(403, echo(KEY)));
      texts.addAll(describe(catchThrowable(() -> tpo.optimize("Name a sea."))));
      server.chatFaults().enqueue(2, Fault.hang(Duration.ofSeconds(3)));
      texts.addAll(describe(catchThrowable(() -> tpo.optimize("Name a desert."))));
    } finally {
      System.setErr(originalErr);
    }
    texts.add(log.toString(StandardCharsets.UTF_8));
    return texts;
  }

  /** Message, kept body and stack trace of a failure and all its causes. */
  private static List<String> describe(Throwable failure) {
    assertThat(failure).isNotNull();
    List<String> out = new ArrayList<>();
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    out.add(trace.toString());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      out.add(String.valueOf(t.getMessage()));
      if (t instanceof HttpStatusException) {
        out.add(((HttpStatusException) t).responseBody());
      }
    }
    return out;
  }
}
