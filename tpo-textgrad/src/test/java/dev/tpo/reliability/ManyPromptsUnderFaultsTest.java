package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.PoolEntry;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code optimizeAll} over 200 prompts while 10% of all requests (chat and reward) fail
 * transiently with a retryable status (the simulator's seeded fault probability): every prompt
 * ends with exactly one result, none lost, none duplicated, and no retry adds a pool entry twice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManyPromptsUnderFaultsTest {
  private static final int PROMPTS = 200;

  @Test
  void optimizeAllOver200PromptsWith10PercentTransientFailuresCompletesEveryPromptOnce() {
    // 5 retries: a request fails for good only after 6 faults in a row (p = 1e-6)
    try (Harness h = new Harness(SimulatedOpenAiServer.builder().seed(2026), 5)) {
      h.server.chatFaults().withProbability(0.05, Fault.status(503))
          .withProbability(0.05 / 0.95, Fault.rateLimited());
      h.server.faults(SimulatedOpenAiServer.POOLING_PATH)
          .withProbability(0.05, Fault.status(502))
          .withProbability(0.05 / 0.95, Fault.status(500));
      List<TpoRequest> requests = new ArrayList<>();
      for (int i = 0; i < PROMPTS; i++) {
        requests.add(TpoRequest.builder("Prompt " + i + ": one tip for clean code?")
            .id("p" + i).build());
      }

      List<TpoOutcome> out = h.tpo().build().optimizeAll(requests, 16);

      assertThat(out).hasSize(PROMPTS);
      assertThat(out).allSatisfy(o -> assertThat(o.error()).as("prompt %d", o.index()).isEmpty());
      Set<String> runIds = new HashSet<>();
      for (int i = 0; i < PROMPTS; i++) {
        TpoOutcome o = out.get(i);
        assertThat(o.index()).isEqualTo(i);
        TpoResult r = o.resultOrThrow();
        assertThat(r.runId()).isEqualTo("p" + i);
        assertThat(r.prompt()).isEqualTo(requests.get(i).prompt());
        assertThat(runIds.add(r.runId())).as("result of %s once", r.runId()).isTrue();
        assertThat(r.pool()).hasSize(4).extracting(PoolEntry::index).containsExactly(0, 1, 2, 3);
        assertThat(r.pool()).extracting(PoolEntry::text).doesNotHaveDuplicates();
      }
      long injected = h.server.stats().faultsInjected();
      long requestsSeen = h.server.stats().requests();
      assertThat((double) injected / requestsSeen).as("share of failed requests")
          .isBetween(0.07, 0.13);
      assertThat(h.policyWaits).hasSizeGreaterThan(50);
    }
  }
}
