package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server faults through the {@code tpo run} command (in-process, real factory, simulated server):
 * transient ones are retried and every prompt gets one result; lasting ones give that prompt an
 * error line naming the failure while the others finish, and the next run redoes only it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CliFaultsTest {
  private static final List<String> PROMPTS =
      List.of("Alpha: name a planet.", "Bravo: name a metal.", "Charlie: name a gas.");
  @TempDir Path dir;
  private SimulatedOpenAiServer server;
  private Path data;
  private Path out;

  @BeforeEach
  void start() throws IOException {
    server = SimulatedOpenAiServer.start();
    data = dir.resolve("prompts.json");
    Files.writeString(data, Cli.JSON.writeValueAsString(PROMPTS));
    out = dir.resolve("results.jsonl");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Requests that carry the given prompt text. */
  private static Predicate<RecordedRequest> about(String text) {
    return r -> r.body().contains(text);
  }

  private Map<String, JsonNode> byPrompt() {
    return Cli.lines(out).stream().collect(Collectors.toMap(l -> l.get("prompt").asText(),
        l -> l, (a, b) -> {
          throw new AssertionError("two lines for " + a.get("prompt"));
        }));
  }

  @Test
  void transientPolicyAndRewardFaultsAreRetriedAndEveryPromptGetsExactlyOneResult() {
    server.chatFaults().enqueue(Fault.rateLimited(Duration.ofSeconds(1)), Fault.rateLimited(),
        Fault.status(500), Fault.status(502), Fault.status(503), Fault.closeConnection(),
        Fault.cutBody(), Fault.hang(Duration.ofSeconds(20)), Fault.fewerChoices(1),
        Fault.updateTagTextInside(), Fault.updateWithoutTags(), Fault.finishLength());
    // reward faults spread over the prompts (the scorer's probe of "Say hello." goes clean), at
    // most two per prompt so one request never meets more faults than the scorer's 2 retries
    server.faults(SimulatedOpenAiServer.POOLING_PATH).enqueue(
        Fault.status(503).onlyIf(about("Alpha")), Fault.rateLimited().onlyIf(about("Bravo")),
        Fault.closeConnection().onlyIf(about("Charlie")),
        Fault.hang(Duration.ofSeconds(20)).onlyIf(about("Alpha")));
    // eight failing chat faults may meet one request in a row: allow that many retries
    Cli.Result r = Cli.run(server, data, out, "--timeout", "2", "--max-retries", "8");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(byPrompt()).hasSize(3).allSatisfy((p, l) -> {
      assertThat(l.has("error")).isFalse();
      assertThat(l.get("pool")).hasSize(4);
    });
    assertThat(server.chatFaults().pending()).isZero();
    assertThat(server.faults(SimulatedOpenAiServer.POOLING_PATH).pending()).isZero();
  }

  @Test
  void aLastingPolicyFaultGivesThatPromptAnErrorLineAndTheNextRunRedoesOnlyIt() {
    server.chatFaults().withProbability(1.0, Fault.status(503).onlyIf(about("Bravo")));
    Cli.Result r = Cli.run(server, data, out, "--max-retries", "1");
    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    JsonNode failed = byPrompt().get(PROMPTS.get(1));
    assertThat(failed.get("error").asText()).contains("HTTP 503").contains("retry later");
    assertThat(failed.get("error_type").asText()).endsWith("ServerErrorException");
    assertThat(byPrompt()).hasSize(3);

    server.chatFaults().clear();
    long before = server.stats().requestsByPath().getOrDefault(SimulatedOpenAiServer.CHAT_PATH,
        0L);
    Cli.Result again = Cli.run(server, data, out);
    assertThat(again.exit()).as(again.stderr()).isZero();
    assertThat(again.stderr()).contains("1 prompts failed last time; they run again");
    assertThat(byPrompt()).hasSize(3).allSatisfy((p, l) -> assertThat(l.has("error")).isFalse());
    long chats = server.stats().requestsByPath().get(SimulatedOpenAiServer.CHAT_PATH) - before;
    assertThat(chats).as("only the failed prompt ran again (1 + 3 requests)").isEqualTo(4);
  }

  @Test
  void rewardFaultsGiveTheirPromptsErrorLinesNamingTheScorerWhileTheOthersFinish() {
    server.faults(SimulatedOpenAiServer.POOLING_PATH)
        .withProbability(1.0, Fault.rewardNaN().onlyIf(about("Alpha")))
        .withProbability(1.0, Fault.rewardTooFew().onlyIf(about("Charlie")));
    Cli.Result r = Cli.run(server, data, out);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    Map<String, JsonNode> lines = byPrompt();
    assertThat(lines.get(PROMPTS.get(0)).get("error").asText()).contains("got NaN");
    assertThat(lines.get(PROMPTS.get(2)).get("error").asText()).contains("got no score");
    assertThat(lines.get(PROMPTS.get(1)).has("error")).isFalse();
    assertThat(lines.values()).allSatisfy(l -> assertThat(l.get("error_type") == null
        || l.get("error_type").asText().endsWith("RewardScoringException")).isTrue());
  }

  @Test
  void eachKeyGoesToItsServerAndNeitherShowsInOutputOrResultsWhenARewardErrorEchoesIt()
      throws Exception {
    String policyKey = "sk-policy-7f3e9a21";
    String rewardKey = "sk-reward-4b8c6d05";
    server.faults(SimulatedOpenAiServer.POOLING_PATH).withProbability(1.0,
        Fault.status(400, "{\"error\": \"bad key " + rewardKey + " for this model\"}")
            .onlyIf(about("Alpha")));
    Cli.Result r = Cli.run(server, data, out, "--api-key", policyKey,
        "--reward-api-key", rewardKey);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    Map<String, JsonNode> lines = byPrompt();
    assertThat(lines.get(PROMPTS.get(0)).get("error").asText()).contains("HTTP 400")
        .contains("bad key ***");
    assertThat(server.requests(SimulatedOpenAiServer.CHAT_PATH))
        .allSatisfy(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer " + policyKey));
    assertThat(server.requests(SimulatedOpenAiServer.POOLING_PATH))
        .allSatisfy(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer " + rewardKey));
    for (String text : List.of(r.stderr(), r.stdout(), Files.readString(out))) {
      assertThat(text).doesNotContain(policyKey).doesNotContain(rewardKey);
    }
  }

  @Test
  void malformedAnswersGiveErrorLinesWithTheReason() {
    // final answers (not JSON; JSON without choices), with no prompt retry to wait for
    server.chatFaults().enqueue(Fault.rawBody("<html>proxy error</html>").onlyIf(about("Alpha")),
        Fault.noChoices().onlyIf(about("Charlie")));
    Cli.Result r = Cli.run(server, data, out, "--prompt-retries", "0");
    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    Map<String, JsonNode> lines = byPrompt();
    assertThat(lines.get(PROMPTS.get(0)).get("error").asText()).contains("not JSON");
    assertThat(lines.get(PROMPTS.get(2)).get("error").asText())
        .contains("without a 'choices' array");
    assertThat(lines.get(PROMPTS.get(1)).has("error")).isFalse();
  }

  @Test
  void unparsableUpdatesDegradeToTheBestSampleWithAWarningInTheResultLine() {
    server.chatFaults().withProbability(1.0, Fault.updateEmpty());
    Cli.Result r = Cli.run(server, data, out);
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(byPrompt()).hasSize(3).allSatisfy((p, l) -> {
      assertThat(l.has("error")).isFalse();
      assertThat(l.get("pool")).hasSize(2);
      assertThat(l.get("warnings").get(0).asText())
          .contains("every one of the 2 update choices was unparsable");
    });
  }

  @Test
  void candidatesCutAtTheTokenLimitAreKeptWithAWarningInTheResultLine() {
    server.chatFaults().enqueue(Fault.finishLength().onlyIf(about("Bravo")));
    Cli.Result r = Cli.run(server, data, out);
    assertThat(r.exit()).as(r.stderr()).isZero();
    Map<String, JsonNode> lines = byPrompt();
    assertThat(lines.get(PROMPTS.get(1)).get("warnings").get(0).asText())
        .contains("stopped at the token limit");
    assertThat(lines.get(PROMPTS.get(0)).path("warnings")).isEmpty();
  }
}
