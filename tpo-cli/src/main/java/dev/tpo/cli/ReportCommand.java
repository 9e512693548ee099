package dev.tpo.cli;

import dev.tpo.cli.report.ReportGenerator;
import dev.tpo.core.error.ConfigurationException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tpo report}: one self-contained HTML file from a results file and, optionally, the trace
 * directory of the run.
 *
 * <p>Not thread-safe: one instance per invocation.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Write one self-contained HTML report (no network needed to view it): best score"
        + " per round for the run and each prompt, chosen and rejected responses, critiques and"
        + " gradients of each round, and the final answers.")
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--results", required = true, paramLabel = "FILE",
      description = "The JSONL results file of tpo run (its --out).")
  Path results;

  @Option(names = "--trace-dir", paramLabel = "DIR",
      description = "The run's --trace-dir, for the critiques and gradients of each round.")
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
    try {
      ReportGenerator.Stats stats =
          ReportGenerator.write(results, Optional.ofNullable(traceDir), output, title);
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
