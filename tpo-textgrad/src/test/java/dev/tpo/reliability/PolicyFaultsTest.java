package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.PoolEntry;
import dev.tpo.RoundStatus;
import dev.tpo.TpoResult;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.RetryableException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the policy server (chat completions) through {@code Tpo.optimize} with the real
 * OpenAI-compatible model over loopback HTTP. Retries wait nothing (the waits the SDK asks for
 * are recorded instead); N=2, D=1, so a clean run makes 4 chat requests and ends with 4 pool
 * entries.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PolicyFaultsTest {
  private static final String PROMPT = "What is a good name for a cat?";
  private static final String CHAT = SimulatedOpenAiServer.CHAT_PATH;

  /** A clean run's result: 4 distinct pool entries, one completed round, no warning. */
  private static void assertComplete(TpoResult r) {
    assertThat(r.pool()).hasSize(4);
    assertThat(r.pool()).extracting(PoolEntry::text).doesNotHaveDuplicates();
    assertThat(r.rounds()).singleElement()
        .satisfies(round -> assertThat(round.status()).isEqualTo(RoundStatus.COMPLETED));
    assertThat(r.answer()).isNotBlank();
  }

  @Test
  void retriesOn429WithoutRetryAfterAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.rateLimited());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(h.policyWaits).as("one backoff wait of the SDK").hasSize(1);
      assertThat(h.policyWaits.get(0)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
      assertThat(h.server.requests(CHAT)).hasSize(5);
    }
  }

  @Test
  void retriesOn429HonouringRetryAfterAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.rateLimited(Duration.ofSeconds(3)));
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(h.policyWaits).containsExactly(Duration.ofSeconds(3));
      assertThat(r.warnings()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503})
  void retriesOnServerErrorsAndSucceeds(int status) {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.status(status));
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(h.policyWaits).hasSize(1);
      assertThat(h.server.requests(CHAT)).hasSize(5);
    }
  }

  @Test
  void a429ThatOutlastsTheRetriesFailsWithRateLimitedNamingTheServer() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.rateLimited(Duration.ofSeconds(2)));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
            assertThat(e.isRetryable()).isTrue();
          })
          .hasMessageContaining(h.server.openAiBaseUrl()).hasMessageContaining("HTTP 429")
          .hasMessageContaining("lower the concurrency");
      assertThat(h.policyWaits).hasSize(2);
      assertThat(h.failures).singleElement();
    }
  }

  @Test
  void a5xxThatOutlastsTheRetriesFailsWithServerErrorKeepingStatusAndBody() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.status(503));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOfSatisfying(ServerErrorException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.responseBody()).contains("simulated failure with HTTP 503");
          })
          .hasMessageContaining("HTTP 503").hasMessageContaining("retry later");
    }
  }

  @Test
  void retriesAConnectionResetAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.closeConnection());
      assertComplete(h.tpo().build().optimize(PROMPT));
      assertThat(h.policyWaits).hasSize(1);
    }
  }

  @Test
  void aConnectionResetOnEveryAttemptFailsWithConnectionFailed() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.closeConnection());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining(h.server.openAiBaseUrl())
          .hasMessageContaining("after 3 attempt(s)");
    }
  }

  @Test
  void aRefusedConnectionFailsWithConnectionFailedNamingTheUrl() {
    try (Harness h = new Harness()) {
      String url = h.server.openAiBaseUrl();
      h.server.close();
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .isInstanceOf(RetryableException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("Check that the server runs");
      assertThat(h.policyWaits).hasSize(2);
    }
  }

  @Test
  void aReadTimeoutIsRetriedAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.hang(Duration.ofSeconds(5)));
      assertComplete(h.tpo().build().optimize(PROMPT));
      assertThat(h.policyWaits).hasSize(1);
    }
  }

  @Test
  void aReadTimeoutOnEveryAttemptFailsWithTimedOut() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.hang(Duration.ofSeconds(5)));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining("timed out after 3 attempt(s)")
          .hasMessageContaining("raise the timeout");
    }
  }

  @Test
  void aBodyCutOffMidTransferIsRetriedAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.cutBody());
      assertComplete(h.tpo().build().optimize(PROMPT));
      assertThat(h.server.requests(CHAT)).hasSize(5);
    }
  }

  @Test
  void aBodyCutOffOnEveryAttemptFailsWithConnectionFailedNamingTheServer() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.cutBody());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining(h.server.openAiBaseUrl())
          .hasMessageContaining("broke off");
      assertThat(h.server.requests(CHAT)).hasSize(3);
    }
  }

  @Test
  void aCompleteAnswerWithJsonCutOffMidwayIsRetriedLikeA5xxAndSucceeds() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.malformedJson());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      // sampling (cut off, sent again), loss, gradient, update
      assertThat(h.server.requests(CHAT)).hasSize(5);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aCompleteAnswerWithJsonCutOffOnEveryAttemptFailsWithConnectionFailedNamingTheServer() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(3, Fault.malformedJson());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining("cut off")
          .hasMessageContaining("on 3 attempt(s)")
          .hasMessageContaining(h.server.openAiBaseUrl());
      assertThat(h.server.requests(CHAT)).hasSize(3);
    }
  }

  @Test
  void aCompleteAnswerThatIsNotJsonStaysFinalAndIsNotRetried() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.rawBody("<html>Bad gateway page</html>"));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOfSatisfying(MalformedResponseException.class,
              e -> assertThat(e.rawText()).startsWith("<html>"))
          .hasMessageContaining("not JSON");
      assertThat(h.server.requests(CHAT)).hasSize(1);
    }
  }

  @Test
  void validJsonWithoutChoicesFailsWithMalformedResponse() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.noChoices());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("without a 'choices' array")
          .hasMessageContaining("OpenAI-compatible /v1 endpoint");
    }
  }

  @Test
  void fewerChoicesThanNAreFilledWithSingleRequests() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.fewerChoices(1));
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(h.policy.singleChoiceFallback()).isTrue();
      assertThat(r.pool().stream().filter(p -> p.round() == 0)).hasSize(2);
    }
  }

  @Test
  void zeroChoicesFailWithMalformedResponseNamingN() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.fewerChoices(0));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("no choice for n=2");
    }
  }

  @Test
  void finishReasonLengthKeepsTheCandidatesMarkedTruncatedWithAWarning() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.finishLength());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(r.pool().stream().filter(p -> p.round() == 0))
          .allSatisfy(p -> assertThat(p.truncated()).isTrue());
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("token limit"));
      assertThat(h.warnings).isNotEmpty();
    }
  }

  @Test
  void updateChoicesWithoutTagsAreRepairedByOneReformatRequestEach() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.updateWithoutTags());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      assertThat(r.warnings()).isEmpty();
      assertThat(h.server.requests(CHAT)).as("4 requests and 2 reformats").hasSize(6);
    }
  }

  @Test
  void updateChoicesWithoutTagsEndTheRoundAsUnparsableWithAWarningAndKeepTheBestSoFar() {
    try (Harness h = new Harness()) {
      // the update and the engine's reformat requests both answer without tags
      h.server.chatFaults().enqueue(3, Fault.updateWithoutTags());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertThat(r.rounds()).singleElement().satisfies(round -> {
        assertThat(round.status()).isEqualTo(RoundStatus.FAILED_UNPARSABLE);
        assertThat(round.dropped()).hasSize(2);
      });
      assertThat(r.pool()).hasSize(2);
      assertThat(r.answer()).isEqualTo(r.best().text());
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("unparsable"));
    }
  }

  @Test
  void emptyUpdateChoicesEndTheRoundAsUnparsableWithAWarning() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.updateEmpty());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertThat(r.rounds().get(0).status()).isEqualTo(RoundStatus.FAILED_UNPARSABLE);
      assertThat(r.pool()).hasSize(2).allSatisfy(p -> assertThat(p.text()).isNotBlank());
      assertThat(h.warnings).anySatisfy(w -> assertThat(w.message()).contains("unparsable"));
    }
  }

  @Test
  void tagTextInsideAnUpdateAnswerIsKeptAsTextAndTheRoundCompletes() {
    try (Harness h = new Harness()) {
      h.server.chatFaults().enqueue(Fault.updateTagTextInside());
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertComplete(r);
      // the value runs to the last end tag from the start tag it closes (docs/textgrad.md): the
      // mentioned pair stays whole, no stray tag at either end
      assertThat(r.pool().stream().filter(p -> p.round() == 1)).hasSize(2).allSatisfy(p ->
          assertThat(p.text()).isNotBlank().doesNotStartWith("<NEW_VALUE>")
              .doesNotEndWith("</NEW_VALUE>")
              .startsWith("Write the improved answer between <NEW_VALUE> and </NEW_VALUE>."));
    }
  }
}
