package dev.tpo.reliability.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.TpoCli;
import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real {@code tpo} command line in-process and reads what it wrote. */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What one invocation left. */
  record Result(int exit, String stderr, String stdout) {}

  private Cli() {}

  /**
   * Runs {@code tpo ARGS} with the real runner factory.
   *
   * @param env the environment the command sees
   * @param args the arguments
   * @return exit status and output
   */
  static Result tpo(Map<String, String> env, List<String> args) {
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), env);
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(out, true));
    int code = cl.execute(args.toArray(String[]::new));
    return new Result(code, err.toString(), out.toString());
  }

  /**
   * {@code tpo run} against the simulator with small settings (N=2, D=1), progress off.
   *
   * @param server the simulator
   * @param data the data file
   * @param out the results file
   * @param extra more arguments, later ones winning
   * @return exit status and output
   */
  static Result run(SimulatedOpenAiServer server, Path data, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--data", data.toString(),
        "--base-url", server.openAiBaseUrl(), "--reward",
        "vllm+" + server.baseUrl() + "?model=sim-reward", "--samples", "2", "--iterations", "1",
        "--concurrency", "2", "--out", out.toString(), "--progress", "off", "--timeout", "5"));
    args.addAll(Arrays.asList(extra));
    return tpo(Map.of(), args);
  }

  /**
   * Reads a JSONL results file, failing on any line that is not a JSON object.
   *
   * @param file the file
   * @return its lines, parsed
   */
  static List<JsonNode> lines(Path file) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        out.add(JSON.readTree(l));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
