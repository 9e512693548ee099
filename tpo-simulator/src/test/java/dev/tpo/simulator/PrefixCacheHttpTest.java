package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** cached_tokens over loopback HTTP, and the totals of /sim/stats. */
@Timeout(60)
class PrefixCacheHttpTest {
  private static final String LONG = "Explain, with examples, how a prefix cache saves prefill. "
      .repeat(20);

  @Test
  void chatResponsesReportCachedPromptTokensAndStatsTotalThem() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().prefixCacheBlocks(1000)
        .start()) {
      SimHttp http = new SimHttp(server);
      JsonNode first = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
          SimHttp.chatBody("sim-model", 1, LONG + "First question?")));
      JsonNode second = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
          SimHttp.chatBody("sim-model", 1, LONG + "Second question?")));

      long prompt1 = first.path("usage").path("prompt_tokens").asLong();
      long cached1 = first.path("usage").path("prompt_tokens_details").path("cached_tokens")
          .asLong(-1);
      long prompt2 = second.path("usage").path("prompt_tokens").asLong();
      long cached2 = second.path("usage").path("prompt_tokens_details").path("cached_tokens")
          .asLong(-1);
      assertThat(cached1).isZero();
      // the shared system message and LONG, cut to whole blocks of 16 tokens
      long shared = PrefixCache.tokens("be helpful\n" + LONG);
      assertThat(cached2).isPositive().isLessThanOrEqualTo(shared)
          .isGreaterThan(shared - PrefixCache.BLOCK_TOKENS).isLessThan(prompt2);
      assertThat(cached2 % PrefixCache.BLOCK_TOKENS).isZero();

      HttpResponse<String> stats = http.get("/sim/stats");
      JsonNode s = SimHttp.json(stats);
      assertThat(s.path("promptTokens").asLong()).isEqualTo(prompt1 + prompt2);
      assertThat(s.path("cachedTokens").asLong()).isEqualTo(cached2);
      assertThat(server.cachedTokens()).isEqualTo(cached2);
      assertThat(server.prefixCache()).isPresent();

      server.resetStats();
      assertThat(server.promptTokens()).isZero();
      assertThat(server.cachedTokens()).isZero();
    }
  }

  @Test
  void withoutTheCacheNothingIsCachedButPromptTokensAreCounted() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().start()) {
      SimHttp http = new SimHttp(server);
      for (int i = 0; i < 2; i++) {
        JsonNode j = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
            SimHttp.chatBody("sim-model", 1, LONG)));
        assertThat(j.path("usage").has("prompt_tokens_details")).isFalse();
      }
      assertThat(server.promptTokens()).isPositive();
      assertThat(server.cachedTokens()).isZero();
      assertThat(server.prefixCache()).isEmpty();
    }
  }

  @Test
  void prefillIsChargedOnlyForUncachedPromptTokens() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().prefixCacheBlocks(1000)
        .prefillDelay(java.time.Duration.ofNanos(1000)).start()) {
      SimHttp http = new SimHttp(server);
      long uncached = 0;
      for (String q : new String[] {"First?", "Second?"}) {
        JsonNode u = SimHttp.json(http.post(SimulatedOpenAiServer.CHAT_PATH,
            SimHttp.chatBody("sim-model", 1, LONG + q))).path("usage");
        uncached += u.path("prompt_tokens").asLong()
            - u.path("prompt_tokens_details").path("cached_tokens").asLong();
      }
      // the simulated wait the server added (no latency or token delay set): prefill only
      assertThat(server.stats().delayNanos(SimulatedOpenAiServer.CHAT_PATH))
          .isEqualTo(uncached * 1000);
      assertThat(uncached).isLessThan(server.promptTokens());
    }
  }
}
