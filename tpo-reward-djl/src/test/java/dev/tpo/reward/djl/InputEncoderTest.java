package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token-level checks with the real MiniLM tokenizer, whose tokenizer.json itself says "truncate
 * and pad to 128": the scorer switches both off and truncates on its own, keeping [CLS] and [SEP].
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputEncoderTest {
  private static final long CLS = 101;
  private static final long SEP = 102;

  @TempDir static Path dir;
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void open() {
    DjlRuntime.ensureOffline();
    TinyRewardModel.write(dir);
    tokenizer = LoadedModel.openTokenizer(
        ModelDirectory.inspect(dir, RewardEngine.ONNX_RUNTIME, null));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void tokenizerJsonTruncationAndPaddingAreOff() {
    InputEncoder encoder = new InputEncoder(tokenizer, InputFormat.pair(), 4096,
        TruncationSide.RIGHT);
    assertThat(encoder.encode("Why?", "Blue.").ids()).hasSizeLessThan(10);
    InputEncoder.Encoded longOne = encoder.encode("Why?", "blue ".repeat(300));
    assertThat(longOne.ids()).hasSizeGreaterThan(300);
    assertThat(longOne.truncated()).isFalse();
  }

  @Test
  void pairFormatGivesClsPromptSepResponseSepWithTokenTypes() {
    InputEncoder encoder = new InputEncoder(tokenizer, InputFormat.pair(), 64,
        TruncationSide.RIGHT);
    InputEncoder.Encoded e = encoder.encode("why", "blue");
    assertThat(e.ids()).hasSize(5);
    assertThat(e.ids()[0]).isEqualTo(CLS);
    assertThat(e.ids()[2]).isEqualTo(SEP);
    assertThat(e.ids()[4]).isEqualTo(SEP);
    assertThat(e.typeIds()).containsExactly(0, 0, 0, 1, 1);
  }

  @Test
  void rightTruncationKeepsTheStartAndBothEnds() {
    InputEncoder encoder = new InputEncoder(tokenizer, InputFormat.chat(
        ChatTemplate.of("{prompt} {response}")), 16, TruncationSide.RIGHT);
    InputEncoder.Encoded e = encoder.encode("first", "blue ".repeat(100) + "last");
    assertThat(e.ids()).hasSize(16);
    assertThat(e.truncated()).isTrue();
    assertThat(e.ids()[0]).isEqualTo(CLS);
    assertThat(e.ids()[15]).isEqualTo(SEP);
    assertThat(tokenizer.decode(e.ids(), true)).startsWith("first blue").doesNotContain("last");
  }

  @Test
  void leftTruncationKeepsTheEndAndBothEnds() {
    InputEncoder encoder = new InputEncoder(tokenizer, InputFormat.chat(
        ChatTemplate.of("{prompt} {response}")), 16, TruncationSide.LEFT);
    InputEncoder.Encoded e = encoder.encode("first", "blue ".repeat(100) + "last");
    assertThat(e.ids()).hasSize(16);
    assertThat(e.ids()[0]).isEqualTo(CLS);
    assertThat(e.ids()[15]).isEqualTo(SEP);
    assertThat(tokenizer.decode(e.ids(), true)).endsWith("blue last").doesNotContain("first");
  }

  @Test
  void templateBosIsNotDoubled() {
    InputEncoder encoder = new InputEncoder(tokenizer, InputFormat.chat(
        ChatTemplate.of("[CLS]{prompt} {response}")), 64, TruncationSide.RIGHT);
    long[] ids = encoder.encode("why", "blue").ids();
    assertThat(ids[0]).isEqualTo(CLS);
    assertThat(ids[1]).isNotEqualTo(CLS);
  }
}
