package dev.tpo.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link RewardScorer} implementation must pass. Extend it in the
 * implementation's tests and return a ready scorer from {@link #createScorer()}.
 *
 * <p>Checks: one finite score per response, in input order; an empty batch gives no scores;
 * deterministic; batch equals one by one (within {@link #tolerance()}); empty and non-ASCII
 * responses score; concurrent calls from several threads agree with sequential ones; {@link
 * RewardScorer#scoreAll} reports a usage, and its scores are those of the conveniences.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class RewardScorerContractTest {
  /** The prompt used by the contract's checks. */
  protected static final String PROMPT = "Explain why the sky is blue in two sentences.";

  /** Responses of different lengths and quality. */
  protected static final List<String> RESPONSES = List.of(
      "Sunlight scatters off air molecules; blue light scatters most (Rayleigh scattering).",
      "Because it is.",
      "Blue light has a shorter wavelength, so the atmosphere scatters it more than red light,"
          + " and we see that scattered light coming from every direction of the sky.",
      "The sky is green.");

  private RewardScorer scorer;

  /**
   * Creates the scorer under test; called before each check.
   *
   * @return a ready scorer
   * @throws Exception when it cannot be created
   */
  protected abstract RewardScorer createScorer() throws Exception;

  /**
   * Releases the scorer after each check; override to close it.
   *
   * @param scorer the scorer
   * @throws Exception when closing fails
   */
  protected void closeScorer(RewardScorer scorer) throws Exception {
    if (scorer instanceof AutoCloseable) {
      ((AutoCloseable) scorer).close();
    }
  }

  /**
   * Largest difference allowed between scores of the same pair computed differently.
   *
   * @return the tolerance
   */
  protected double tolerance() {
    return 1e-4;
  }

  @BeforeEach
  void createScorerUnderTest() throws Exception {
    scorer = createScorer();
  }

  @AfterEach
  void closeScorerUnderTest() throws Exception {
    if (scorer != null) {
      closeScorer(scorer);
    }
  }

  /** @return the scorer of the current check */
  protected RewardScorer scorer() {
    return scorer;
  }

  @Test
  void returnsOneFiniteScorePerResponse() {
    List<Double> scores = scorer.score(PROMPT, RESPONSES);
    assertThat(scores).hasSize(RESPONSES.size());
    assertThat(scores).allSatisfy(s -> assertThat(s).isFinite());
  }

  @Test
  void emptyBatchGivesNoScores() {
    assertThat(RewardScorer.checked(scorer).score(PROMPT, List.of())).isEmpty();
  }

  @Test
  void isDeterministic() {
    List<Double> first = scorer.score(PROMPT, RESPONSES);
    List<Double> second = scorer.score(PROMPT, RESPONSES);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).as("score #%d", i).isCloseTo(first.get(i), within(tolerance()));
    }
  }

  @Test
  void batchEqualsOneByOneInInputOrder() {
    List<Double> batch = scorer.score(PROMPT, RESPONSES);
    for (int i = 0; i < RESPONSES.size(); i++) {
      double single = scorer.score(PROMPT, RESPONSES.get(i));
      assertThat(batch.get(i)).as("score #%d", i).isCloseTo(single, within(tolerance()));
    }
    List<String> reversed = new ArrayList<>(RESPONSES);
    java.util.Collections.reverse(reversed);
    List<Double> reversedScores = scorer.score(PROMPT, reversed);
    for (int i = 0; i < RESPONSES.size(); i++) {
      assertThat(reversedScores.get(RESPONSES.size() - 1 - i))
          .as("score #%d after reversing the batch", i)
          .isCloseTo(batch.get(i), within(tolerance()));
    }
  }

  @Test
  void scoresEmptyAndNonAsciiResponses() {
    List<Double> scores = RewardScorer.checked(scorer)
        .score(PROMPT, List.of("", "Le ciel est bleu à cause de la diffusion. 空は青い。 🌍"));
    assertThat(scores).hasSize(2).allSatisfy(s -> assertThat(s).isFinite());
  }

  @Test
  void scoreAllReportsAUsageAndTheSameScores() {
    ScoredBatch batch = scorer.scoreAll(PROMPT, RESPONSES);
    assertThat(batch).isNotNull();
    assertThat(batch.usage()).isNotNull();
    assertThat(batch.usage().totalTokens()).isGreaterThanOrEqualTo(0);
    List<Double> scores = scorer.score(PROMPT, RESPONSES);
    for (int i = 0; i < scores.size(); i++) {
      assertThat(batch.scores().get(i)).isCloseTo(scores.get(i), within(tolerance()));
    }
  }

  @Test
  void concurrentCallsAgreeWithSequentialOnes() throws Exception {
    List<Double> expected = scorer.score(PROMPT, RESPONSES);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Double>>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> scorer.score(PROMPT, RESPONSES)));
      }
      for (Future<List<Double>> f : futures) {
        List<Double> got = f.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < expected.size(); i++) {
          assertThat(got.get(i)).isCloseTo(expected.get(i), within(tolerance()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
