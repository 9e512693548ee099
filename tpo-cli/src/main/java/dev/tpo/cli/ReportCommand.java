package dev.tpo.cli;

import dev.tpo.cli.report.ReportGenerator;
import dev.tpo.core.error.ConfigurationException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tpo report}: one self-contained HTML file from a results file and, optionally, the trace
 * directory of the run; or, given several results files, the comparison of those runs.
 *
 * <p>Not thread-safe: one instance per invocation.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Write one self-contained HTML report (no network needed to view it).",
        "One --results: the run's settings, the spread of every candidate's score per round, time"
            + " and tokens per phase, and each prompt's rounds (chosen and rejected answers with"
            + " scores, critiques and gradients with --trace-dir) and final answer.",
        "Several --results (for example TPO and --mode bon over the same prompts): prompts paired"
            + " by id, wins/ties/losses of each run against the first with a sign test and a"
            + " bootstrap interval, mean reward per round of every run, tokens and time per prompt,"
            + " and the prompts with the largest differences, both answers side by side."})
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--results", required = true, paramLabel = "FILE",
      description = "The JSONL results file of tpo run (its --out). Give it more than once to"
          + " compare runs; each is compared with the first.")
  List<Path> results = new ArrayList<>();

  @Option(names = "--label", paramLabel = "TEXT",
      description = "The name shown for a run, one per --results in the same order. Default: made"
          + " from the run's settings, for example 'tpo D2 N5' or 'bon N30'.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--trace-dir", paramLabel = "DIR",
      description = "The run's --trace-dir, for the critiques and gradients of each round (one"
          + " --results only).")
  Path traceDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
      description = "The HTML file to write. Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(names = "--title", paramLabel = "TEXT", defaultValue = "TPO report",
      description = "Page title. Default: ${DEFAULT-VALUE}.")
  String title;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (traceDir != null && !Files.isDirectory(traceDir)) {
      err.println("tpo report: --trace-dir " + traceDir
          + " is not a directory; pass the --trace-dir of the run, or leave it out");
      err.flush();
      return ExitCodes.USAGE;
    }
    if (results.size() > 1 && traceDir != null) {
      err.println("tpo report: --trace-dir goes with a single --results; a comparison of "
          + results.size() + " runs does not read traces, so leave --trace-dir out");
      err.flush();
      return ExitCodes.USAGE;
    }
    if (!labels.isEmpty() && labels.size() != results.size()) {
      err.println("tpo report: got " + labels.size() + " --label for " + results.size()
          + " --results; give one --label per --results, in the same order, or none");
      err.flush();
      return ExitCodes.USAGE;
    }
    try {
      if (results.size() > 1) {
        ReportGenerator.ComparisonStats stats =
            ReportGenerator.compare(results, labels, output, title);
        err.println("tpo report: compared " + String.join(" | ", stats.labels()) + ": "
            + stats.paired() + " prompts in every run, " + stats.unpaired()
            + " missing or failed in some run (listed in the report)"
            + (stats.skippedLines() > 0 ? ", " + stats.skippedLines() + " unreadable lines skipped"
                : "")
            + " -> " + output);
        err.flush();
        return ExitCodes.OK;
      }
      ReportGenerator.Stats stats = ReportGenerator.write(results.get(0),
          Optional.ofNullable(traceDir), labels.stream().findFirst(), output, title);
      err.println("tpo report: " + stats.prompts() + " prompts (" + stats.failed() + " failed, "
          + stats.withTrace() + " with traces)"
          + (stats.skippedLines() > 0 ? ", " + stats.skippedLines() + " unreadable lines skipped"
              : "")
          + " -> " + output);
      err.flush();
      return ExitCodes.OK;
    } catch (ConfigurationException e) {
      err.println("tpo report: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    } catch (UncheckedIOException e) {
      err.println("tpo report: " + e.getMessage());
      err.flush();
      return ExitCodes.IO_ERROR;
    }
  }
}
