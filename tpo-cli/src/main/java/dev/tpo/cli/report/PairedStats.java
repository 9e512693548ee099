package dev.tpo.cli.report;

import java.util.SplittableRandom;

/**
 * How run B did against run A over the prompts both answered: wins, ties and losses of B by final
 * reward score, the two-sided exact sign test on them (ties dropped), and a percentile bootstrap
 * interval of the mean score difference B − A.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param paired prompts with a score in both runs
 * @param wins prompts where B scored higher than A
 * @param ties prompts where they scored the same (within {@link #TIE})
 * @param losses prompts where B scored lower
 * @param signTestP the two-sided exact sign-test p-value of wins against losses (1 when there is
 *     neither)
 * @param meanDiff the mean of B − A
 * @param ciLow the 2.5th percentile of the bootstrapped mean difference
 * @param ciHigh the 97.5th percentile of the bootstrapped mean difference
 * @param resamples how many bootstrap resamples were drawn
 */
record PairedStats(int paired, int wins, int ties, int losses, double signTestP,
    double meanDiff, double ciLow, double ciHigh, int resamples) {

  /** Two scores closer than this are a tie. */
  static final double TIE = 1e-9;
  /** Bootstrap resamples drawn. */
  static final int RESAMPLES = 2000;
  /** The bootstrap's fixed seed, so a report is the same every time it is written. */
  static final long SEED = 0x7B0_2501_12895L;

  /**
   * Compares paired scores.
   *
   * @param a run A's score of each paired prompt
   * @param b run B's score of the same prompts, in the same order
   * @return the comparison; with no pairs, zero counts and NaN for the means
   */
  static PairedStats of(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired scores differ in length: " + a.length + " and "
          + b.length);
    }
    int n = a.length;
    double[] d = new double[n];
    int wins = 0;
    int ties = 0;
    int losses = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      d[i] = b[i] - a[i];
      sum += d[i];
      if (Math.abs(d[i]) <= TIE) {
        ties++;
      } else if (d[i] > 0) {
        wins++;
      } else {
        losses++;
      }
    }
    if (n == 0) {
      return new PairedStats(0, 0, 0, 0, 1, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] means = new double[RESAMPLES];
    SplittableRandom random = new SplittableRandom(SEED);
    for (int r = 0; r < RESAMPLES; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += d[random.nextInt(n)];
      }
      means[r] = s / n;
    }
    java.util.Arrays.sort(means);
    return new PairedStats(n, wins, ties, losses, signTestP(wins, losses), sum / n,
        Distribution.quantile(means, 0.025), Distribution.quantile(means, 0.975), RESAMPLES);
  }

  /**
   * The two-sided exact sign test: the probability, under a fair coin, of a split of {@code
   * wins + losses} at least as uneven as the one seen. Computed in log space, so it holds for
   * tens of thousands of prompts.
   *
   * @param wins prompts won
   * @param losses prompts lost
   * @return the p-value, in [0, 1]
   */
  static double signTestP(int wins, int losses) {
    int n = wins + losses;
    if (n == 0) {
      return 1;
    }
    int k = Math.min(wins, losses);
    double ln2n = n * Math.log(2);
    double logC = 0;
    double tail = 0;
    for (int i = 0; i <= k; i++) {
      if (i > 0) {
        logC += Math.log(n - i + 1) - Math.log(i);
      }
      tail += Math.exp(logC - ln2n);
    }
    return Math.min(1, 2 * tail);
  }
}
