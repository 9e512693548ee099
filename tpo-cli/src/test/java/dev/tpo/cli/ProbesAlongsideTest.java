package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * With {@code --model} given, the start-up probes of {@code tpo run} run alongside the first chat
 * requests instead of before them (issue 21), and their failure still stops the run with the
 * probe's message and exit code, leaving no results behind.
 *
 * <p>No timing is asserted: the server holds the reward probe unanswered until the first chat
 * request has arrived (at most 45 s). A run whose chat requests wait for the probe can only get
 * its first chat request in after the hold ran out, which the test sees.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProbesAlongsideTest {
  /** The reward probe's candidate (TpoRunnerFactory scores it once before trusting a scorer). */
  private static final String PROBE_TEXT = "Hello! How can I help you today?";
  @TempDir Path dir;
  private SimulatedOpenAiServer server;
  private Path data;
  private Path out;
  private final CountDownLatch chatArrived = new CountDownLatch(1);
  private final AtomicBoolean probeHeldUntilChat = new AtomicBoolean();

  @BeforeEach
  void start() throws Exception {
    server = SimulatedOpenAiServer.builder().latency(Duration.ofMillis(10)).start();
    data = dir.resolve("prompts.jsonl");
    Files.write(data, IntStream.range(0, 3)
        .mapToObj(i -> "{\"id\":\"p" + i + "\",\"prompt\":\"question number " + i + "\"}")
        .toList(), StandardCharsets.UTF_8);
    out = dir.resolve("out.jsonl");
    // every chat request opens the latch (the condition never applies the fault itself)
    server.chatFaults().enqueue(Fault.delay(Duration.ZERO).onlyIf(r -> {
      chatArrived.countDown();
      return false;
    }));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A condition that holds the reward probe until a chat request arrived, then applies. */
  private Predicate<RecordedRequest> probeHeldUntilChat() {
    return r -> {
      if (!r.body().contains(PROBE_TEXT)) {
        return false;
      }
      try {
        probeHeldUntilChat.set(chatArrived.await(45, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    };
  }

  private record Result(int code, String err) {}

  private Result run(String model) {
    StringWriter err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute("run", "--data", data.toString(), "--base-url",
        server.openAiBaseUrl(), "--model", model, "--reward", "vllm+" + server.baseUrl(),
        "--samples", "3", "--iterations", "1", "--concurrency", "3", "--out", out.toString(),
        "--progress", "off", "--timeout", "120");
    return new Result(code, err.toString());
  }

  @Test
  void firstChatRequestGoesOutWhileTheRewardProbeIsUnanswered() throws Exception {
    server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(
        Fault.delay(Duration.ZERO).onlyIf(probeHeldUntilChat()));

    Result r = run("sim-model");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(probeHeldUntilChat).as("a chat request arrived while the reward probe was held")
        .isTrue();
    assertThat(Files.readAllLines(out)).hasSize(3).noneMatch(l -> l.contains("\"error\""));
    assertThat(server.stats().firstArrivalEpochMillis(SimulatedOpenAiServer.CHAT_PATH)
        .orElseThrow()).isLessThanOrEqualTo(System.currentTimeMillis());
    // the probe was sent once and answered: one more scoring request than the schedule's
    assertThat(server.stats().requests(SimulatedOpenAiServer.POOLING_PATH))
        .isEqualTo(3L * 2 * 3 + 1);
  }

  @Test
  void rewardProbeFailingAfterTheFirstRequestsStopsTheRunWithItsMessage() throws Exception {
    server.faults(SimulatedOpenAiServer.POOLING_PATH).withProbability(1.0,
        Fault.status(400, "{\"error\":\"bad reward model\"}").onlyIf(probeHeldUntilChat()));

    Result r = run("sim-model");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(probeHeldUntilChat).isTrue();
    assertThat(r.err()).contains("tpo run: the reward scorer 'vllm+" + server.baseUrl()
        + "' failed its probe").contains("Check that the reward server is running")
        .doesNotContain("\tat ");
    assertThat(server.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isPositive();
    assertThat(resultLines()).as("no result is written before the probes passed").isEmpty();
  }

  @Test
  void wrongModelNameStillStopsTheRunNamingTheServedModels() throws Exception {
    Result r = run("no-such-model");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("no-such-model").contains("sim-model").contains("--model")
        .doesNotContain("\tat ");
    assertThat(resultLines()).isEmpty();
  }

  private List<String> resultLines() throws Exception {
    return Files.exists(out) ? Files.readAllLines(out) : List.of();
  }
}
