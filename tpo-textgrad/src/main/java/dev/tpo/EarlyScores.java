package dev.tpo;

import dev.tpo.core.error.Futures;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Scoring while sampling, for one round of one run ({@link TpoBuilder#streamScoring}): as a
 * {@link ChoiceListener} on the round's sampling or update request it sends each finished choice's
 * candidate text to the scorer at once, on its own, while the other choices are still being
 * generated; {@link #join} then gathers the scores of the round's candidates, scoring any it has
 * not seen (a text the model changed when it had to send the request again, or a candidate that
 * needed a reformat request), so the result is the plain path's whatever the model did.
 *
 * <p>Each distinct text is scored once. Only the candidates {@link #join} asks for count in the
 * usage and warnings; a text scored early that is not among them is dropped, its failure too.
 *
 * <p>Thread-safe: choices arrive on the model's reading threads while the run's thread joins.
 */
final class EarlyScores implements ChoiceListener {
  private final RewardScorer scorer;
  private final String prompt;
  private final Executor executor;
  private final Clock clock;
  private final Function<ChatChoice, Optional<String>> candidate;
  private final Map<String, CompletableFuture<ScoredBatch>> scoring = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> firstStart = new AtomicReference<>();

  /**
   * Scores for one round.
   *
   * @param scorer the checked scorer
   * @param prompt the user's query
   * @param executor runs the scorer's blocking calls (unbounded: one per candidate in flight)
   * @param clock for the time the scoring took
   * @param candidate the candidate text of a finished choice, empty when it gives none (an update
   *     choice without the value tags)
   */
  EarlyScores(RewardScorer scorer, String prompt, Executor executor, Clock clock,
      Function<ChatChoice, Optional<String>> candidate) {
    this.scorer = scorer;
    this.prompt = prompt;
    this.executor = executor;
    this.clock = clock;
    this.candidate = candidate;
  }

  @Override
  public void onChoice(ChatChoice choice) {
    candidate.apply(choice).ifPresent(this::start);
  }

  private CompletableFuture<ScoredBatch> start(String text) {
    return scoring.computeIfAbsent(text, t -> {
      firstStart.compareAndSet(null, clock.instant());
      return CompletableFuture.supplyAsync(() -> scorer.scoreAll(prompt, List.of(t)), executor);
    });
  }

  /**
   * The scores of the round's candidates, in order, waiting for those still being scored.
   *
   * @param texts the distinct candidate texts
   * @return their scores in order, the usage summed over them (one scorer request each) and
   *     their warnings
   * @throws RuntimeException the first failure in text order, unwrapped, after all have finished
   */
  Joined join(List<String> texts) {
    List<CompletableFuture<ScoredBatch>> futures = new ArrayList<>();
    for (String t : texts) {
      futures.add(start(t));
    }
    List<Double> scores = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    TokenUsage usage = TokenUsage.ZERO;
    RuntimeException failure = null;
    for (CompletableFuture<ScoredBatch> f : futures) {
      try {
        ScoredBatch b = Futures.join(f);
        scores.add(b.scores().get(0));
        usage = usage.plus(b.usage());
        warnings.addAll(b.warnings());
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    Instant first = firstStart.get();
    Duration took = first == null ? Duration.ZERO : Duration.between(first, clock.instant());
    return new Joined(new ScoredBatch(scores, usage, warnings), futures.size(), took);
  }

  /**
   * The gathered scores of a round.
   *
   * @param batch the scores in candidate order, with usage and warnings
   * @param requests how many scorer calls they took
   * @param took from the first candidate sent to the scorer to the last score
   */
  record Joined(ScoredBatch batch, int requests, Duration took) {}
}
