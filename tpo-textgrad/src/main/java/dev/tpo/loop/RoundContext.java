package dev.tpo.loop;

import dev.tpo.PoolEntry;
import dev.tpo.TpoMode;
import dev.tpo.TpoSettings;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What a {@link Refinement} round needs from its {@link TpoRun}. Not thread-safe: the parts belong
 * to one run.
 *
 * @param config the configuration
 * @param query the user's query
 * @param runId the run's id
 * @param settings the run's settings
 * @param mode the run's mode
 * @param recorder the run's call recorder
 * @param engine the run's engine, its models wrapped by the recorder
 * @param descent the run's update step on that engine
 * @param pool the run's pool
 * @param limits whether a limit was reached
 * @param warn records a warning for a round
 * @param scoreAndAdd scores candidates of a round and adds them to the pool
 */
record RoundContext(
    RunConfig config,
    String query,
    String runId,
    TpoSettings settings,
    TpoMode mode,
    CallRecorder recorder,
    TextGradEngine engine,
    TextualGradientDescent descent,
    Pool pool,
    Supplier<Optional<TpoRun.Limit>> limits,
    BiConsumer<Integer, String> warn,
    BiFunction<Integer, List<TpoRun.Scored>, List<PoolEntry>> scoreAndAdd) {}
