package dev.tpo.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's arithmetic; the benchmarks themselves never run in the build. */
class HarnessArithmeticTest {

  @Test
  void listScheduleGivesEachRunToTheFirstFreeWorker() {
    // two workers: 5 and 1 start; 1 ends at 1 and takes 1 (ends 2), then takes 4 (ends 6)
    assertThat(Throughput.listSchedule(List.of(5.0, 1.0, 1.0, 4.0), 2)).isEqualTo(6.0);
    assertThat(Throughput.listSchedule(List.of(3.0, 3.0, 3.0), 3)).isEqualTo(3.0);
    assertThat(Throughput.listSchedule(List.of(2.0, 2.0, 2.0, 2.0), 1)).isEqualTo(8.0);
    assertThat(Throughput.listSchedule(List.of(), 4)).isZero();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Workloads.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Workloads.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void promptsAreDistinct() {
    assertThat(Workloads.prompts(300)).hasSize(300).doesNotHaveDuplicates();
  }

  @Test
  void resultsCompareWithTheirTarget() {
    assertThat(new Result("1", "x", 1.04, 1.05, "").met()).isTrue();
    assertThat(new Result("1", "x", 1.06, 1.05, "").met()).isFalse();
    assertThat(new Result("1r", "x", 9.0, Double.NaN, "").met()).isTrue();
    assertThat(new Result("1", "x", 1.06, 1.05, "d").line()).contains("MISSED", "1.060", "d");
  }

  @Test
  void jsonPointerEscapesSlashes() {
    assertThat(CriticalPath.pointer("/v1/chat/completions")).isEqualTo("~1v1~1chat~1completions");
  }
}
