package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The scorer on the real ONNX Runtime engine with the tiny test model and the MiniLM tokenizer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DjlRewardScorerTest {
  private static final String PROMPT = "Why is the sky blue?";
  private static final List<String> RESPONSES = List.of(
      "Rayleigh scattering: short blue wavelengths scatter more in the air.",
      "No idea.",
      "",
      "Le ciel est bleu à cause de la diffusion de Rayleigh. 空は青い。 🌍",
      "Because sunlight is scattered by molecules, and blue light is scattered the most, so the"
          + " sky looks blue from every direction during the day.",
      "The sky is green.",
      "Blue.");

  @TempDir static Path dir;
  private static DjlRewardScorer scorer;

  @BeforeAll
  static void load() {
    TinyRewardModel.write(dir);
    scorer = DjlRewardScorer.builder().modelDirectory(dir).batchSize(3).build();
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void readsLimitAndFormatFromTheModelDirectory() {
    assertThat(scorer.maxLength()).isEqualTo(TinyRewardModel.MAX_POSITIONS);
    assertThat(scorer.inputFormat()).isEqualTo(InputFormat.pair());
    assertThat(scorer.name()).isEqualTo("djl:" + dir.getFileName());
  }

  @Test
  void scoresAreDeterministicAcrossCallsAndInstances() {
    List<Double> first = scorer.score(PROMPT, RESPONSES);
    List<Double> again = scorer.score(PROMPT, RESPONSES);
    try (DjlRewardScorer other = DjlRewardScorer.builder().modelDirectory(dir).build()) {
      List<Double> fromOther = other.score(PROMPT, RESPONSES);
      assertThat(again).isEqualTo(first);
      for (int i = 0; i < first.size(); i++) {
        assertThat(fromOther.get(i)).as("score #%d", i).isCloseTo(first.get(i), within(1e-6));
      }
    }
    assertThat(first).doesNotHaveDuplicates();
  }

  @Test
  void batchedEqualsOneByOne() {
    List<Double> batched = scorer.score(PROMPT, RESPONSES);
    try (DjlRewardScorer single = DjlRewardScorer.builder().modelDirectory(dir).batchSize(1)
        .build()) {
      for (int i = 0; i < RESPONSES.size(); i++) {
        double alone = single.score(PROMPT, List.of(RESPONSES.get(i))).get(0);
        assertThat(batched.get(i)).as("score #%d", i).isCloseTo(alone, within(1e-5));
      }
    }
  }

  @Test
  void preservesInputOrder() {
    List<Double> scores = scorer.score(PROMPT, RESPONSES);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < RESPONSES.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    List<String> shuffled = new ArrayList<>();
    order.forEach(i -> shuffled.add(RESPONSES.get(i)));
    List<Double> shuffledScores = scorer.score(PROMPT, shuffled);
    for (int k = 0; k < order.size(); k++) {
      assertThat(shuffledScores.get(k)).as("position %d", k)
          .isCloseTo(scores.get(order.get(k)), within(1e-5));
    }
  }

  @Test
  void overLongResponseIsTruncatedNotRejected() {
    String start = words("alpha", 200);
    String endA = words("red", 100);
    String endB = words("green", 100);
    List<Double> scores = scorer.score(PROMPT, List.of(start + endA, start + endB, endA));
    // The model's position table has 64 rows: scoring at all proves the input was cut to fit.
    assertThat(scores).allSatisfy(s -> assertThat(s).isFinite());
    // Right truncation keeps the beginning, so both long answers reduce to the same input.
    assertThat(scores.get(0)).isCloseTo(scores.get(1), within(1e-6));
    assertThat(scores.get(0)).isNotCloseTo(scores.get(2), within(1e-6));
  }

  @Test
  void leftTruncationKeepsTheEnd() {
    try (DjlRewardScorer left = DjlRewardScorer.builder().modelDirectory(dir)
        .truncationSide(TruncationSide.LEFT).build()) {
      String tail = words("blue", 150);
      List<Double> scores = left.score(PROMPT,
          List.of(words("alpha", 150) + tail, words("omega", 150) + tail, "short"));
      assertThat(scores).allSatisfy(s -> assertThat(s).isFinite());
      assertThat(scores.get(0)).isCloseTo(scores.get(1), within(1e-6));
      assertThat(scores.get(0)).isNotCloseTo(scores.get(2), within(1e-6));
    }
  }

  @Test
  void scoresEmptyAndNonAsciiResponses() {
    List<Double> scores = scorer.score(PROMPT, List.of("", "日本語の答え 🌍", "Ça va — très bien"));
    assertThat(scores).hasSize(3).allSatisfy(s -> assertThat(s).isFinite());
    assertThat(scores).doesNotHaveDuplicates();
  }

  @Test
  void chatTemplateNeverDoublesTheBos() {
    ChatTemplate withBos = ChatTemplate.of("[CLS] question: {prompt} answer: {response}");
    ChatTemplate withoutBos = ChatTemplate.of("question: {prompt} answer: {response}");
    try (DjlRewardScorer a = chatScorer(withBos); DjlRewardScorer b = chatScorer(withoutBos)) {
      assertThat(a.renderedInput("Q", "A")).hasValue(" question: Q answer: A");
      assertThat(a.score(PROMPT, RESPONSES)).isEqualTo(b.score(PROMPT, RESPONSES));
      assertThat(a.score(PROMPT, RESPONSES)).isNotEqualTo(scorer.score(PROMPT, RESPONSES));
    }
  }

  @Test
  void detectsLlama3TemplateFromTokenizerConfig(@TempDir Path other) throws IOException {
    TinyRewardModel.write(other);
    Files.writeString(other.resolve("tokenizer_config.json"), "{\"model_max_length\": 32,"
        + " \"chat_template\": \"{{ '<|start_header_id|>' + message['role'] }}\"}");
    try (DjlRewardScorer llama = DjlRewardScorer.builder().modelDirectory(other).build()) {
      assertThat(llama.inputFormat()).isEqualTo(InputFormat.llama3());
      assertThat(llama.maxLength()).isEqualTo(32);
      assertThat(llama.score(PROMPT, RESPONSES)).allSatisfy(s -> assertThat(s).isFinite());
    }
  }

  @Test
  void unknownChatTemplateAsksForAnExplicitFormat(@TempDir Path other) throws IOException {
    TinyRewardModel.write(other);
    Files.writeString(other.resolve("tokenizer_config.json"),
        "{\"chat_template\": \"{% for m in messages %}<|im_start|>{% endfor %}\"}");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(other).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tokenizer_config.json")
        .hasMessageContaining("ChatTemplate.of");
  }

  @Test
  void modelWithoutTokenTypesGetsOnlyItsInputs(@TempDir Path other) {
    TinyRewardModel.write(other, false);
    try (DjlRewardScorer plain = DjlRewardScorer.builder().modelDirectory(other).build()) {
      assertThat(plain.score(PROMPT, RESPONSES)).hasSize(RESPONSES.size())
          .allSatisfy(s -> assertThat(s).isFinite());
    }
  }

  @Test
  void engineOptionsReachOnnxRuntime() {
    List<Double> expected = scorer.score(PROMPT, RESPONSES);
    try (DjlRewardScorer oneThread = DjlRewardScorer.builder().modelDirectory(dir)
        .engineOptions(Map.of("intraOpNumThreads", "1", "optLevel", "NO_OPT")).build()) {
      List<Double> got = oneThread.score(PROMPT, RESPONSES);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i)).isCloseTo(expected.get(i), within(1e-5));
      }
    }
  }

  @Test
  void concurrentCallersShareOnePredictor() throws Exception {
    List<Double> expected = scorer.score(PROMPT, RESPONSES);
    try (DjlRewardScorer single = DjlRewardScorer.builder().modelDirectory(dir).predictors(1)
        .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          futures.add(pool.submit(() -> single.score(PROMPT, RESPONSES)));
        }
        for (Future<List<Double>> f : futures) {
          List<Double> got = f.get(60, TimeUnit.SECONDS);
          for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isCloseTo(expected.get(i), within(1e-5));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closedScorerRefusesToScore() {
    DjlRewardScorer closing = DjlRewardScorer.builder().modelDirectory(dir).build();
    closing.close();
    closing.close();
    assertThatThrownBy(() -> closing.score(PROMPT, RESPONSES))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("closed");
  }

  private static DjlRewardScorer chatScorer(ChatTemplate template) {
    return DjlRewardScorer.builder().modelDirectory(dir).inputFormat(InputFormat.chat(template))
        .build();
  }

  private static String words(String word, int count) {
    return String.join(" ", Collections.nCopies(count, word)) + " ";
  }
}
