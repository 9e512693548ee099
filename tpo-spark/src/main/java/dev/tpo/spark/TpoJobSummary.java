package dev.tpo.spark;

import dev.tpo.core.event.Phase;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@link TpoSpark#write} did, from the job's accumulators.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param prompts distinct prompt ids in the input
 * @param skipped ids skipped because the output already held them (resume)
 * @param done prompts that ended with a result in this job
 * @param failed prompts whose run failed in this job (their rows hold the error)
 * @param requests model and scoring requests of this job's successful runs
 * @param tokensByPhase tokens of this job's successful runs, by phase
 * @param elapsed the job's wall time
 */
public record TpoJobSummary(long prompts, long skipped, long done, long failed, long requests,
    Map<Phase, Long> tokensByPhase, Duration elapsed) {

  /**
   * Copies the map.
   *
   * @param prompts distinct prompt ids in the input
   * @param skipped ids skipped (resume)
   * @param done prompts done
   * @param failed prompts failed
   * @param requests requests
   * @param tokensByPhase tokens by phase
   * @param elapsed wall time
   */
  public TpoJobSummary {
    tokensByPhase = Map.copyOf(tokensByPhase);
  }

  /** @return tokens over all phases */
  public long totalTokens() {
    return tokensByPhase.values().stream().mapToLong(Long::longValue).sum();
  }

  /** @return a few lines for logs and the console */
  public String render() {
    StringBuilder tokens = new StringBuilder();
    for (Phase p : Phase.values()) {
      tokens.append(tokens.length() == 0 ? "" : ", ").append(p.name().toLowerCase(Locale.ROOT))
          .append(' ').append(tokensByPhase.getOrDefault(p, 0L));
    }
    double seconds = elapsed.toMillis() / 1000.0;
    return String.format(Locale.ROOT, "TPO on Spark: %d prompts, %d already done (skipped),"
            + " %d done now, %d failed, in %.1f s (%.2f prompts/s)%n  requests %d; tokens %d (%s)",
        prompts, skipped, done, failed, seconds, seconds > 0 ? (done + failed) / seconds : 0.0,
        requests, totalTokens(), tokens);
  }
}
