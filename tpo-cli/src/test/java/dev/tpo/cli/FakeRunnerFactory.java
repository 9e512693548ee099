package dev.tpo.cli;

import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.run.PromptOutcome;
import dev.tpo.cli.run.RunConfig;
import dev.tpo.cli.run.RunnerFactory;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A factory whose runner scores candidates by a fixed rule, with no network. */
final class FakeRunnerFactory implements RunnerFactory {
  volatile RunConfig config;
  final AtomicInteger runs = new AtomicInteger();
  final Set<String> failFor = ConcurrentHashMap.newKeySet();
  RuntimeException prepareFailure;

  @Override
  public Prepared prepare(RunConfig config, TpoListener listener) {
    this.config = config;
    if (prepareFailure != null) {
      throw prepareFailure;
    }
    return new Prepared(this::run, config.model().orElse("fake-model"), List.of());
  }

  PromptOutcome run(Prompt p) {
    runs.incrementAndGet();
    if (failFor.contains(p.text())) {
      throw new IllegalStateException("scripted failure for " + p.id());
    }
    List<PromptOutcome.Candidate> pool = new ArrayList<>();
    List<PromptOutcome.RoundTrace> rounds = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    int d = config.mode().equals("bon") ? 0 : config.iterations();
    for (int r = 0; r <= d; r++) {
      for (int i = 0; i < config.samples(); i++) {
        double s = r + i * 0.1;
        pool.add(new PromptOutcome.Candidate("answer r" + r + " i" + i + " to " + p.text(), s, r));
        best = Math.max(best, s);
      }
      rounds.add(new PromptOutcome.RoundTrace(r, best,
          r == 0 ? Optional.empty() : Optional.of("chosen of round " + r),
          r == 0 ? Optional.empty() : Optional.of("rejected of round " + r),
          r == 0 ? Optional.empty() : Optional.of("critique of round " + r),
          r == 0 ? Optional.empty() : Optional.of("gradient of round " + r)));
    }
    PromptOutcome.Candidate top = pool.get(pool.size() - 1);
    return new PromptOutcome(top.text(), top.score(), pool, rounds,
        new TokenUsage(100, 50, 1 + 3L * d), Optional.empty());
  }
}
