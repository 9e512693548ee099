package dev.tpo.benchmarks;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the time one whole TPO run (D2-N5) takes when the model and the scorer answer at once, in
 * process: the loop's own cost per run (prompt rendering, parsing, pool, records, events), with no
 * HTTP at all. Part of measure 3; run by {@link BenchmarkMain}, or alone with {@code java -cp
 * tpo-benchmarks/target/tpo-benchmarks.jar org.openjdk.jmh.Main LoopCpuBenchmark}.
 *
 * <p>Not thread-safe (JMH gives each thread its own state).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopCpuBenchmark {
  private Tpo tpo;
  private List<String> prompts;
  private int next;

  /** Builds the TPO instance and the prompts. */
  @Setup
  public void setUp() {
    tpo = Tpo.builder()
        .policy(new InstantModel())
        .scorer((prompt, responses) -> {
          List<Double> scores = new ArrayList<>(responses.size());
          for (String r : responses) {
            scores.add((double) (r.hashCode() % 1000));
          }
          return ScoredBatch.of(scores);
        })
        .samples(TpoDriver.SAMPLES)
        .iterations(TpoDriver.DEPTH)
        .build();
    prompts = Workloads.prompts(1000);
  }

  /**
   * One whole run.
   *
   * @return the result, so the work is not optimised away
   */
  @Benchmark
  public TpoResult run() {
    next = (next + 1) % prompts.size();
    return tpo.optimize(prompts.get(next));
  }
}
