package dev.tpo.loop;

import dev.tpo.CallRecord;
import dev.tpo.PoolEntry;
import dev.tpo.RoundRecord;
import dev.tpo.RoundStatus;
import dev.tpo.TpoMode;
import dev.tpo.TpoSettings;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.event.CandidatesProposed;
import dev.tpo.core.event.GradientComputed;
import dev.tpo.core.event.LossComputed;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.RoundStarted;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.text.TokenCounter;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.optim.Candidate;
import dev.tpo.textgrad.optim.DroppedChoice;
import dev.tpo.textgrad.optim.Proposal;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One refinement round of a TPO run, on the TextGrad engine: chosen and rejected from the whole
 * pool (both cut to the prompt budget), the response as a {@link Variable} whose value is the
 * chosen text, the loss as an {@link LlmTextLoss} whose instruction carries the query and the
 * rejected response, {@code loss.backward()} for the gradient, and {@code propose(N)} of textual
 * gradient descent for N new candidates, which are scored and added to the pool. The engine and
 * the update step are the run's ({@link #engine}, {@link #descent}), built once per run; only the
 * loss, whose instruction quotes the round's rejected response, is built per round.
 *
 * <p>An update whose every choice is unparsable ends the round as {@link
 * RoundStatus#FAILED_UNPARSABLE} with a warning; the run goes on. A limit reached between two
 * requests ends it as {@link RoundStatus#STOPPED}.
 *
 * <p>Not thread-safe: one instance is one round of one run.
 */
final class Refinement {
  private final RoundContext ctx;
  private final int round;
  private final TpoListener listener;
  private final int firstCall;
  private Integer rejectedIndex;
  private int chosenIndex;
  private String loss;
  private String gradient;

  Refinement(RoundContext ctx, int round) {
    this.ctx = ctx;
    this.round = round;
    this.listener = ctx.config().listener();
    this.firstCall = ctx.recorder().callCount();
  }

  RoundRecord run() {
    Pool pool = ctx.pool();
    PoolEntry chosen = pool.best();
    PoolEntry rejected = pool.worst();
    chosenIndex = chosen.index();
    rejectedIndex = ctx.mode().usesRejected() ? rejected.index() : null;
    listener.onRoundStarted(
        new RoundStarted(ctx.runId(), round, chosen.score(), rejected.score()));

    TokenCounter counter = ctx.config().tokenCounter();
    int budget = ctx.settings().responseTruncationTokens();
    String chosenText = counter.truncate(chosen.text(), budget);
    String rejectedText = rejectedIndex == null ? null : counter.truncate(rejected.text(), budget);
    String instruction =
        ctx.mode().lossInstruction(ctx.config().prompts(), ctx.query(), rejectedText);

    Variable response = Variable.parameter(chosenText, ctx.mode().responseRole());

    ctx.recorder().enter(Phase.LOSS, round);
    Variable lossVar = LlmTextLoss.builder(ctx.engine()).instruction(instruction).build()
        .evaluate(response);
    loss = lossVar.value();
    listener.onLossComputed(new LossComputed(ctx.runId(), round, loss));
    if (ctx.limits().get().isPresent()) {
      return record(RoundStatus.STOPPED, List.of(), List.of(), "stopped after the loss");
    }

    ctx.recorder().enter(Phase.GRADIENT, round);
    lossVar.backward();
    gradient = response.gradients().stream().map(TextualGradient::feedback)
        .collect(Collectors.joining("\n\n"));
    listener.onGradientComputed(new GradientComputed(ctx.runId(), round, gradient));
    if (ctx.limits().get().isPresent()) {
      return record(RoundStatus.STOPPED, List.of(), List.of(), "stopped after the gradient");
    }

    ctx.recorder().enter(Phase.UPDATE, round);
    int n = ctx.settings().samples();
    Proposal proposal;
    try {
      proposal = ctx.descent().optimizer(response).propose(n);
    } catch (MalformedResponseException e) {
      List<String> raw = updateOutputs();
      if (raw.isEmpty()) {
        throw e; // the update request itself failed: not a parsing problem of its choices
      }
      listener.onCandidatesProposed(new CandidatesProposed(ctx.runId(), round, 0, raw.size()));
      String note = "every one of the " + n + " update choices was unparsable; the round added"
          + " no candidate and the best response so far stands";
      ctx.warn().accept(round, note);
      return record(RoundStatus.FAILED_UNPARSABLE, List.of(), raw, note);
    }
    List<String> dropped = proposal.dropped().stream().map(DroppedChoice::rawText).toList();
    listener.onCandidatesProposed(new CandidatesProposed(
        ctx.runId(), round, proposal.candidates().size(), dropped.size()));
    if (!dropped.isEmpty()) {
      ctx.warn().accept(round, dropped.size() + " of " + n + " update choices were unparsable"
          + " and dropped");
    }
    List<TpoRun.Scored> candidates = new ArrayList<>();
    for (Candidate c : proposal.candidates()) {
      candidates.add(new TpoRun.Scored(
          c.value(), !c.complete() || c.finishReason() == FinishReason.LENGTH));
    }
    List<PoolEntry> added = ctx.scoreAndAdd().apply(round, candidates);
    return record(RoundStatus.COMPLETED, added.stream().map(PoolEntry::index).toList(), dropped,
        "");
  }

  /**
   * The engine of one run, built once before its first round: the run's policy and critic
   * wrapped by its recorder (which tags each request with the phase and round it is in when
   * sent), its sampling settings for every request, the Tpo's engine templates and the context
   * budget its settings leave.
   */
  static TextGradEngine engine(RunConfig config, TpoSettings settings, CallRecorder recorder) {
    Sampling sampling = Sampling.builder()
        .temperature(settings.temperature())
        .topP(settings.topP())
        .seed(settings.seed())
        .maxTokens(settings.maxTokens())
        .build();
    return TextGradEngine.builder()
        .forwardModel(recorder.wrap(config.policy()))
        .backwardModel(recorder.wrap(config.critic()))
        .forwardSampling(sampling)
        .backwardSampling(sampling)
        .templates(config.engineTemplates())
        .tokenCounter(config.tokenCounter())
        .contextBudgetTokens(contextBudget(settings))
        .build();
  }

  /**
   * The update step of one run, built once: textual gradient descent on the engine, where the
   * policy (the forward model) writes the new responses under the mode's constraints.
   */
  static TextualGradientDescent descent(TextGradEngine engine, TpoMode mode) {
    return TextualGradientDescent.builder(engine)
        .model(engine.forwardModel())
        .sampling(engine.forwardSampling())
        .constraints(mode.constraints())
        .build();
  }

  /** Tokens kept for the templates and the feedback in gradient and update prompts. */
  static final int PROMPT_ALLOWANCE_TOKENS = 1024;
  /** The least budget for the contexts shown beside the feedback. */
  static final int MIN_CONTEXT_BUDGET_TOKENS = 256;

  /**
   * The budget of the contexts (the loss's system prompt and output) shown in the gradient and
   * update prompts: what the context window leaves after the response ({@code maxTokens}), the
   * response being optimized ({@code responseTruncationTokens}) and an allowance for the
   * templates and the feedback; at least {@value #MIN_CONTEXT_BUDGET_TOKENS}. Longer contexts are
   * shortened by the engine so the update request keeps room for its answers.
   */
  static int contextBudget(TpoSettings s) {
    long left = (long) s.maxContextTokens() - s.maxTokens() - s.responseTruncationTokens()
        - PROMPT_ALLOWANCE_TOKENS;
    return (int) Math.max(MIN_CONTEXT_BUDGET_TOKENS, Math.min(Integer.MAX_VALUE, left));
  }

  /** The choices of the round's update request (the engine's reformat answers are not). */
  private List<String> updateOutputs() {
    for (CallRecord c : ctx.recorder().callsSince(firstCall)) {
      if (c.phase() == Phase.UPDATE) {
        return c.outputs();
      }
    }
    return List.of();
  }

  private RoundRecord record(
      RoundStatus status, List<Integer> added, List<String> dropped, String note) {
    return new RoundRecord(round, status, chosenIndex, rejectedIndex,
        ctx.recorder().callsSince(firstCall), loss, gradient, added, dropped, note);
  }
}
