package dev.tpo.spark;

import dev.tpo.TpoResult;
import dev.tpo.core.event.Phase;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * A job's counters as Spark accumulators, visible in the Spark UI under {@code tpo.*}: prompts
 * done and failed, tokens by phase, model and scoring requests. Spark applies a task's updates
 * once, when the task succeeds, so a retried task does not count twice.
 *
 * <p>Register once per job on the driver with {@link #register(SparkContext)}; read them there
 * after the job. Thread-safe (accumulators are).
 */
public final class TpoCounters implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Serialized field: done (see its accessor or setter). */
  private final LongAccumulator done;
  /** Serialized field: failed (see its accessor or setter). */
  private final LongAccumulator failed;
  /** Serialized field: requests (see its accessor or setter). */
  private final LongAccumulator requests;
  /** Serialized field: tokens (see its accessor or setter). */
  private final EnumMap<Phase, LongAccumulator> tokens = new EnumMap<>(Phase.class);

  private TpoCounters(SparkContext sc) {
    this.done = sc.longAccumulator("tpo.prompts.done");
    this.failed = sc.longAccumulator("tpo.prompts.failed");
    this.requests = sc.longAccumulator("tpo.requests");
    for (Phase p : Phase.values()) {
      tokens.put(p, sc.longAccumulator("tpo.tokens." + p.name().toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * Registers a fresh set of counters.
   *
   * @param sc the driver's context
   * @return the counters, all zero
   */
  public static TpoCounters register(SparkContext sc) {
    return new TpoCounters(sc);
  }

  synchronized void succeeded(TpoResult r) {
    done.add(1);
    requests.add(r.usage().requests());
    for (Phase p : Phase.values()) {
      tokens.get(p).add(r.phase(p).usage().totalTokens());
    }
  }

  synchronized void failed() {
    failed.add(1);
  }

  /** @return prompts that ended with a result */
  public long promptsDone() {
    return done.value();
  }

  /** @return prompts whose run failed (their row holds the error) */
  public long promptsFailed() {
    return failed.value();
  }

  /** @return model and scoring requests of the runs that ended with a result */
  public long requests() {
    return requests.value();
  }

  /** @return tokens per phase of the runs that ended with a result */
  public Map<Phase, Long> tokensByPhase() {
    Map<Phase, Long> out = new EnumMap<>(Phase.class);
    tokens.forEach((p, a) -> out.put(p, a.value()));
    return out;
  }

  /** @return tokens over all phases */
  public long totalTokens() {
    return tokens.values().stream().mapToLong(LongAccumulator::value).sum();
  }
}
