package dev.tpo.cli.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * The five-number summary (minimum, quartiles, maximum) and mean of a set of values, as the box
 * plots of the report draw them. Quartiles are interpolated between order statistics (the R-7 /
 * Excel {@code PERCENTILE.INC} rule).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param n how many values
 * @param min the smallest
 * @param q1 the first quartile
 * @param median the median
 * @param q3 the third quartile
 * @param max the largest
 * @param mean the mean
 */
record Distribution(int n, double min, double q1, double median, double q3, double max,
    double mean) {

  /**
   * Summarizes values.
   *
   * @param values the values (not changed); at least one
   * @return the summary
   */
  static Distribution of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a distribution needs at least one value");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return new Distribution(v.length, v[0], quantile(v, 0.25), quantile(v, 0.5),
        quantile(v, 0.75), v[v.length - 1], sum / v.length);
  }

  /** The p-quantile of sorted values, interpolated linearly between order statistics. */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * Writes the summary into a JSON object as {@code n, min, q1, med, q3, max, mean}.
   *
   * @param o the object to fill
   * @return {@code o}
   */
  ObjectNode into(ObjectNode o) {
    return o.put("n", n).put("min", min).put("q1", q1).put("med", median).put("q3", q3)
        .put("max", max).put("mean", mean);
  }
}
