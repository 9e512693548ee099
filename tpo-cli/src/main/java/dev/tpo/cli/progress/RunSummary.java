package dev.tpo.cli.progress;

import dev.tpo.cli.store.StoredResult;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The summary printed at the end of a run.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param total prompts in the data file
 * @param skipped prompts already done before this run
 * @param done prompts finished by this run
 * @param failed prompts that failed in this run
 * @param notRun prompts left undone (the run was interrupted)
 * @param meanInitialBest mean of round 0's best score over every prompt with a result
 * @param meanFinal mean final score over the same prompts
 * @param scored how many prompts the means cover
 * @param promptTokens prompt tokens spent by this run
 * @param completionTokens completion tokens spent by this run
 * @param requests requests sent by this run, as {@link ProgressReporter#onPhaseCompleted} and
 *     {@link ProgressReporter#onPhaseFailed} count them (prompts that failed, and requests that
 *     failed, included)
 * @param retries prompt retries this run made
 * @param wall wall time of this run
 */
public record RunSummary(
    int total,
    int skipped,
    int done,
    int failed,
    int notRun,
    OptionalDouble meanInitialBest,
    OptionalDouble meanFinal,
    int scored,
    long promptTokens,
    long completionTokens,
    long requests,
    long retries,
    Duration wall) {

  /**
   * Summarizes a run.
   *
   * @param total prompts in the data file
   * @param skipped prompts already done before this run
   * @param failed prompts that failed in this run
   * @param notRun prompts left undone
   * @param everyResult the successful results of every prompt of the data file (this run and earlier)
   * @param thisRun the results written by this run (successes and failures)
   * @param counts this run's requests and tokens (the progress line's counters)
   * @param wall wall time of this run
   * @return the summary
   */
  public static RunSummary of(int total, int skipped, int failed, int notRun,
      Collection<StoredResult> everyResult, Collection<StoredResult> thisRun,
      ProgressReporter counts, Duration wall) {
    OptionalDouble initial = everyResult.stream()
        .filter(r -> !r.failed() && r.initialBestScore().isPresent())
        .mapToDouble(r -> r.initialBestScore().getAsDouble()).average();
    OptionalDouble fin = everyResult.stream()
        .filter(r -> !r.failed() && r.score().isPresent() && r.initialBestScore().isPresent())
        .mapToDouble(r -> r.score().getAsDouble()).average();
    int scored = (int) everyResult.stream()
        .filter(r -> !r.failed() && r.score().isPresent() && r.initialBestScore().isPresent())
        .count();
    int done = (int) thisRun.stream().filter(r -> !r.failed()).count();
    return new RunSummary(total, skipped, done, failed, notRun, initial, fin, scored,
        counts == null ? 0 : counts.promptTokens(),
        counts == null ? 0 : counts.completionTokens(),
        counts == null ? 0 : counts.requests(),
        counts == null ? 0 : counts.retries(),
        wall);
  }

  /**
   * The summary as printed, several lines.
   *
   * @return the text
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "tpo run: %d prompts: %d done now, %d already done, %d failed%s, in %s%n",
        total, done, skipped, failed, notRun > 0 ? ", " + notRun + " not run" : "",
        ProgressReporter.formatSeconds(wall.toMillis() / 1000.0)));
    if (meanInitialBest.isPresent() && meanFinal.isPresent()) {
      double a = meanInitialBest.getAsDouble();
      double b = meanFinal.getAsDouble();
      sb.append(String.format(Locale.ROOT,
          "  mean score over %d prompts: round 0 best %.4f -> final %.4f (%+.4f)%n",
          scored, a, b, b - a));
    }
    sb.append(String.format(Locale.ROOT,
        "  this run: %d prompt + %d completion tokens, %d requests (every prompt, failed ones"
            + " included)%s%n",
        promptTokens, completionTokens, requests,
        retries > 0 ? ", " + retries + " prompt retries" : ""));
    return sb.toString();
  }
}
