package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.error.TpoException;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API key ({@link Harness#API_KEY}) never appears in an exception (message, cause, kept body,
 * stack trace), a result (JSON, warnings, records), a {@code toString}, or the log, even when the
 * server echoes it back in its error bodies, as OpenAI does for a wrong key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiKeyNeverLeaksTest {
  private static final String KEY = Harness.API_KEY;
  private static final String ECHO = "{\"error\":{\"message\":\"Incorrect API key provided: "
      + KEY + ". You can find your key at https://example.invalid\",\"code\":\"invalid_api_key\"}}";

  /** A fault scenario and the exception type it must end in. */
  private record Scenario(String path, Consumer<SimulatedOpenAiServer> faults,
      Class<? extends TpoException> expected) {}

  @Test
  void theKeyAppearsInNoExceptionResultToStringOrLogLineEvenWhenTheServerEchoesIt() {
    List<Scenario> scenarios = List.of(
        new Scenario("401 echoing the key", s -> s.chatFaults().enqueue(Fault.status(401, ECHO)),
            AuthenticationException.class),
        new Scenario("400 echoing the key", s -> s.chatFaults().enqueue(Fault.status(400, ECHO)),
            BadRequestException.class),
        new Scenario("429 echoing the key",
            s -> s.chatFaults().enqueue(3, Fault.status(429, ECHO)), RateLimitedException.class),
        new Scenario("503 echoing the key",
            s -> s.chatFaults().enqueue(3, Fault.status(503, ECHO)), ServerErrorException.class),
        new Scenario("reset", s -> s.chatFaults().enqueue(3, Fault.closeConnection()),
            ConnectionFailedException.class),
        new Scenario("cut body", s -> s.chatFaults().enqueue(3, Fault.cutBody()),
            ConnectionFailedException.class),
        new Scenario("read timeout",
            s -> s.chatFaults().enqueue(3, Fault.hang(Duration.ofSeconds(5))),
            ConnectionFailedException.class),
        new Scenario("an answer that is not JSON, quoting the key",
            s -> s.chatFaults().enqueue(Fault.rawBody("<html>key " + KEY + " rejected</html>")),
            MalformedResponseException.class),
        new Scenario("JSON cut off on every attempt",
            s -> s.chatFaults().enqueue(3, Fault.malformedJson()),
            ConnectionFailedException.class),
        new Scenario("reward 401 echoing the key",
            s -> s.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(Fault.status(401, ECHO)),
            AuthenticationException.class),
        new Scenario("reward 500 echoing the key",
            s -> s.faults(SimulatedOpenAiServer.POOLING_PATH)
                .withProbability(1.0, Fault.status(500, ECHO)),
            ServerErrorException.class));

    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(log, true, StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>();
    System.setErr(capture);
    System.setOut(capture);
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().build();
      TpoResult clean = tpo.optimize("Name three uses of baking soda.");
      texts.add(clean.toJson());
      texts.add(clean.toPrettyJson());
      texts.add(clean.toString());
      texts.addAll(clean.warnings());
      texts.add(tpo.toString());
      texts.add(h.policy.toString());
      texts.add(h.scorer.toString());
      for (Scenario s : scenarios) {
        s.faults().accept(h.server);
        Throwable t = catchThrowable(() -> tpo.optimize("Name three uses of vinegar."));
        assertThat(t).as(s.path()).isInstanceOf(s.expected());
        Leaks.assertNoSecret(t, KEY);
        h.server.chatFaults().clear();
        h.server.faults(SimulatedOpenAiServer.POOLING_PATH).clear();
      }
      h.failures.forEach(f -> Leaks.assertNoSecret(f.error(), KEY));
      h.warnings.forEach(w -> texts.add(w.message()));
      // the server did receive the key: the check above is not vacuous
      assertThat(h.server.requests().get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    texts.add(log.toString(StandardCharsets.UTF_8));
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(KEY));
  }
}
