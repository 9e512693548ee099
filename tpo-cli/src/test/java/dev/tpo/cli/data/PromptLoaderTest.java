package dev.tpo.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptLoaderTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void loadsJsonArrayOfStringsWithIdsFromText() throws IOException {
    Path f = file("a.json", "[\n  \"What is TPO?\",\n  \"Write a haiku <b>now</b>\"\n]\n");
    List<Prompt> prompts = PromptLoader.load(f);
    assertThat(prompts).extracting(Prompt::text)
        .containsExactly("What is TPO?", "Write a haiku <b>now</b>");
    assertThat(prompts.get(0).id()).isEqualTo(PromptIds.fromText("What is TPO?"))
        .matches("p-[0-9a-f]{16}");
    assertThat(prompts).extracting(Prompt::line).containsExactly(2, 3);
  }

  @Test
  void idsFromTextAreStableAcrossLoads() throws IOException {
    Path f = file("a.json", "[\"x\", \"y\"]");
    assertThat(PromptLoader.load(f)).isEqualTo(PromptLoader.load(f));
    assertThat(PromptIds.fromText("x")).isEqualTo("p-2d711642b726b044");
  }

  @Test
  void repeatedTextWithoutIdGetsNumberedIds() throws IOException {
    Path f = file("a.json", "[\"same\", \"other\", \"same\"]");
    List<Prompt> prompts = PromptLoader.load(f);
    assertThat(prompts.get(2).id()).isEqualTo(prompts.get(0).id() + "-2");
  }

  @Test
  void loadsJsonLinesWithIdPromptAndInstruction() throws IOException {
    Path f = file("a.jsonl", "{\"id\": \"q1\", \"prompt\": \"first\"}\n\n"
        + "{\"id\": 7, \"instruction\": \"second\", \"output\": \"ignored\"}\r\n"
        + "{\"instruction\": \"third\"}\n");
    List<Prompt> prompts = PromptLoader.load(f);
    assertThat(prompts).extracting(Prompt::id)
        .containsExactly("q1", "7", PromptIds.fromText("third"));
    assertThat(prompts).extracting(Prompt::text).containsExactly("first", "second", "third");
    assertThat(prompts).extracting(Prompt::line).containsExactly(1, 3, 4);
  }

  @Test
  void promptFieldWinsOverInstruction() throws IOException {
    Path f = file("a.jsonl", "{\"prompt\": \"p\", \"instruction\": \"i\"}\n");
    assertThat(PromptLoader.load(f).get(0).text()).isEqualTo("p");
  }

  @Test
  void badJsonInJsonLinesNamesFileAndLine() throws IOException {
    Path f = file("bad.jsonl", "{\"prompt\": \"ok\"}\n{\"prompt\": \"broken\"\n");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("bad.jsonl:2")
        .hasMessageContaining("bad JSON")
        .hasMessageNotContaining("Source:")
        .hasMessageNotContaining("REDACTED")
        .hasMessageContaining("(column ")
        .satisfies(e -> assertThat(((DataFileException) e).line()).isEqualTo(2));
  }

  @Test
  void badJsonInArrayNamesLine() throws IOException {
    Path f = file("bad.json", "[\n\"a\",\n\"b\" \"c\"\n]");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("bad.json:3")
        .hasMessageContaining("bad JSON")
        .hasMessageNotContaining("Source:");
  }

  @Test
  void unclosedArrayIsReported() throws IOException {
    Path f = file("open.json", "[\"a\", \"b\"");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("open.json");
  }

  @Test
  void wrongFieldIsReportedWithFieldNames() throws IOException {
    Path f = file("w.jsonl", "{\"id\": \"a\", \"question\": \"what?\"}\n");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("w.jsonl:1")
        .hasMessageContaining("no \"prompt\" or \"instruction\"")
        .hasMessageContaining("question");
  }

  @Test
  void nonStringPromptIsReported() throws IOException {
    Path f = file("w.jsonl", "{\"prompt\": 42}\n");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .hasMessageContaining("\"prompt\" must be a string, got number");
  }

  @Test
  void wrongIdTypeIsReported() throws IOException {
    Path f = file("w.jsonl", "{\"id\": [1], \"prompt\": \"x\"}\n");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .hasMessageContaining("\"id\" must be a non-blank string or an integer");
  }

  @Test
  void duplicateIdsNameBothLines() throws IOException {
    Path f = file("d.jsonl", "{\"id\": \"x\", \"prompt\": \"a\"}\n{\"id\": \"y\", \"prompt\": \"b\"}\n"
        + "{\"id\": \"x\", \"prompt\": \"c\"}\n");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("d.jsonl:3")
        .hasMessageContaining("duplicate id \"x\" (first used on line 1)");
  }

  @Test
  void blankPromptIsRejected() throws IOException {
    Path f = file("b.json", "[\"ok\", \"   \"]");
    assertThatThrownBy(() -> PromptLoader.load(f))
        .hasMessageContaining("blank prompt");
  }

  @Test
  void emptyFileAndEmptyArrayAreRejected() throws IOException {
    assertThatThrownBy(() -> PromptLoader.load(file("e.json", "  \n")))
        .hasMessageContaining("the file is empty");
    assertThatThrownBy(() -> PromptLoader.load(file("e2.json", "[]")))
        .hasMessageContaining("holds no prompts");
  }

  @Test
  void nonUtf8BytesAreReportedWithLine() throws IOException {
    Path f = dir.resolve("latin1.json");
    Files.write(f, new byte[] {'[', '\n', '"', 'c', 'a', 'f', (byte) 0xE9, '"', ']'});
    assertThatThrownBy(() -> PromptLoader.load(f))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("latin1.json:2")
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void missingFileSaysWhatToPass() {
    assertThatThrownBy(() -> PromptLoader.load(dir.resolve("nope.json")))
        .hasMessageContaining("nope.json")
        .hasMessageContaining("no such file");
  }

  @Test
  void otherFormatIsRejected() throws IOException {
    assertThatThrownBy(() -> PromptLoader.load(file("c.csv", "id,prompt\n1,hi\n")))
        .hasMessageContaining("expected a JSON array");
  }

  @Test
  void largeAndUnicodePromptsLoadIntact() throws IOException {
    String big = "é€😀".repeat(100_000);
    Path f = file("big.jsonl", "{\"id\":\"big\",\"prompt\":\"" + big + "\"}\n");
    assertThat(PromptLoader.load(f).get(0).text()).isEqualTo(big);
  }

  @Test
  void fileNameKeepsSafeIdsAndHashesOthers() {
    assertThat(PromptIds.fileName("q-1_a.b")).isEqualTo("q-1_a.b");
    assertThat(PromptIds.fileName("../etc/passwd")).startsWith("id-").doesNotContain("/");
    assertThat(PromptIds.fileName(".hidden")).startsWith("id-");
  }
}
