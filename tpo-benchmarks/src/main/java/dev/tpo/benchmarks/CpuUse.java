package dev.tpo.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time spent by this JVM (TPO, the client) and by the simulator's JVM over a stretch of wall
 * time, against what the machine's cores could give: above about 70% the measure is bound by the
 * machine's CPU, not by the library's scheduling.
 *
 * @param clientNanos CPU time of this JVM
 * @param serverNanos CPU time of the simulator's JVM
 * @param wallNanos the wall time
 */
record CpuUse(long clientNanos, long serverNanos, long wallNanos) {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** A starting point. */
  record Mark(long client, long server) {
    CpuUse since(SimulatorProcess sim, long wallNanos) {
      return new CpuUse(OS.getProcessCpuTime() - client, serverCpu(sim) - server, wallNanos);
    }
  }

  static Mark mark(SimulatorProcess sim) {
    return new Mark(OS.getProcessCpuTime(), serverCpu(sim));
  }

  private static long serverCpu(SimulatorProcess sim) {
    return sim.stats().path("processCpuNanos").asLong();
  }

  /** @return the share of the machine's CPU capacity used, 0 to 1 */
  double utilisation() {
    return (clientNanos + serverNanos) / (double) (wallNanos * OS.getAvailableProcessors());
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "CPU: client %.1f s + simulator %.1f s = %.0f%% of %d cores over the wall time",
        clientNanos / 1e9, serverNanos / 1e9, 100 * utilisation(), OS.getAvailableProcessors());
  }
}
