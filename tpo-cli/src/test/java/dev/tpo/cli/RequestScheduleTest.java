package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.SimulatedOpenAiServer;
import dev.tpo.simulator.ServerStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * No request of a {@code tpo run} waits behind the client's own limits or retries (issue 21's
 * stall hunt): at a concurrency above OkHttp's per-host default of 5, every candidate of every
 * prompt is scored at once, and the server sees exactly the requests the schedule calls for (a
 * hidden retry, a repeated request or a request held in a dispatcher queue would show here). The
 * check counts requests and concurrency on the server, not wall time, so a busy machine cannot
 * fail it: each scoring request is held 2 s by the server, far longer than the client needs to
 * send the others of its round.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RequestScheduleTest {
  private static final int PROMPTS = 8;
  private static final int SAMPLES = 5;
  @TempDir Path dir;
  private SimulatedOpenAiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyScoringRequestOfAllPromptsIsInFlightAtOnceAndNoneIsRepeated() throws Exception {
    server = SimulatedOpenAiServer.builder().latency(Duration.ofMillis(20))
        .rewardLatency(Duration.ofSeconds(2)).start();
    Path data = dir.resolve("prompts.jsonl");
    Files.write(data, IntStream.range(0, PROMPTS)
        .mapToObj(i -> "{\"id\":\"p" + i + "\",\"prompt\":\"question number " + i + "\"}")
        .toList(), StandardCharsets.UTF_8);
    StringWriter err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute("run", "--data", data.toString(), "--base-url",
        server.openAiBaseUrl(), "--reward", "vllm+" + server.baseUrl(), "--samples",
        String.valueOf(SAMPLES), "--iterations", "1", "--concurrency", String.valueOf(PROMPTS),
        "--out", dir.resolve("out.jsonl").toString(), "--progress", "off", "--timeout", "60");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    ServerStats stats = server.stats();
    // round 0: the N candidates of all prompts are scored together (one request per candidate)
    assertThat(stats.maxInFlight()).as("requests in flight at once").isGreaterThanOrEqualTo(
        PROMPTS * SAMPLES);
    // exactly the schedule: per prompt 1 sampling + loss, gradient, update chat requests and
    // 2 rounds of N scoring requests; plus the reward probe's one. No retry, no repeat.
    assertThat(stats.requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(PROMPTS * 4L);
    assertThat(stats.requests(SimulatedOpenAiServer.POOLING_PATH))
        .isEqualTo(PROMPTS * 2L * SAMPLES + 1);
  }
}
