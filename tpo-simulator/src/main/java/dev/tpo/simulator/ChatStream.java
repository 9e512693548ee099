package dev.tpo.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streamed answer to a chat request with {@code stream=true}: server-sent events ({@code data:
 * {chunk}} lines) in OpenAI's {@code chat.completion.chunk} format. First a chunk giving each
 * choice its role; then, one step per generated token (four characters, as the simulator counts
 * tokens), the next piece of every choice that is still generating, all choices of a step
 * interleaved, and a choice's {@code finish_reason} right after its last piece, so that choices of
 * different lengths finish at different times; then, when the request asked for it with {@code
 * stream_options.include_usage}, a usage chunk with no choices; then {@code data: [DONE]}.
 *
 * <p>Timing: the first chunk goes out at the request's latency (as the whole answer does when not
 * streamed), and step {@code k} at {@code k} token delays after it, so the last choice finishes
 * exactly when the plain answer would have been sent.
 *
 * <p>Immutable; one instance answers one request, on the handler's thread.
 */
final class ChatStream {
  private final SimulatedOpenAiServer server;
  private final String path;
  private final String id;
  private final String model;
  private final List<String> texts;
  private final List<String> finish;
  private final long promptTokens;
  private final long latencyNanos;
  private final boolean includeUsage;

  ChatStream(SimulatedOpenAiServer server, String path, String id, String model,
      List<String> texts, List<String> finish, long promptTokens, long latencyNanos,
      boolean includeUsage) {
    this.server = server;
    this.path = path;
    this.id = id;
    this.model = model;
    this.texts = List.copyOf(texts);
    this.finish = List.copyOf(finish);
    this.promptTokens = promptTokens;
    this.latencyNanos = latencyNanos;
    this.includeUsage = includeUsage;
  }

  /**
   * Writes the whole stream.
   *
   * @param ex the exchange
   * @param damage {@link Fault.Kind#CUT_BODY} to end the stream halfway, {@link
   *     Fault.Kind#MALFORMED_JSON} to send a broken chunk halfway, or null
   * @throws IOException when the client goes away, or the server closes while it waits
   */
  void write(HttpExchange ex, Fault.Kind damage) throws IOException {
    try {
      server.simulate(path, latencyNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("simulated server closed");
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    long created = System.currentTimeMillis() / 1000;
    int longest = 0;
    for (String t : texts) {
      longest = Math.max(longest, pieces(t));
    }
    long tokenDelay = server.tokenDelayNanos();
    if (tokenDelay > 0 && longest > 0) {
      server.delayByPath.computeIfAbsent(path, p -> new AtomicLong())
          .addAndGet(longest * tokenDelay);
    }
    StringBuilder step = new StringBuilder();
    ObjectNode roles = chunk(created);
    ArrayNode roleChoices = roles.putArray("choices");
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode c = roleChoices.addObject();
      c.put("index", i);
      c.putObject("delta").put("role", "assistant").put("content", "");
      c.putNull("logprobs");
      c.putNull("finish_reason");
    }
    event(step, roles);
    for (int i = 0; i < texts.size(); i++) {
      if (pieces(texts.get(i)) == 0) {
        event(step, finishChunk(created, i));
      }
    }
    flush(out, step);
    long start = System.nanoTime();
    for (int k = 1; k <= longest; k++) {
      pauseUntil(start + k * tokenDelay);
      if (damage != null && k > longest / 2) {
        if (damage == Fault.Kind.MALFORMED_JSON) {
          step.append("data: {\"id\":\"").append(id).append("\",\"choices\":[{\"ind\n\n");
          flush(out, step);
        }
        ex.close(); // ends the stream without the rest and without [DONE]
        return;
      }
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        int n = pieces(t);
        if (k > n) {
          continue;
        }
        ObjectNode piece = chunk(created);
        ObjectNode c = piece.putArray("choices").addObject();
        c.put("index", i);
        c.putObject("delta").put("content", t.substring((k - 1) * 4, Math.min(t.length(), k * 4)));
        c.putNull("logprobs");
        c.putNull("finish_reason");
        event(step, piece);
        if (k == n) {
          event(step, finishChunk(created, i));
        }
      }
      flush(out, step);
    }
    if (includeUsage) {
      long completion = 0;
      for (String t : texts) {
        completion += ChatEndpoint.tokens(t);
      }
      ObjectNode usage = chunk(created);
      usage.putArray("choices");
      ObjectNode u = usage.putObject("usage");
      u.put("prompt_tokens", promptTokens);
      u.put("completion_tokens", completion);
      u.put("total_tokens", promptTokens + completion);
      event(step, usage);
    }
    step.append("data: [DONE]\n\n");
    flush(out, step);
    out.close();
  }

  /** Tokens of a text as the stream sends them: four characters each. */
  private static int pieces(String text) {
    return (text.length() + 3) / 4;
  }

  private ObjectNode chunk(long created) {
    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("id", id);
    root.put("object", "chat.completion.chunk");
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  private ObjectNode finishChunk(long created, int index) {
    ObjectNode done = chunk(created);
    ObjectNode c = done.putArray("choices").addObject();
    c.put("index", index);
    c.putObject("delta");
    c.putNull("logprobs");
    c.put("finish_reason", finish.get(index));
    return done;
  }

  private static void event(StringBuilder step, ObjectNode chunk) {
    step.append("data: ").append(OpenAiJson.write(chunk)).append("\n\n");
  }

  private static void flush(OutputStream out, StringBuilder step) throws IOException {
    if (step.length() > 0) {
      out.write(step.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      step.setLength(0);
    }
  }

  private void pauseUntil(long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      server.pause(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("simulated server closed");
    }
  }
}
