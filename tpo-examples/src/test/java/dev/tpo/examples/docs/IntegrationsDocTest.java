package dev.tpo.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ```java block of docs/integrations.md compiles against the examples' class path. */
class IntegrationsDocTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("public (?:final )?class (\\w+)");

  @Test
  void everyJavaBlockCompiles(@TempDir Path dir) throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "integrations.md"), StandardCharsets.UTF_8);
    List<Path> sources = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(doc);
    while (m.find()) {
      String code = m.group(1);
      Matcher name = PUBLIC_CLASS.matcher(code);
      assertThat(name.find()).as("a public class in:%n%s", code).isTrue();
      Path file = dir.resolve("block" + sources.size()).resolve(name.group(1) + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, code, StandardCharsets.UTF_8);
      sources.add(file);
    }
    assertThat(sources).hasSize(3);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      for (Path source : sources) {
        boolean ok = javac.getTask(null, files, diagnostics, List.of("-proc:none", "-d",
                dir.resolve("classes").toString(), "-cp", System.getProperty("java.class.path")),
            null, files.getJavaFileObjects(source)).call();
        assertThat(ok).as("%s: %s", source.getFileName(), diagnostics.getDiagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.getLineNumber() + ": "
                + d.getMessage(Locale.ROOT)).toList()).isTrue();
      }
    }
  }
}
