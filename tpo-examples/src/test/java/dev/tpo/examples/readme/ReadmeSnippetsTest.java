package dev.tpo.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles every {@code ```java} block of the project's README.md against the test class path
 * (the library and its dependencies), so a snippet that lost an import or calls an API that
 * changed fails the build with the snippet and the compiler's message.
 *
 * <p>How a block is compiled: a block that declares a top-level type (a line starting with {@code
 * class}, {@code public class}, {@code record}, {@code interface} or {@code enum}, possibly {@code
 * final}/{@code abstract}) is a complete compilation unit; any other block is its {@code import}
 * lines followed by statements, which are wrapped in a method {@code run() throws Exception} of a
 * generated class. Either way the block must carry its own imports. Blocks fenced with another
 * info string ({@code ```text}, {@code ```bash}) are not compiled.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern BLOCK =
      Pattern.compile("^```java[ \\t]*\\R(.*?)^```[ \\t]*$", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern TYPE = Pattern.compile(
      "^(public\\s+)?((final|abstract|sealed)\\s+)*(class|record|interface|enum)\\s+(\\w+)",
      Pattern.MULTILINE);

  /** One {@code ```java} block of README.md and the line its code starts on. */
  record Snippet(int line, String code) {
    @Override
    public String toString() {
      return "README.md line " + line;
    }
  }

  static List<Snippet> snippets() throws IOException {
    String text = Files.readString(README, StandardCharsets.UTF_8);
    List<Snippet> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      int line = (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
      out.add(new Snippet(line, m.group(1)));
    }
    return out;
  }

  @Test
  void readmeHasJavaSnippets() throws IOException {
    assertThat(snippets()).as("```java blocks in %s", README.toAbsolutePath()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snippets")
  void compiles(Snippet snippet, @TempDir Path out) throws IOException {
    Optional<String> error = compile(snippet, out);
    if (error.isPresent()) {
      fail(error.get());
    }
  }

  @Test
  void aSnippetWithoutItsImportsFailsWithTheSnippetAndTheCompilersMessage(@TempDir Path out)
      throws IOException {
    Optional<String> error = compile(new Snippet(7,
        "TpoResult r = Tpo.defaults().optimize(\"q\");\n"), out);
    assertThat(error).hasValueSatisfying(e -> assertThat(e)
        .contains("README.md line 7 does not compile")
        .contains("TpoResult r = Tpo.defaults()")
        .contains("cannot find symbol"));
    assertThat(compile(new Snippet(9, "import dev.tpo.Tpo;\nimport dev.tpo.TpoResult;\n\n"
        + "TpoResult r = Tpo.defaults().optimize(\"q\");\n"), out)).isEmpty();
    assertThat(compile(new Snippet(11, "import java.util.List;\n\n"
        + "public final class Listed {\n  List<String> names = List.of();\n}\n"), out)).isEmpty();
  }

  /** Compiles the snippet; returns the failure message, or empty when it compiles. */
  private static Optional<String> compile(Snippet snippet, Path out) throws IOException {
    String className = "ReadmeSnippetAtLine" + snippet.line();
    String source = source(snippet, className);
    Matcher type = TYPE.matcher(snippet.code());
    String fileName = type.find() ? type.group(5) : className;
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler (run the build on a JDK, not a JRE)").isNotNull();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaFileObject unit = new SimpleJavaFileObject(
          URI.create("string:///" + fileName + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      boolean ok = javac.getTask(null, files, diagnostics,
          List.of("--release", "17", "-proc:none", "-classpath", classPath,
              "-d", out.toString()), null, List.of(unit)).call();
      if (ok) {
        return Optional.empty();
      }
      return Optional.of(snippet + " does not compile. The snippet as compiled:\n"
          + numbered(source) + "\nThe compiler says:\n" + diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
              .collect(Collectors.joining("\n"))
          + "\nA README ```java block carries its imports; it is a complete class, or import"
          + " lines followed by statements (see ReadmeSnippetsTest's Javadoc).");
    }
  }

  /** The block as a compilation unit: as it is, or its statements wrapped in a method. */
  private static String source(Snippet snippet, String className) {
    if (TYPE.matcher(snippet.code()).find()) {
      return snippet.code();
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : snippet.code().split("\\R", -1)) {
      if (line.startsWith("import ")) {
        imports.append(line).append('\n');
      } else {
        body.append("    ").append(line).append('\n');
      }
    }
    return imports + "\nclass " + className + " {\n  void run() throws Exception {\n" + body
        + "  }\n}\n";
  }

  private static String numbered(String source) {
    String[] lines = source.split("\\R", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      sb.append(String.format(Locale.ROOT, "%3d  %s%n", i + 1, lines[i]));
    }
    return sb.toString();
  }
}
