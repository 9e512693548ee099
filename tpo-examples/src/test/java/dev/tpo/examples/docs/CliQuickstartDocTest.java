package dev.tpo.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' commands of docs/cli.md ("Examples", the Quickstart among them) work as written
 * (issue 14: they failed as written, with an old jar path and a reward that needed a second
 * server). The test reads the doc's {@code bash} block: the class-path entries must be what the
 * build makes, and each {@code java} command is run in a child JVM with the block's environment
 * against the simulator, as the doc's "without a GPU" sentence says ({@code TPO_MODEL} set as it
 * says, {@code TPO_BASE_URL} the simulator's address); each must exit 0 and print an answer. Every
 * problem is reported (soft assertions), not only the first.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CliQuickstartDocTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theExamplesCommandsRunAsWrittenAgainstTheSimulator(@TempDir Path dir) throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/cli.md"), StandardCharsets.UTF_8);
    int section = doc.indexOf("## Examples (`tpo-examples`");
    assertThat(section).as("docs/cli.md has the Examples section").isPositive();
    String rest = doc.substring(section);
    int open = rest.indexOf("```bash\n");
    assertThat(open).as("a bash block in the Examples section").isPositive();
    String block = rest.substring(open + 8, rest.indexOf("```", open + 8));
    String after = rest.substring(rest.indexOf("```", open + 8));
    int next = after.indexOf("\n## ");
    String prose = next > 0 ? after.substring(0, next) : after;

    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> vars = new LinkedHashMap<>();
    List<List<String>> commands = new ArrayList<>();
    for (String raw : block.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> words = words(line);
      if (words.get(0).equals("export")) {
        for (String w : words.subList(1, words.size())) {
          env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
      } else if (words.size() == 1 && words.get(0).contains("=")) {
        String w = words.get(0);
        vars.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
      } else {
        List<String> expanded = new ArrayList<>();
        for (String w : words) {
          String e = w;
          for (Map.Entry<String, String> v : vars.entrySet()) {
            e = e.replace("$" + v.getKey(), v.getValue());
          }
          expanded.add(e);
        }
        commands.add(expanded);
      }
    }
    assertThat(commands).as("the block's commands").isNotEmpty();

    // "Without a GPU, the same against the simulator: ... `TPO_MODEL=sim-model`"
    Matcher noGpu = Pattern.compile("`(TPO_\\w+)=([^`\\s]+)`").matcher(prose);
    Map<String, String> simulatorEnv = new LinkedHashMap<>();
    while (noGpu.find()) {
      simulatorEnv.put(noGpu.group(1), noGpu.group(2));
    }
    // every problem is reported, not only the first
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(simulatorEnv).as("the doc says how to run the examples against the simulator")
        .containsKey("TPO_MODEL");

    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .responder(ChatResponder.grading(ChatResponder.deterministic())).start()) {
      for (List<String> command : commands) {
        Map<String, String> runEnv = new LinkedHashMap<>(env);
        int at = 0;
        while (command.get(at).matches("[A-Z_]+=.*")) {
          String w = command.get(at++);
          runEnv.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        runEnv.putAll(simulatorEnv);
        // the simulator's model, also where the doc does not say it (failed above)
        if (!simulatorEnv.containsKey("TPO_MODEL")) {
          runEnv.put("TPO_MODEL", "sim-model");
        }
        runEnv.put("TPO_BASE_URL", server.openAiBaseUrl());
        assertThat(command.subList(at, at + 2)).as("%s", command).containsExactly("java", "-cp");
        for (String entry : command.get(at + 2).split(":")) {
          checkBuilt(soft, entry, command);
        }
        // the doc's class path is what the build makes (checked above); the child JVM gets this
        // test's class path, which holds the same classes
        run(soft, dir, runEnv, command.subList(at + 3, command.size()), command);
      }
    }
    soft.assertAll();
  }

  /** A class-path entry of the doc is what the build makes: a module's classes or its jar. */
  private static void checkBuilt(SoftAssertions soft, String entry, List<String> command)
      throws IOException {
    Matcher m = Pattern.compile("([\\w-]+)/target/(classes|[\\w.-]+\\.jar)").matcher(entry);
    if (!m.matches()) {
      soft.fail("class-path entry '%s' of %s is not a module's target/classes or jar", entry,
          command);
      return;
    }
    Path module = ROOT.resolve(m.group(1));
    if (!Files.exists(module.resolve("pom.xml"))) {
      soft.fail("class-path entry '%s' of %s: there is no module %s", entry, command,
          m.group(1));
    } else if (m.group(2).equals("classes")) {
      soft.assertThat(module.resolve("src/main/java")).as("sources compiled into '%s'", entry)
          .exists();
    } else {
      String pom = Files.readString(module.resolve("pom.xml"), StandardCharsets.UTF_8);
      soft.assertThat(pom.contains("${project.build.directory}/" + m.group(2)))
          .as("%s/pom.xml builds %s (class path of %s)", m.group(1), m.group(2), command)
          .isTrue();
    }
  }

  private static void run(SoftAssertions soft, Path dir, Map<String, String> env,
      List<String> args, List<String> command) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TPO_"));
    pb.environment().putAll(env);
    Path log = dir.resolve("out-" + Math.abs(command.hashCode()) + ".txt");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(3, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      soft.fail("%s did not end in 3 minutes; output:%n%s", command, out);
      return;
    }
    soft.assertThat(p.exitValue()).as("exit status of %s with %s; output:%n%s", command, env,
        tail(out)).isZero();
    soft.assertThat(out.strip()).as("%s printed something", command).isNotEmpty();
  }

  private static String tail(String out) {
    return out.length() <= 3000 ? out : "..." + out.substring(out.length() - 3000);
  }

  /** Splits a shell line into words, keeping double-quoted text together. */
  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }
}
