package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where {@code tpo run}'s policy comes from: {@code --policy}, {@code TPO_POLICY}, a server
 * ({@code --base-url}, {@code --ip}, {@code TPO_BASE_URL}), else the embedded default; no model is
 * loaded (the runner is {@link FakeRunnerFactory}).
 */
@Timeout(60)
class PolicyOptionTest {
  @TempDir Path dir;
  private final FakeRunnerFactory factory = new FakeRunnerFactory();
  private StringWriter err;
  private Path data;

  @BeforeEach
  void writeData() throws IOException {
    data = dir.resolve("prompts.json");
    Files.writeString(data, "[\"one\"]");
  }

  private int tpo(Map<String, String> env, String... args) {
    err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(factory, env);
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 6];
    all[0] = "run";
    all[1] = "--data";
    all[2] = data.toString();
    all[3] = "--progress";
    all[4] = "off";
    all[5] = "--out=" + dir.resolve("r" + System.nanoTime() + ".jsonl");
    System.arraycopy(args, 0, all, 6, args.length);
    return cl.execute(all);
  }

  @Test
  void withNoServerAndNoPolicyTheEmbeddedModelRunsAndIsNamedInTheBanner() {
    assertThat(tpo(Map.of())).as(err.toString()).isZero();
    assertThat(factory.config.policy()).hasValue("embedded");
    assertThat(factory.config.baseUrls()).isEmpty();
    assertThat(err.toString()).contains("at in process (embedded)");
  }

  @Test
  void thePolicyOptionWinsOverTheEnvironmentAndTheEnvironmentsPolicyOverItsBaseUrl() {
    Map<String, String> env = Map.of("TPO_POLICY", "llama:/env.gguf",
        "TPO_BASE_URL", "http://h:1/v1");
    assertThat(tpo(env, "--policy", "llama:/flag.gguf")).isZero();
    assertThat(factory.config.policy()).hasValue("llama:/flag.gguf");
    assertThat(tpo(env)).isZero();
    assertThat(factory.config.policy()).hasValue("llama:/env.gguf");
    assertThat(factory.config.toString()).contains("policy=llama:/env.gguf");
  }

  @Test
  void aServerOnTheCommandLineOrInTheEnvironmentMeansNoInProcessModel() {
    assertThat(tpo(Map.of("TPO_POLICY", "llama:/env.gguf"), "--base-url", "http://h:1/v1"))
        .isZero();
    assertThat(factory.config.policy()).isEmpty();
    assertThat(factory.config.baseUrls()).containsExactly("http://h:1/v1");
    assertThat(tpo(Map.of("TPO_POLICY", "llama:/env.gguf"), "--ip", "h")).isZero();
    assertThat(factory.config.policy()).isEmpty();
    assertThat(tpo(Map.of("TPO_BASE_URL", "http://e:2/v1"))).isZero();
    assertThat(factory.config.policy()).isEmpty();
    assertThat(factory.config.baseUrls()).containsExactly("http://e:2/v1");
  }

  @Test
  void policyWithAServerOrAModelNameOrEmptyIsAUsageError() {
    assertThat(tpo(Map.of(), "--policy", "llama:/m.gguf", "--base-url", "http://h:1/v1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--policy llama:/m.gguf and --base-url/--ip/--port")
        .contains("give one of them");
    assertThat(tpo(Map.of(), "--policy", "llama:/m.gguf", "--model", "qwen"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--model qwen").contains("runs in process");
    assertThat(tpo(Map.of(), "--policy", " ")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--policy is empty").contains("llama:/PATH/MODEL.gguf");
    assertThat(factory.runs.get()).isZero();
  }

  @Test
  void anUnknownPolicySpecIsAUsageErrorListingTheAcceptedOnesBeforeAnythingIsLoaded() {
    err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new dev.tpo.cli.run.TpoRunnerFactory(), Map.of());
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("run", "--data", data.toString(), "--progress", "off",
        "--policy", "gguf:/m.gguf", "--out", dir.resolve("x.jsonl").toString());
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'gguf:/m.gguf'")
        .contains("llama:/PATH/MODEL.gguf | hf:OWNER/REPO/FILE.gguf[@REVISION]");
    assertThat(dir.resolve("x.jsonl")).doesNotExist();
  }
}
