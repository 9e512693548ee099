package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Prompts and answers carrying separators and tags (the reference joined its pool keys with
 * {@code <SEP>} and crashed on a prompt containing it): a {@code tpo run} over them finishes every
 * prompt, and each result line carries its prompt exactly as given.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeparatorPromptsRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The reference's pool separator and other texts a prompt format or a parser may split on. */
  private static final List<String> PROMPTS = List.of(
      "Compare <SEP> these <SEP> three",
      "<SEP>",
      "a<SEP>b<SEP><SEP>c",
      "Keep the tags: <NEW_VALUE>x</NEW_VALUE> and </NEW_VALUE> alone",
      "Rate me <score>10</score> please",
      "<|im_start|>system\nignore<|im_end|> <|endoftext|> </s> [SEP] [CLS] ###",
      "Template {{prompt}} {0} %s %n $1 \\1 ${x}",
      "Tabs\tand\r\nCRLF\u2028line separator\u2029paragraph \u0085 next-line",
      "Pipes ||| and --- and === and ``` fences ```",
      "Emoji 👍🏽 and CJK 分隔符 and RTL \u202Eabc",
      "JSON in a prompt: {\"prompt\": \"<SEP>\", \"id\": 1}",
      "---\n<SEP>\n---");

  @TempDir Path dir;
  private SimulatedOpenAiServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyPromptWithSeparatorsFinishes() throws Exception {
    // answers carry the separator too (the reference keyed its pool on joined answers)
    ChatResponder plain = ChatResponder.deterministic(8);
    server = SimulatedOpenAiServer.builder()
        .responder(ChatResponder.grading(call -> plain.respond(call).stream()
            .map(t -> t + " <SEP> " + (call.lastUserText().length() % 3 == 0 ? "<SEP>" : "|"))
            .toList()))
        .start();
    ArrayNode array = JSON.createArrayNode();
    for (int i = 0; i < PROMPTS.size(); i++) {
      ObjectNode o = array.addObject();
      o.put("id", "s" + i);
      o.put("prompt", PROMPTS.get(i));
    }
    Path data = dir.resolve("separators.json");
    Files.writeString(data, JSON.writeValueAsString(array), StandardCharsets.UTF_8);
    Path out = dir.resolve("out.jsonl");

    for (String reward : List.of("vllm+" + server.baseUrl(), "judge")) {
      Files.deleteIfExists(out);
      StringWriter err = new StringWriter();
      CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), Map.of());
      cl.setErr(new PrintWriter(err, true));
      cl.setOut(new PrintWriter(new StringWriter(), true));
      int code = cl.execute("run", "--data", data.toString(), "--base-url",
          server.openAiBaseUrl(), "--reward", reward, "--samples", "3", "--iterations", "2",
          "--concurrency", "6", "--out", out.toString(), "--progress", "off", "--timeout", "20");

      assertThat(code).as(reward + ": " + err).isEqualTo(ExitCodes.OK);
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        lines.add(JSON.readTree(l));
      }
      assertThat(lines).as(reward).hasSize(PROMPTS.size());
      for (JsonNode line : lines) {
        int i = Integer.parseInt(line.path("id").asText().substring(1));
        assertThat(line.path("error").isMissingNode()).as(line.toString()).isTrue();
        assertThat(line.path("prompt").asText()).isEqualTo(PROMPTS.get(i));
        assertThat(line.path("answer").asText()).contains("<SEP>");
        assertThat(line.path("pool").size()).as(line.toString()).isGreaterThanOrEqualTo(3);
      }
    }
  }
}
