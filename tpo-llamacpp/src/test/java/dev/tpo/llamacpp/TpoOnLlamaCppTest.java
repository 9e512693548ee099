package dev.tpo.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.Tpo;
import dev.tpo.TpoEnvironment;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.adapter.reward.JudgeRewardScorer;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole TPO run on the in-process model. The tiny model writes no tags and no ratings: the
 * update rounds fail softly; the LLM judge on it is asked and answers but finds no rating, which
 * also fails softly (the lowest score, a warning on the result).
 */
@Timeout(300)
class TpoOnLlamaCppTest {
  @Test
  void aTpoRunOnTheModelEndsWithAResult() {
    try (LlamaCppModel model =
        LlamaCppModel.builder().modelPath(TinyGguf.defaultModel()).contextSize(4096).slots(4).build()) {
      Tpo tpo =
          Tpo.builder()
              .policy(model)
              .scorer(FakeRewardScorer.byLength())
              .samples(3)
              .iterations(2)
              .maxTokens(24)
              .maxContextTokens(4096)
              .seed(3L)
              .build();
      TpoResult r = tpo.optimize("What is the capital of France?");
      assertThat(r.best().text()).isNotEmpty();
      assertThat(r.usage().completionTokens()).isGreaterThan(0);
      assertThat(r.usage().requests()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void theJudgeAsksTheModelAndItsMissingRatingsFailSoftly() {
    try (LlamaCppModel model =
        LlamaCppModel.builder().modelPath(TinyGguf.defaultModel()).contextSize(4096).slots(4).build()) {
      JudgeRewardScorer judge = JudgeRewardScorer.builder().model(model).maxTokens(16).build();
      Tpo tpo =
          Tpo.builder()
              .policy(model)
              .scorer(judge)
              .samples(3)
              .iterations(1)
              .maxTokens(24)
              .maxContextTokens(4096)
              .seed(3L)
              .build();
      TpoResult r = tpo.optimize("What is the capital of France?");
      assertThat(r.best().text()).isNotEmpty();
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
          .contains("judge(llama.cpp:tpo-tiny-test)")
          .contains("found no rating")
          .contains("Last reply: '"));
      assertThat(judge.unratedResponses()).isGreaterThanOrEqualTo(r.pool().size());
    }
  }

  @Test
  void tpoPolicyConfiguresTheDefaultInstanceOnTheInProcessModelWithTheJudgeOnIt() {
    Map<String, String> env = Map.of("TPO_POLICY", "llama:" + TinyGguf.defaultModel(),
        "TPO_BASE_URL", "http://127.0.0.1:1/v1");
    Tpo tpo = TpoEnvironment.create(env::get, k -> null);
    assertThat(tpo.toString()).contains("policy=llama.cpp:tpo-tiny-test")
        .contains("scorer=judge(llama.cpp:tpo-tiny-test)");
    TpoResult r = tpo.optimize(TpoRequest.builder("Name a colour.").samples(2).iterations(0)
        .maxTokens(8).build());
    assertThat(r.pool()).isNotEmpty();
  }
}
