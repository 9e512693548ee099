package dev.tpo.cli.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.adapter.http.JsonErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the prompts of a data file. Two formats, told apart by the first character:
 *
 * <ul>
 *   <li>a JSON array ({@code [}) of prompt strings, as the reference's {@code data/sample.json};
 *       elements may also be objects as below;
 *   <li>JSON Lines (<code>{</code>): one object per line with an optional {@code id} (string or
 *       integer) and the prompt in {@code prompt} or {@code instruction} ({@code prompt} wins when
 *       both are present; other fields are ignored, so AlpacaEval files load as they are).
 * </ul>
 *
 * <p>A prompt without an id gets {@link PromptIds#fromText(String)}; the same text given twice
 * without ids gets {@code -2}, {@code -3}, ... appended in file order, so ids stay stable across
 * runs. Explicit duplicate ids, bad JSON, wrong fields, blank prompts and bytes that are not UTF-8
 * fail with a {@link DataFileException} naming the file and line.
 *
 * <p>Stateless; thread-safe.
 */
public final class PromptLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest data file read: 512 MiB (a file that large is read whole into memory). */
  public static final long MAX_BYTES = 512L * 1024 * 1024;

  private PromptLoader() {}

  /**
   * Loads every prompt of the file, in file order.
   *
   * @param file the data file
   * @return the prompts, never empty
   * @throws DataFileException when the file is missing, unreadable or malformed
   */
  public static List<Prompt> load(Path file) {
    byte[] bytes;
    try {
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw new DataFileException(file, 0, Files.isDirectory(file)
            ? "is a directory; pass --data with a JSON array of prompts or a JSONL file"
            : "is not a regular file (a device, a FIFO or a socket); pass --data with a JSON or"
                + " JSONL file");
      }
      long size = Files.exists(file) ? Files.size(file) : 0;
      if (size > MAX_BYTES) {
        throw new DataFileException(file, 0, "holds " + size + " bytes, more than a data file may"
            + " hold (" + MAX_BYTES + " bytes); split it into several files");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, 0,
          "no such file; pass --data with a JSON array of prompts or a JSONL file"
              + " (see data/sample.json)");
    } catch (IOException e) {
      throw new DataFileException(file, 0, "cannot be read: " + e.getMessage());
    }
    String text = decodeUtf8(file, bytes);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String trimmed = text.stripLeading();
    if (trimmed.isEmpty()) {
      throw new DataFileException(file, 0,
          "the file is empty; expected a JSON array of prompt strings or JSON Lines objects with"
              + " \"prompt\"");
    }
    List<RawPrompt> raw;
    char first = trimmed.charAt(0);
    if (first == '[') {
      raw = readArray(file, text);
    } else if (first == '{') {
      raw = readJsonLines(file, text);
    } else {
      int line = 1 + (int) text.substring(0, text.length() - trimmed.length()).chars()
          .filter(c -> c == '\n').count();
      throw new DataFileException(file, line,
          "starts with '" + first + "'; expected a JSON array ('[') of prompt strings or JSON"
              + " Lines of objects ('{') with \"id\" and \"prompt\"");
    }
    if (raw.isEmpty()) {
      throw new DataFileException(file, 0, "holds no prompts; add at least one");
    }
    return assignIds(file, raw);
  }

  private static String decodeUtf8(Path file, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return decoder.decode(in).toString();
    } catch (MalformedInputException e) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset && i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new DataFileException(file, line,
          "is not valid UTF-8 (bad byte at offset " + offset + "); save the file as UTF-8");
    } catch (CharacterCodingException e) {
      throw new DataFileException(file, 0, "is not valid UTF-8; save the file as UTF-8");
    }
  }

  private static List<RawPrompt> readArray(Path file, String text) {
    List<RawPrompt> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(text)) {
      p.nextToken();
      int index = 0;
      while (true) {
        JsonToken t = p.nextToken();
        if (t == null) {
          throw new DataFileException(file, p.currentLocation().getLineNr(),
              "the JSON array is not closed; add the final ']'");
        }
        if (t == JsonToken.END_ARRAY) {
          break;
        }
        int line = p.currentTokenLocation().getLineNr();
        JsonNode node = p.readValueAsTree();
        out.add(fromNode(file, line, node, "element #" + index));
        index++;
      }
      if (p.nextToken() != null) {
        throw new DataFileException(file, p.currentTokenLocation().getLineNr(),
            "unexpected content after the closing ']' of the JSON array");
      }
    } catch (JsonProcessingException e) {
      throw new DataFileException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "bad JSON: " + JsonErrors.describe(e, false));
    } catch (IOException e) {
      throw new DataFileException(file, 0, "cannot be read: " + e.getMessage());
    }
    return out;
  }

  private static List<RawPrompt> readJsonLines(Path file, String text) {
    List<RawPrompt> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      int lineNr = i + 1;
      JsonNode node;
      try (JsonParser p = JSON.createParser(line)) {
        try {
          p.nextToken();
          node = p.readValueAsTree();
        } catch (JsonProcessingException e) {
          throw new DataFileException(file, lineNr,
              "bad JSON: " + JsonErrors.describe(e, false)
                  + ". Each line of a JSONL file must be one complete JSON object");
        }
        int column;
        String what;
        try {
          JsonToken after = p.nextToken();
          column = p.currentTokenLocation().getColumnNr();
          what = after == null ? null : describe(after, p.getText());
        } catch (JsonProcessingException e) {
          column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
          what = "text that is not JSON";
        }
        if (what != null) {
          throw new DataFileException(file, lineNr,
              "more after the JSON object, at column " + column + " (" + what + "); each line"
                  + " of a JSONL file must hold exactly one JSON object: put the next one on its"
                  + " own line");
        }
      } catch (IOException e) {
        throw new DataFileException(file, lineNr, "cannot be read: " + e.getMessage());
      }
      if (!node.isObject()) {
        throw new DataFileException(file, lineNr,
            "expected a JSON object with \"prompt\" (or \"instruction\"), got "
                + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      out.add(fromNode(file, lineNr, node, "line"));
    }
    return out;
  }

  private static RawPrompt fromNode(Path file, int line, JsonNode node, String what) {
    if (node.isTextual()) {
      return new RawPrompt(null, requireText(file, line, node.textValue(), what), line);
    }
    if (!node.isObject()) {
      throw new DataFileException(file, line,
          what + " is a " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + "; expected a prompt string or an object with \"prompt\"");
    }
    JsonNode promptNode = node.has("prompt") ? node.get("prompt") : node.get("instruction");
    String field = node.has("prompt") ? "prompt" : "instruction";
    if (promptNode == null) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      throw new DataFileException(file, line,
          what + " has no \"prompt\" or \"instruction\" field (fields: " + names
              + "); put the prompt text in \"prompt\"");
    }
    if (!promptNode.isTextual()) {
      throw new DataFileException(file, line,
          "\"" + field + "\" must be a string, got "
              + promptNode.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    String id = null;
    JsonNode idNode = node.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (idNode.isTextual() && !idNode.textValue().isBlank()) {
        id = idNode.textValue();
      } else if (idNode.isIntegralNumber()) {
        id = idNode.asText();
      } else {
        throw new DataFileException(file, line,
            "\"id\" must be a non-blank string or an integer, got " + idNode
                + "; fix it or leave it out to get an id from the prompt text");
      }
    }
    return new RawPrompt(id, requireText(file, line, promptNode.textValue(), what), line);
  }

  private static String requireText(Path file, int line, String text, String what) {
    if (text.isBlank()) {
      throw new DataFileException(file, line,
          what + " has a blank prompt; remove it or give it text");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new DataFileException(file, line, String.format(java.util.Locale.ROOT,
            "%s has a prompt with a lone surrogate \\u%04X at index %d (a JSON escape of half a"
                + " character pair), which no file can hold; fix or remove the escape",
            what, (int) c, i));
      }
    }
    return text;
  }

  private static String describe(JsonToken t, String text) {
    switch (t) {
      case START_OBJECT:
        return "a second object";
      case START_ARRAY:
        return "an array";
      default:
        return "'" + text + "'";
    }
  }

  private static List<Prompt> assignIds(Path file, List<RawPrompt> raw) {
    Map<String, Integer> firstLine = new HashMap<>();
    for (RawPrompt r : raw) {
      if (r.id != null) {
        Integer previous = firstLine.putIfAbsent(r.id, r.line);
        if (previous != null) {
          throw new DataFileException(file, r.line,
              "duplicate id \"" + r.id + "\" (first used on line " + previous
                  + "); ids must be unique");
        }
      }
    }
    Map<String, Integer> seenText = new HashMap<>();
    List<Prompt> out = new ArrayList<>(raw.size());
    for (RawPrompt r : raw) {
      String id = r.id;
      if (id == null) {
        String base = PromptIds.fromText(r.text);
        int n = seenText.merge(base, 1, Integer::sum);
        id = n == 1 ? base : base + "-" + n;
        Integer clash = firstLine.putIfAbsent(id, r.line);
        if (clash != null) {
          throw new DataFileException(file, r.line,
              "the id derived from this prompt, \"" + id + "\", is also given on line " + clash
                  + "; give this prompt an explicit id");
        }
      }
      out.add(new Prompt(id, r.text, r.line));
    }
    return List.copyOf(out);
  }

  private record RawPrompt(String id, String text, int line) {}
}
