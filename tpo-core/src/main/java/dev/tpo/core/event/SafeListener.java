package dev.tpo.core.event;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Swallows and logs what a listener throws. Thread-safe if the delegate is. */
final class SafeListener implements TpoListener {
  private final TpoListener delegate;

  /** The logger, asked for only when a listener throws: SLF4J is not started before. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(TpoListener.class);
  }

  SafeListener(TpoListener delegate) {
    this.delegate = delegate;
  }

  private <E> void call(String what, E event, Consumer<E> method) {
    try {
      method.accept(event);
    } catch (RuntimeException e) {
      Log.LOG.warn("listener {} threw from {}; the event is ignored: {}",
          delegate.getClass().getName(), what, e.toString());
    }
  }

  @Override
  public void onRunStarted(RunStarted e) {
    call("onRunStarted", e, delegate::onRunStarted);
  }

  @Override
  public void onPhaseStarted(PhaseStarted e) {
    call("onPhaseStarted", e, delegate::onPhaseStarted);
  }

  @Override
  public void onPhaseCompleted(PhaseCompleted e) {
    call("onPhaseCompleted", e, delegate::onPhaseCompleted);
  }

  @Override
  public void onPhaseFailed(PhaseFailed e) {
    call("onPhaseFailed", e, delegate::onPhaseFailed);
  }

  @Override
  public void onCandidatesScored(CandidatesScored e) {
    call("onCandidatesScored", e, delegate::onCandidatesScored);
  }

  @Override
  public void onRoundStarted(RoundStarted e) {
    call("onRoundStarted", e, delegate::onRoundStarted);
  }

  @Override
  public void onLossComputed(LossComputed e) {
    call("onLossComputed", e, delegate::onLossComputed);
  }

  @Override
  public void onGradientComputed(GradientComputed e) {
    call("onGradientComputed", e, delegate::onGradientComputed);
  }

  @Override
  public void onCandidatesProposed(CandidatesProposed e) {
    call("onCandidatesProposed", e, delegate::onCandidatesProposed);
  }

  @Override
  public void onWarning(RunWarning e) {
    call("onWarning", e, delegate::onWarning);
  }

  @Override
  public void onRunCompleted(RunCompleted e) {
    call("onRunCompleted", e, delegate::onRunCompleted);
  }

  @Override
  public void onRunFailed(RunFailed e) {
    call("onRunFailed", e, delegate::onRunFailed);
  }
}
