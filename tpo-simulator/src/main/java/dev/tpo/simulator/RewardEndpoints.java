package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reward endpoints: vLLM's {@code POST /pooling} and {@code POST /classify}, and
 * text-embeddings-inference's {@code POST /predict}. Thread-safe.
 */
final class RewardEndpoints {
  private final SimulatedOpenAiServer server;

  RewardEndpoints(SimulatedOpenAiServer server) {
    this.server = server;
  }

  private record Pair(String query, String response) {}

  Reply handle(RecordedRequest rec, Fault fault, long extraDelayNanos) throws InterruptedException {
    JsonNode j = rec.json();
    if (j == null || !j.isObject()) {
      return Reply.error(400, "the request body is not a JSON object");
    }
    boolean tei = rec.path().equals(SimulatedOpenAiServer.PREDICT_PATH);
    if (!tei && j.has("model") && !server.rewardModels().contains(j.path("model").asText())) {
      return new Reply(404, OpenAiJson.errorBody(404,
          "The model `" + j.path("model").asText() + "` does not exist.",
          "NotFoundError", "model", null), Map.of());
    }
    List<Pair> pairs = new ArrayList<>();
    boolean batch;
    if (tei) {
      JsonNode inputs = j.path("inputs");
      if (inputs.isMissingNode() || inputs.isNull()) {
        return Reply.error(422, "Failed to deserialize the JSON body: missing field `inputs`");
      }
      batch = teiPairs(inputs, pairs);
    } else if (j.path("messages").isArray()) {
      pairs.add(messagesPair(j.path("messages")));
      batch = false;
    } else if (j.has("input")) {
      JsonNode input = j.path("input");
      batch = input.isArray();
      if (batch) {
        for (JsonNode i : input) {
          pairs.add(new Pair("", i.asText()));
        }
      } else {
        pairs.add(new Pair("", input.asText()));
      }
    } else {
      return Reply.error(400, "the request needs 'messages' or 'input'");
    }

    List<Double> scores = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      scores.add(server.rewardFunction().score(p.query(), p.response()));
    }
    Fault.Kind kind = fault == null ? null : fault.kind();
    if (kind == Fault.Kind.REWARD_NAN && !scores.isEmpty()) {
      scores.set(0, Double.NaN);
    }
    if (kind == Fault.Kind.REWARD_TOO_FEW && !scores.isEmpty()) {
      scores.remove(scores.size() - 1);
    }
    server.simulate(rec.path(), server.rewardLatencyNanos()
        + pairs.size() * server.rewardItemDelayNanos() + extraDelayNanos);
    String path = rec.path();
    if (tei) {
      return Reply.ok(OpenAiJson.write(teiBody(scores, batch)));
    }
    return Reply.ok(OpenAiJson.write(vllmBody(rec, scores, pairs,
        path.equals(SimulatedOpenAiServer.CLASSIFY_PATH))));
  }

  private static Pair messagesPair(JsonNode messages) {
    String query = "";
    String response = "";
    for (JsonNode m : messages) {
      String role = m.path("role").asText("");
      String text = ChatEndpoint.contentText(m.path("content"));
      if (role.equals("user")) {
        query = text;
      } else if (role.equals("assistant")) {
        response = text;
      }
    }
    return new Pair(query, response);
  }

  /**
   * Reads TEI's {@code inputs}: a string; a pair {@code [a, b]}; or a batch of strings or pairs.
   * Like TEI, a two-string array is one pair. Returns whether it was a batch.
   */
  private static boolean teiPairs(JsonNode inputs, List<Pair> out) {
    if (inputs.isTextual()) {
      out.add(new Pair("", inputs.asText()));
      return false;
    }
    boolean allText = true;
    for (JsonNode i : inputs) {
      allText &= i.isTextual();
    }
    if (allText && inputs.size() == 2) {
      out.add(new Pair(inputs.get(0).asText(), inputs.get(1).asText()));
      return false;
    }
    for (JsonNode i : inputs) {
      if (i.isArray() && i.size() >= 2) {
        out.add(new Pair(i.get(0).asText(), i.get(1).asText()));
      } else if (i.isArray()) {
        out.add(new Pair("", i.path(0).asText("")));
      } else {
        out.add(new Pair("", i.asText()));
      }
    }
    return true;
  }

  private static JsonNode teiBody(List<Double> scores, boolean batch) {
    ArrayNode outer = OpenAiJson.NODES.arrayNode();
    for (double s : scores) {
      ArrayNode perInput = OpenAiJson.NODES.arrayNode();
      ObjectNode entry = perInput.addObject();
      entry.put("score", s);
      entry.put("label", "LABEL_0");
      if (!batch) {
        return perInput;
      }
      outer.add(perInput);
    }
    return outer;
  }

  private static JsonNode vllmBody(
      RecordedRequest rec, List<Double> scores, List<Pair> pairs, boolean classify) {
    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("id", (classify ? "classify-sim-" : "pool-sim-") + rec.sequence());
    root.put("object", "list");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", rec.json().path("model").asText("sim-reward"));
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < scores.size(); i++) {
      ObjectNode d = data.addObject();
      d.put("index", i);
      if (classify) {
        d.put("label", "LABEL_0");
        d.putArray("probs").add(scores.get(i));
        d.put("num_classes", 1);
      } else {
        d.put("object", "pooling");
        d.putArray("data").add(scores.get(i));
      }
    }
    long tokens = 0;
    for (Pair p : pairs) {
      tokens += ChatEndpoint.tokens(p.query()) + ChatEndpoint.tokens(p.response());
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    usage.put("completion_tokens", 0);
    return root;
  }
}
