package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code tpo run}, {@code tpo report} and the benchmarks write in a checkout is ignored by
 * git (issue 14: {@code traces/} was not), and the sources are not. Asks git itself ({@code git
 * check-ignore --no-index}, which reads the repository's {@code .gitignore} files without the
 * paths having to exist); skipped where there is no git or no repository (a source archive).
 */
class GitIgnoreTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The files a run leaves in the working directory, named as the command names them. */
  private static final List<String> RUN_ARTEFACTS = List.of(
      "traces/p1.json", // --trace-dir traces, as docs/cli.md uses it
      "traces/p1.json.tmp", // a trace being written
      "tpo-results/prompts-tpo-d2-n5.jsonl", // the default --out
      "tpo-results/prompts-tpo-d2-n5.jsonl.lock", // its lock while a run writes it
      "results.jsonl.lock", // the lock of an --out in the working directory
      "report.html", // tpo report's default -o
      "tpo-report.html");

  @Test
  void runArtefactsAreIgnoredAndSourcesAreNot() throws Exception {
    assumeTrue(Files.exists(ROOT.resolve(".git")), "not a git checkout");
    List<String> notIgnored = new ArrayList<>();
    for (String path : RUN_ARTEFACTS) {
      int status = checkIgnore(path);
      assumeTrue(status >= 0, "git is not available");
      if (status != 0) {
        notIgnored.add(path);
      }
    }
    assertThat(notIgnored).as("run artefacts that git would add").isEmpty();
    assertThat(checkIgnore("tpo-cli/src/main/java/dev/tpo/cli/TpoCli.java"))
        .as("a source file is not ignored").isEqualTo(1);
    assertThat(checkIgnore("docs/cli.md")).as("a doc is not ignored").isEqualTo(1);
  }

  /** 0 ignored, 1 not ignored, -1 when git cannot tell (no git, not a repository). */
  private static int checkIgnore(String path) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("git", "check-ignore", "--no-index", "-q", path)
          .directory(ROOT.toFile()).redirectErrorStream(true).start();
    } catch (IOException noGit) {
      return -1;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int status = p.exitValue();
    if (status > 1) {
      System.err.println("git check-ignore " + path + ": " + out);
      return -1;
    }
    return status;
  }
}
