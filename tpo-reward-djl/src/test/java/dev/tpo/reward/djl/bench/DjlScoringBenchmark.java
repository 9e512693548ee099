package dev.tpo.reward.djl.bench;

import dev.tpo.reward.djl.DjlRewardScorer;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU scoring throughput of {@link DjlRewardScorer} on ONNX Runtime: one TPO round's
 * {@value #CANDIDATES} candidates scored in batches (of 4 and of 16) against one by one, as the
 * reference does. Scores are reported per candidate ({@code ops/s} = candidates per second).
 *
 * <p>Two generated models (see {@link TinyRewardModel}), both with the real MiniLM tokenizer and
 * 512 positions: {@code tiny} (hidden size 16, no layers) shows the fixed cost per call
 * (tokenizing, JNI, padding); {@code dense} (hidden size 256, 4 dense layers per token) adds real
 * per-token compute. Candidates are 40 to 300 words long, like policy answers.
 *
 * <p>Run (about 2 minutes):
 *
 * <pre>
 * mvn -B -q -pl tpo-reward-djl -am test-compile -Pbench
 * </pre>
 *
 * <p>Compiled with the tests, never run by them. Not thread-safe: JMH drives it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DjlScoringBenchmark {
  static final int CANDIDATES = 16;
  private static final String PROMPT =
      "Explain why the sky is blue, and why sunsets are red, to a curious ten-year-old.";
  private static final String[] WORDS = {"light", "scatters", "blue", "air", "molecules",
      "sunset", "red", "wavelength", "shorter", "longer", "the", "and", "because", "sky",
      "atmosphere", "eyes", "sun", "travels", "further", "through", "more", "less", "colour"};

  /** Which generated model to score with. */
  @Param({"tiny", "dense"})
  public String model;

  /**
   * ONNX Runtime's intra-op threads; {@code 0} keeps the engine's default (one per core). One
   * thread by default, so that on a shared machine the comparison measures batching rather than
   * waits for a second busy core.
   */
  @Param({"1"})
  public int intraOpThreads;

  private Path dir;
  private DjlRewardScorer oneByOne;
  private DjlRewardScorer batch4;
  private DjlRewardScorer batch16;
  private List<String> candidates;

  /**
   * Writes the model and loads three scorers that differ only in batch size.
   *
   * @throws IOException when the temporary directory cannot be made
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tpo-djl-bench");
    TinyRewardModel.Spec spec = model.equals("dense")
        ? new TinyRewardModel.Spec(true, 256, 4, 512)
        : new TinyRewardModel.Spec(true, 16, 0, 512);
    TinyRewardModel.write(dir, spec);
    Map<String, String> options = intraOpThreads > 0
        ? Map.of("intraOpNumThreads", Integer.toString(intraOpThreads))
        : Map.of();
    oneByOne = scorer(1, options);
    batch4 = scorer(4, options);
    batch16 = scorer(16, options);
    Random random = new Random(42);
    candidates = new ArrayList<>();
    for (int i = 0; i < CANDIDATES; i++) {
      int words = 40 + random.nextInt(261);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        sb.append(WORDS[random.nextInt(WORDS.length)]).append(w % 12 == 11 ? ". " : " ");
      }
      candidates.add(sb.toString().trim());
    }
  }

  private DjlRewardScorer scorer(int batchSize, Map<String, String> options) {
    return DjlRewardScorer.builder().modelDirectory(dir).batchSize(batchSize).predictors(1)
        .engineOptions(options).build();
  }

  /**
   * Closes the scorers and deletes the model.
   *
   * @throws IOException when the directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    oneByOne.close();
    batch4.close();
    batch16.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.delete(p);
      }
    }
  }

  /**
   * The reference's way: one model call per candidate.
   *
   * @return the scores, so JMH keeps the work
   */
  @Benchmark
  @OperationsPerInvocation(CANDIDATES)
  public List<Double> oneByOne() {
    List<Double> scores = new ArrayList<>(CANDIDATES);
    for (String c : candidates) {
      scores.addAll(oneByOne.score(PROMPT, List.of(c)));
    }
    return scores;
  }

  /**
   * One call, batches of 4 (padded with an attention mask).
   *
   * @return the scores
   */
  @Benchmark
  @OperationsPerInvocation(CANDIDATES)
  public List<Double> batchOf4() {
    return batch4.score(PROMPT, candidates);
  }

  /**
   * One call, one batch of all 16 candidates.
   *
   * @return the scores
   */
  @Benchmark
  @OperationsPerInvocation(CANDIDATES)
  public List<Double> batchOf16() {
    return batch16.score(PROMPT, candidates);
  }
}
