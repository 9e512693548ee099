package dev.tpo.core.event;

import java.util.List;

/**
 * Receives the events of TPO runs, for progress bars, metrics and logs. Every method has a no-op
 * default; {@link #NONE} ignores everything.
 *
 * <p>Listeners are called from the threads that run the work, possibly concurrently for different
 * runs: implementations must be thread-safe, fast and must not throw. A listener that throws anyway
 * is logged and ignored by the loop (see {@link #safe(TpoListener)}); it never fails a run.
 */
public interface TpoListener {

  /** A listener that ignores every event. */
  TpoListener NONE = new TpoListener() {};

  /**
   * A run began.
   *
   * @param event the event
   */
  default void onRunStarted(RunStarted event) {}

  /**
   * A phase began; its call follows.
   *
   * @param event the event
   */
  default void onPhaseStarted(PhaseStarted event) {}

  /**
   * A model or scoring call finished.
   *
   * @param event the event
   */
  default void onPhaseCompleted(PhaseCompleted event) {}

  /**
   * A model call failed (the request was sent and its answer was a failure). Listeners that count
   * requests or tokens from {@link #onPhaseCompleted} should count these too.
   *
   * @param event the event
   */
  default void onPhaseFailed(PhaseFailed event) {}

  /**
   * A round's candidates were scored.
   *
   * @param event the event
   */
  default void onCandidatesScored(CandidatesScored event) {}

  /**
   * A refinement round began.
   *
   * @param event the event
   */
  default void onRoundStarted(RoundStarted event) {}

  /**
   * A round's textual loss was computed.
   *
   * @param event the event
   */
  default void onLossComputed(LossComputed event) {}

  /**
   * A round's textual gradient was computed.
   *
   * @param event the event
   */
  default void onGradientComputed(GradientComputed event) {}

  /**
   * A round's update step proposed new candidates (before they are scored).
   *
   * @param event the event
   */
  default void onCandidatesProposed(CandidatesProposed event) {}

  /**
   * Something degraded without failing the run.
   *
   * @param event the event
   */
  default void onWarning(RunWarning event) {}

  /**
   * A run finished.
   *
   * @param event the event
   */
  default void onRunCompleted(RunCompleted event) {}

  /**
   * A run failed.
   *
   * @param event the event
   */
  default void onRunFailed(RunFailed event) {}

  /**
   * Calls every listener in order.
   *
   * @param listeners the listeners
   * @return a listener forwarding to all of them
   */
  static TpoListener composite(List<TpoListener> listeners) {
    return new CompositeListener(listeners);
  }

  /**
   * Wraps a listener so that an exception it throws is logged (once per event) and swallowed.
   *
   * @param listener the listener
   * @return a listener that never throws
   */
  static TpoListener safe(TpoListener listener) {
    return listener instanceof SafeListener || listener == NONE ? listener : new SafeListener(listener);
  }
}
