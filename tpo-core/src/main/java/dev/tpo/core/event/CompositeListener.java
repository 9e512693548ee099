package dev.tpo.core.event;

import java.util.List;

/** Forwards each event to several listeners in order. Thread-safe if they are. */
final class CompositeListener implements TpoListener {
  private final List<TpoListener> listeners;

  CompositeListener(List<TpoListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onRunStarted(RunStarted e) {
    listeners.forEach(l -> l.onRunStarted(e));
  }

  @Override
  public void onPhaseStarted(PhaseStarted e) {
    listeners.forEach(l -> l.onPhaseStarted(e));
  }

  @Override
  public void onPhaseCompleted(PhaseCompleted e) {
    listeners.forEach(l -> l.onPhaseCompleted(e));
  }

  @Override
  public void onPhaseFailed(PhaseFailed e) {
    listeners.forEach(l -> l.onPhaseFailed(e));
  }

  @Override
  public void onCandidatesScored(CandidatesScored e) {
    listeners.forEach(l -> l.onCandidatesScored(e));
  }

  @Override
  public void onRoundStarted(RoundStarted e) {
    listeners.forEach(l -> l.onRoundStarted(e));
  }

  @Override
  public void onLossComputed(LossComputed e) {
    listeners.forEach(l -> l.onLossComputed(e));
  }

  @Override
  public void onGradientComputed(GradientComputed e) {
    listeners.forEach(l -> l.onGradientComputed(e));
  }

  @Override
  public void onCandidatesProposed(CandidatesProposed e) {
    listeners.forEach(l -> l.onCandidatesProposed(e));
  }

  @Override
  public void onWarning(RunWarning e) {
    listeners.forEach(l -> l.onWarning(e));
  }

  @Override
  public void onRunCompleted(RunCompleted e) {
    listeners.forEach(l -> l.onRunCompleted(e));
  }

  @Override
  public void onRunFailed(RunFailed e) {
    listeners.forEach(l -> l.onRunFailed(e));
  }
}
