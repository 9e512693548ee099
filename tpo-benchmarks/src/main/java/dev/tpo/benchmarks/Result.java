package dev.tpo.benchmarks;

import java.util.Locale;

/**
 * One measured ratio and its target (lower is better).
 *
 * @param id the measure's number and variant, for example {@code 2b}
 * @param name what was measured
 * @param value the ratio
 * @param target the largest acceptable ratio, or {@code NaN} when informative only
 * @param detail the raw figures behind the ratio
 */
record Result(String id, String name, double value, double target, String detail) {

  /** @return whether the target is met (informative results always are) */
  boolean met() {
    return Double.isNaN(target) || value <= target;
  }

  String line() {
    String goal = Double.isNaN(target) ? "(for comparison)"
        : String.format(Locale.ROOT, "target <= %.2f  %s", target, met() ? "MET" : "MISSED");
    return String.format(Locale.ROOT, "%-4s %-58s %8.3f   %s%n       %s", id, name, value, goal,
        detail);
  }
}
