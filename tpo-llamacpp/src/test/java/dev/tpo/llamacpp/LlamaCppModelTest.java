package dev.tpo.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real llama.cpp on the project's tiny random-weight GGUF, shared by all tests of the class. */
@Timeout(120)
class LlamaCppModelTest {
  private static LlamaCppModel model;

  @BeforeAll
  static void load() {
    model =
        LlamaCppModel.builder()
            .modelPath(TinyGguf.defaultModel())
            .contextSize(512)
            .slots(2)
            .threads(2)
            .build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static ChatRequest.Builder request(String user) {
    return ChatRequest.builder()
        .system("You are brief.")
        .user(user)
        .temperature(1.0)
        .topP(0.95)
        .maxTokens(12)
        .seed(7L);
  }

  @Test
  void rendersTheChatTemplateStoredInTheGguf() {
    String prompt =
        model.renderPrompt(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi é")));
    assertThat(prompt)
        .isEqualTo(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi é<|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(model.info().hasChatTemplate()).isTrue();
    assertThat(model.info().architecture()).isEqualTo("llama");
  }

  @Test
  void promptTokensAreTheWholeRenderedTemplate() {
    ChatRequest r = request("What is the capital of France?").temperature(0.0).n(1).build();
    ChatResponse a = model.chat(r);
    int[] expected = model.tokenize(model.renderPrompt(r.messages()));
    // Byte-level vocabulary: each control token is one token, the rest one byte each at most.
    assertThat(expected.length).isGreaterThan(30);
    assertThat(a.usage().promptTokens()).isEqualTo(expected.length);
    // The model really sees the whole prompt: greedy answers to prompts that end in the same
    // template tokens differ (a 1-token prompt would give the same text for both).
    ChatResponse b = model.chat(request("Name three prime numbers.").temperature(0.0).build());
    assertThat(a.text()).isNotEqualTo(b.text());
  }

  @Test
  void nChoicesWithUsageAsAServerReportsIt() {
    ChatResponse r = model.chat(request("Hello").n(3).build());
    assertThat(r.choices()).hasSize(3);
    assertThat(r.choices()).extracting(ChatChoice::index).containsExactly(0, 1, 2);
    assertThat(r.choices()).allSatisfy(c -> assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH));
    assertThat(r.choices()).allSatisfy(c -> assertThat(c.text()).isNotEmpty().matches("[\\x20-\\x7e]+"));
    int prompt = model.tokenize(model.renderPrompt(request("Hello").build().messages())).length;
    assertThat(r.usage().promptTokens()).isEqualTo(prompt); // once, not n times
    assertThat(r.usage().completionTokens()).isEqualTo(3 * 12); // summed over the choices
    assertThat(r.usage().requests()).isEqualTo(1);
    assertThat(r.model()).isEqualTo("tpo-tiny-test");
  }

  @Test
  void choiceISamplesWithSeedPlusI() {
    ChatRequest r = request("Tell me a story").n(3).seed(100L).build();
    for (int i = 0; i < 3; i++) {
      String json = LlamaCppModel.parameters(r, i, "p", 12, 1).toString();
      assertThat(json).contains("\"seed\": " + (100 + i)).contains("\"cache_prompt\": true");
    }
    // The seed is taken modulo 2^31 (llama.cpp reads a 32-bit seed).
    ChatRequest big = request("x").seed((1L << 31) + 5).build();
    assertThat(LlamaCppModel.parameters(big, 1, "p", 12, 0).toString()).contains("\"seed\": 6");
    ChatRequest none = ChatRequest.builder().user("x").build();
    assertThat(LlamaCppModel.parameters(none, 0, "p", 12, 0).toString()).doesNotContain("seed");
  }

  @Test
  void differentSeedsGiveDifferentTexts() {
    ChatResponse first = model.chat(request("Tell me a story").n(2).seed(100L).build());
    assertThat(first.texts().get(0)).isNotEqualTo(first.texts().get(1));
    ChatResponse other = model.chat(request("Tell me a story").n(2).seed(555L).build());
    assertThat(other.texts()).doesNotContainAnyElementsOf(first.texts());
  }

  /**
   * What a seed guarantees: the same computation gives the same texts. Two fresh one-slot
   * instances answer the same requests in the same order, so each sequence is decoded alone and
   * finds the same prefix of its prompt cached on both. Across the instances every text must match;
   * within one, choice 1 of the n=2 request (seed 100 + 1) must match the n=1 request with seed 101,
   * which runs right after it on the same slot, the same way (its whole prompt cached, the last
   * prompt token evaluated again). This also guards the KV-cache clear that llama.cpp's task loop
   * makes at its first idle moment (see LlamaCppModelBuilder#build): when it came after a request,
   * later requests sharing that request's prompt prefix generated other texts.
   */
  @Test
  void theSameComputationWithTheSameSeedGivesTheSameTexts() {
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (LlamaCppModel m =
          LlamaCppModel.builder()
              .modelPath(TinyGguf.defaultModel())
              .contextSize(512)
              .slots(1)
              .threads(2)
              .build()) {
        List<String> texts = new ArrayList<>();
        ChatResponse first = m.chat(request("Tell me a story").n(2).seed(100L).build());
        texts.addAll(first.texts());
        ChatResponse next = m.chat(request("Tell me a story").n(1).seed(101L).build());
        assertThat(first.texts().get(0)).isNotEqualTo(first.texts().get(1));
        assertThat(next.text()).isEqualTo(first.texts().get(1));
        LlamaCppModel.Generation joke =
            m.generateAsync(request("Tell me a joke").seed(101L).build()).join();
        assertThat(joke.cachedPromptTokens()).isGreaterThan(10).isLessThan(joke.promptTokens() - 1);
        texts.add(joke.response().text());
        texts.add(m.chat(request("Tell me a joke").seed(101L).build()).text());
        texts.add(m.chat(request("Tell me a story, please").seed(102L).build()).text());
        runs.add(texts);
      }
    }
    assertThat(runs.get(1)).isEqualTo(runs.get(0));
  }

  @Test
  void maxTokensEndsWithLength() {
    ChatResponse r = model.chat(request("Count").maxTokens(5).build());
    assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.usage().completionTokens()).isEqualTo(5);
  }

  @Test
  void stopStringsEndWithStopAndAreNotInTheText() {
    List<String> stops = List.of("a", "e", "i", "o", "u", " ");
    ChatResponse r = model.chat(request("Write").maxTokens(200).stop(stops).n(2).build());
    for (ChatChoice c : r.choices()) {
      assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
      for (String s : stops) {
        assertThat(c.text()).doesNotContain(s);
      }
    }
    assertThat(r.usage().completionTokens()).isLessThan(400);
  }

  @Test
  void promptLongerThanTheContextIsABadRequest() {
    String huge = "word ".repeat(200);
    assertThatThrownBy(() -> model.chat(request(huge).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("context of 512 tokens per slot");
  }

  @Test
  void manyThreadsShareOneModel() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int k = i;
        futures.add(pool.submit(() -> model.chat(request("Question " + k).n(2).seed((long) k).build())));
      }
      for (Future<ChatResponse> f : futures) {
        ChatResponse r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.choices()).hasSize(2);
        assertThat(r.usage().completionTokens()).isEqualTo(24);
      }
      // Each request got its own texts (its own prompt and seeds), not another request's. (Whether
      // a request run alone gives the same texts as in this crowd is not asserted: the sequences
      // sharing a decoding step change the logits' last bits, see LlamaCppModel's Javadoc.)
      List<String> texts = new ArrayList<>();
      for (Future<ChatResponse> f : futures) {
        texts.addAll(f.get().texts());
      }
      assertThat(texts).hasSize(32).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cancellingStopsGenerationAndFreesTheSlots() throws Exception {
    // Its own model, with room for 16,000 tokens per sequence (many seconds of generation).
    try (LlamaCppModel m =
        LlamaCppModel.builder()
            .modelPath(TinyGguf.defaultModel())
            .contextSize(16384)
            .slots(2)
            .threads(2)
            .build()) {
      CompletableFuture<ChatResponse> endless =
          m.chatAsync(request("Go on forever").maxTokens(16000).n(2).build());
      Thread.sleep(200);
      long t0 = System.nanoTime();
      endless.cancel(true);
      assertThat(endless).isCancelled();
      // Both slots come back at once: a short request is answered promptly.
      ChatResponse r = m.chat(request("Quick").maxTokens(4).n(2).build());
      assertThat(r.choices()).hasSize(2);
      assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
      // Only the short request's sequences completed.
      assertThat(m.cacheStats().sequences()).isEqualTo(2);
    }
  }

  @Test
  void reusesTheCachedPromptPrefix() {
    LlamaCppModel.Generation first =
        model.generateAsync(request("Cache me please").n(1).build()).join();
    LlamaCppModel.Generation second =
        model.generateAsync(request("Cache me please").n(1).seed(8L).build()).join();
    // The same prompt on its slot: everything but the last token comes from the KV cache.
    assertThat(second.cachedPromptTokens()).isEqualTo(second.promptTokens() - 1);
    assertThat(first.promptTokens()).isEqualTo(second.promptTokens());
    LlamaCppModel.Generation shared =
        model.generateAsync(request("Cache me again").n(1).build()).join();
    assertThat(shared.cachedPromptTokens()).isGreaterThan(10).isLessThan(shared.promptTokens() - 1);
    assertThat(model.cacheStats().cachedTokens()).isGreaterThan(0);
  }
}
