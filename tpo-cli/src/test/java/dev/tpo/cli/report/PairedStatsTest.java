package dev.tpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedStatsTest {
  @Test
  void signTestMatchesExactBinomials() {
    // 9 wins, 1 loss: 2 * (C(10,0) + C(10,1)) / 2^10 = 22 / 1024.
    assertThat(PairedStats.signTestP(9, 1)).isCloseTo(22.0 / 1024, within(1e-12));
    assertThat(PairedStats.signTestP(1, 9)).isCloseTo(22.0 / 1024, within(1e-12));
    assertThat(PairedStats.signTestP(5, 5)).isEqualTo(1.0);
    assertThat(PairedStats.signTestP(0, 0)).isEqualTo(1.0);
    assertThat(PairedStats.signTestP(6, 0)).isCloseTo(2.0 / 64, within(1e-12));
    for (int[] wl : new int[][] {{30, 15}, {12, 3}, {40, 41}, {0, 17}}) {
      assertThat(PairedStats.signTestP(wl[0], wl[1])).as("%d/%d", wl[0], wl[1])
          .isCloseTo(ReportRenderTest.exactSignTest(wl[0], wl[1]), within(1e-9));
    }
    // Large n stays finite: 5,100 wins against 4,900 losses is p = 0.0469 (normal approximation
    // with continuity correction: z = 199/50 = 1.99 -> 0.0466).
    assertThat(PairedStats.signTestP(5100, 4900)).isCloseTo(0.0466, within(0.001));
  }

  @Test
  void countsWinsTiesLossesAndBootstrapsTheMeanDifference() {
    double[] a = {1, 2, 3, 4, 5, 6, 7, 8};
    double[] b = {2, 2, 5, 3, 6, 6, 9, 9};
    PairedStats s = PairedStats.of(a, b);
    assertThat(s.paired()).isEqualTo(8);
    assertThat(s.wins()).isEqualTo(5);
    assertThat(s.ties()).isEqualTo(2);
    assertThat(s.losses()).isEqualTo(1);
    assertThat(s.meanDiff()).isEqualTo(0.75);
    assertThat(s.ciLow()).isLessThan(s.meanDiff()).isGreaterThanOrEqualTo(-1);
    assertThat(s.ciHigh()).isGreaterThan(s.meanDiff()).isLessThanOrEqualTo(2);
    assertThat(PairedStats.of(a, b)).isEqualTo(s); // fixed seed: the same report every time
    PairedStats none = PairedStats.of(new double[0], new double[0]);
    assertThat(none.paired()).isZero();
    assertThat(none.signTestP()).isEqualTo(1.0);
    assertThat(none.meanDiff()).isNaN();
  }

  @Test
  void quartilesInterpolateBetweenOrderStatistics() {
    Distribution d = Distribution.of(new double[] {5, 1, 4, 2, 3});
    assertThat(d).isEqualTo(new Distribution(5, 1, 2, 3, 4, 5, 3));
    Distribution e = Distribution.of(new double[] {4, 3, 2, 1});
    assertThat(e.q1()).isEqualTo(1.75);
    assertThat(e.median()).isEqualTo(2.5);
    assertThat(e.q3()).isEqualTo(3.25);
    assertThat(Distribution.of(new double[] {7}).q3()).isEqualTo(7);
  }
}
