/**
 * Micrometer for TPO: {@link dev.tpo.micrometer.MicrometerTpoListener} turns the events of TPO
 * runs into Micrometer observations (one per run, one per phase inside it: through Micrometer's
 * OpenTelemetry bridge a run becomes a trace), per-phase timers, token counters by phase and
 * model, failure counters by exception type and a gauge of the runs in flight.
 */
package dev.tpo.micrometer;
