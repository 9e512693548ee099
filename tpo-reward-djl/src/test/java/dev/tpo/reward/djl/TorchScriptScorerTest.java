package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch path on the real engine: a tiny TorchScript reward model (made by {@code
 * src/test/python/make_torchscript_model.py}) with the MiniLM tokenizer. Runs in its own surefire
 * execution, the only one whose class path has {@code ai.djl.pytorch:pytorch-native-cpu}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TorchScriptScorerTest {
  private static final String PROMPT = "Why is the sky blue?";
  private static final List<String> RESPONSES = List.of("Rayleigh scattering.", "",
      "空は青い。 🌍", "Because blue light is scattered more than red light by the air.", "No.");

  @TempDir static Path dir;
  private static DjlRewardScorer scorer;

  @BeforeAll
  static void load() throws IOException {
    assumeTrue(TorchScriptScorerTest.class.getResource("/native/lib/pytorch.properties") != null,
        "runs in the torchscript surefire execution, which adds pytorch-native-cpu");
    TinyRewardModel.write(dir);
    Files.delete(dir.resolve("model.onnx"));
    try (InputStream in = TorchScriptScorerTest.class.getResourceAsStream("torchscript/model.pt")) {
      Files.copy(in, dir.resolve("model.pt"));
    }
    scorer = DjlRewardScorer.builder().modelDirectory(dir).engine(RewardEngine.PYTORCH)
        .batchSize(2).build();
  }

  @AfterAll
  static void close() {
    if (scorer != null) {
      scorer.close();
    }
  }

  @Test
  void scoresWithTheTorchScriptModel() {
    List<Double> scores = scorer.score(PROMPT, RESPONSES);
    assertThat(scores).hasSize(RESPONSES.size()).allSatisfy(s -> assertThat(s).isFinite());
    assertThat(scores).doesNotHaveDuplicates();
    assertThat(scorer.score(PROMPT, RESPONSES)).isEqualTo(scores);
  }

  @Test
  void batchedEqualsOneByOne() {
    List<Double> batched = scorer.score(PROMPT, RESPONSES);
    for (int i = 0; i < RESPONSES.size(); i++) {
      assertThat(scorer.score(PROMPT, RESPONSES.get(i))).as("score #%d", i)
          .isCloseTo(batched.get(i), within(1e-5));
    }
  }

  @Test
  void overLongInputIsTruncatedToThePositionTable() {
    String longText = "blue ".repeat(500);
    assertThat(scorer.score(PROMPT, List.of(longText, longText + " red"))).satisfies(s -> {
      assertThat(s.get(0)).isFinite();
      assertThat(s.get(0)).isCloseTo(s.get(1), within(1e-6));
    });
  }
}
