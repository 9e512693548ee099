package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
  @TempDir Path dir;
  private StringWriter err;

  private int tpo(String... args) {
    err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new FakeRunnerFactory(), Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private static Path sample(String name) throws URISyntaxException {
    return Path.of(ReportCommandTest.class.getResource("report/sample/" + name).toURI());
  }

  @Test
  void twoResultsFilesMakeAComparison() throws Exception {
    Path out = dir.resolve("cmp.html");
    int code = tpo("report", "--results", sample("sample-bon-d0-n15.jsonl").toString(),
        "--results", sample("sample-tpo-d2-n5.jsonl").toString(), "--label", "BoN-15",
        "--label", "TPO D2-N5", "-o", out.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("compared BoN-15 | TPO D2-N5: 5 prompts in every run, 0")
        .contains(out.toString());
    assertThat(Files.readString(out)).contains("\"kind\":\"compare\"");
  }

  @Test
  void oneResultsFileMakesTheRunReport() throws Exception {
    Path out = dir.resolve("run.html");
    int code = tpo("report", "--results", sample("sample-tpo-d2-n5.jsonl").toString(),
        "--trace-dir", sample("traces/p-064f7d3d31803006.json").getParent().toString(),
        "-o", out.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("5 prompts (0 failed, 5 with traces)");
  }

  @Test
  void badCombinationsSayWhatToChange() throws IOException, URISyntaxException {
    String a = sample("sample-bon-d0-n15.jsonl").toString();
    String b = sample("sample-tpo-d2-n5.jsonl").toString();
    assertThat(tpo("report", "--results", a, "--results", b, "--label", "only one", "-o",
        dir.resolve("x.html").toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("got 1 --label for 2 --results");
    assertThat(tpo("report", "--results", a, "--results", b, "--trace-dir", dir.toString(), "-o",
        dir.resolve("x.html").toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--trace-dir goes with a single --results");
    assertThat(tpo("report", "--results", dir.resolve("none.jsonl").toString(), "--results", b,
        "-o", dir.resolve("x.html").toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("no results file").contains("none.jsonl");
  }
}
