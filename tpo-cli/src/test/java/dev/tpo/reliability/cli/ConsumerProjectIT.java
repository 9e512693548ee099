package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consumer's view of the published artifacts: a tiny project that imports {@code tpo-bom} and
 * depends on {@code tpo-textgrad} is resolved by Maven against this build's artifacts, laid out in
 * an isolated local repository under {@code target/consumer-repo} (never {@code ~/.m2}; third-party
 * artifacts are read from {@code ~/.m2} through a {@code file:} mirror, so no network is needed).
 * Checks that every Jackson, Kotlin standard library and okio artifact the consumer resolves has
 * the version this build's tests ran with (issue 14: they did not converge), and that a consumer
 * program that uses the library without an SLF4J provider prints no SLF4J lines.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerProjectIT {
  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path WORK = Path.of("target", "consumer").toAbsolutePath();
  private static final Path REPO = Path.of("target", "consumer-repo").toAbsolutePath();

  @Test
  void aConsumerOfTheBomResolvesTheTestedVersionsAndPrintsNoSlf4jWarnings() throws Exception {
    Files.createDirectories(WORK);
    install("tpo-parent", ROOT.resolve("pom.xml"), null);
    install("tpo-bom", ROOT.resolve("tpo-bom/pom.xml"), null);
    install("tpo-core", ROOT.resolve("tpo-core/pom.xml"),
        ROOT.resolve("tpo-core/target/tpo-core-" + VERSION + ".jar"));
    install("tpo-textgrad", ROOT.resolve("tpo-textgrad/pom.xml"),
        ROOT.resolve("tpo-textgrad/target/tpo-textgrad-" + VERSION + ".jar"));
    Files.writeString(WORK.resolve("pom.xml"), CONSUMER_POM);
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Files.writeString(WORK.resolve("settings.xml"), "<settings><mirrors><mirror><id>local</id>"
        + "<mirrorOf>*</mirrorOf><url>" + m2.toUri() + "</url></mirror></mirrors></settings>");

    mvn("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list",
        "-DoutputFile=deps.txt", "-DincludeScope=runtime");
    Map<String, String> resolved = new TreeMap<>();
    Matcher m = Pattern.compile("([\\w.\\-]+):([\\w.\\-]+):jar:([\\w.\\-]+):(compile|runtime)")
        .matcher(Files.readString(WORK.resolve("deps.txt")));
    while (m.find()) {
      resolved.put(m.group(1) + ":" + m.group(2), m.group(3));
    }
    assertThat(resolved).containsKey("com.openai:openai-java-core");
    String jackson = testedVersion("jackson-databind");
    String kotlin = testedVersion("kotlin-stdlib");
    String okio = testedVersion("okio-jvm");
    resolved.forEach((artifact, version) -> {
      if (artifact.startsWith("com.fasterxml.jackson")) {
        assertThat(version).as(artifact).isEqualTo(jackson);
      }
      if (artifact.startsWith("org.jetbrains.kotlin:kotlin-stdlib")) {
        assertThat(version).as(artifact).isEqualTo(kotlin);
      }
      if (artifact.startsWith("com.squareup.okio")) {
        assertThat(version).as(artifact).isEqualTo(okio);
      }
    });

    mvn("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
        "-Dmdep.outputFile=cp.txt", "-Dmdep.includeScope=runtime");
    String cp = Files.readString(WORK.resolve("cp.txt")).strip();
    Path src = WORK.resolve("src/ConsumerMain.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, CONSUMER_MAIN);
    Path classes = WORK.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, "-cp", cp, "-d", classes.toString(), src.toString()))
        .isZero();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + cp,
        "ConsumerMain").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(out).contains("CONSUMER OK").doesNotContain("SLF4J");
  }

  /** The version of an artifact on this test's own class path: what the tests ran with. */
  private static String testedVersion(String artifactId) {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (p.getParent() != null && p.getParent().getParent() != null
          && p.getParent().getParent().getFileName().toString().equals(artifactId)) {
        return p.getParent().getFileName().toString();
      }
    }
    throw new AssertionError(artifactId + " is not on the test class path");
  }

  private static void install(String artifactId, Path pom, Path jar) throws IOException {
    Path dir = REPO.resolve("dev/tpo/" + artifactId + "/" + VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"),
        StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      assertThat(jar).as("built by the reactor before this test").exists();
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void mvn(String... goalAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-s", "settings.xml",
        "-Dmaven.repo.local=" + REPO));
    cmd.addAll(List.of(goalAndArgs));
    Process p = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("mvn %s:%n%s", goalAndArgs[0], out).isZero();
  }

  private static final String CONSUMER_POM = """
      <project xmlns="http://maven.apache.org/POM/4.0.0">
        <modelVersion>4.0.0</modelVersion>
        <groupId>example</groupId>
        <artifactId>consumer</artifactId>
        <version>1</version>
        <dependencyManagement>
          <dependencies>
            <dependency>
              <groupId>dev.tpo</groupId>
              <artifactId>tpo-bom</artifactId>
              <version>0.1.0-SNAPSHOT</version>
              <type>pom</type>
              <scope>import</scope>
            </dependency>
          </dependencies>
        </dependencyManagement>
        <dependencies>
          <dependency>
            <groupId>dev.tpo</groupId>
            <artifactId>tpo-textgrad</artifactId>
          </dependency>
        </dependencies>
      </project>
      """;

  private static final String CONSUMER_MAIN = """
      import dev.tpo.adapter.openai.OpenAiCompatibleModel;
      import dev.tpo.adapter.reward.JudgeRewardScorer;
      import dev.tpo.core.model.ChatMessage;
      import dev.tpo.core.model.ChatRequest;
      import java.util.List;

      public class ConsumerMain {
        public static void main(String[] args) {
          try (OpenAiCompatibleModel m = OpenAiCompatibleModel.builder()
              .baseUrl("http://127.0.0.1:9/v1").model("m").maxRetries(0).build()) {
            try {
              m.chatAsync(ChatRequest.builder().messages(List.of(ChatMessage.user("hi"))).n(1)
                  .build()).join();
            } catch (RuntimeException expected) {
              System.out.println("request failed as expected");
            }
            JudgeRewardScorer judge = JudgeRewardScorer.builder().model(m).build();
            try {
              judge.score("q", List.of("a"));
            } catch (RuntimeException expected) {
              System.out.println("judge failed as expected");
            }
          }
          System.out.println("CONSUMER OK");
        }
      }
      """;
}
