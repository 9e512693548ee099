package dev.tpo.reliability.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the packaged {@code target/tpo.jar} as a separate process with its output in files. */
final class JarProcess {
  static final Path JAR = Path.of("target", "tpo.jar").toAbsolutePath();

  /** What a finished process left. */
  record Finished(int exit, String stdout, String stderr) {}

  private JarProcess() {}

  /**
   * Starts {@code java -jar tpo.jar ARGS} in a directory.
   *
   * @param dir the working directory, also where {@code NAME.out} and {@code NAME.err} go
   * @param name the name of the output files
   * @param env extra environment variables
   * @param args the arguments
   * @return the process
   */
  static Process start(Path dir, String name, Map<String, String> env, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    pb.environment().remove("TPO_API_KEY");
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code java -jar tpo.jar ARGS} to the end (at most two minutes).
   *
   * @param dir the working directory
   * @param name the name of the output files
   * @param env extra environment variables
   * @param args the arguments
   * @return exit status and output
   * @throws Exception when waiting is interrupted or the output cannot be read
   */
  static Finished run(Path dir, String name, Map<String, String> env, List<String> args)
      throws Exception {
    Process p = start(dir, name, env, args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("tpo " + args + " did not finish within 120 s: "
          + Files.readString(dir.resolve(name + ".err")));
    }
    return new Finished(p.exitValue(), Files.readString(dir.resolve(name + ".out")),
        Files.readString(dir.resolve(name + ".err")));
  }
}
