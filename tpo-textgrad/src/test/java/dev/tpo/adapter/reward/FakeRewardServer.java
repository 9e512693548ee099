package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.CountingDispatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that answers like a vLLM pooling server or a text-embeddings-inference
 * server, in the response shape of a chosen version. Scores are a deterministic function of the
 * response text ({@link #reward(String)}); the response text {@code "NAN"} scores NaN and {@code
 * "MISSING"} is left out of the answer. Batch answers of vLLM come in reverse order (the index says
 * where each belongs).
 */
final class FakeRewardServer extends CountingDispatcher<FakeRewardServer> {
  /** The answer shape to produce. */
  enum Shape {
    /** /pooling as in vLLM 0.8-0.10: {@code data:[x]}. */
    POOLING_LIST,
    /** /pooling with a bare number: {@code data:x}. */
    POOLING_SCALAR,
    /** /pooling of a token reward model: {@code data:[[x0],[x1],[x]]}. */
    POOLING_TOKENS,
    /** /classify of current vLLM: {@code probs:[x]} (raw logits with use_activation:false). */
    CLASSIFY_PROBS,
    /** /classify of other versions: {@code logits:[x]}. */
    CLASSIFY_LOGITS,
    /** text-embeddings-inference /predict: {@code [[{score,label}], ...]}. */
    TEI
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Shape shape;

  FakeRewardServer(Shape shape) {
    this.shape = shape;
  }

  /** The score the fake model gives a response text. */
  static double reward(String response) {
    double s = response.length() / 10.0 - 2.0;
    if (response.contains("blue")) {
      s += 1.5;
    }
    if (response.contains("green")) {
      s -= 3.0;
    }
    return s;
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    try {
      JsonNode body = MAPPER.readTree(request.getBody().clone().readUtf8());
      String answer;
      switch (shape) {
        case POOLING_LIST:
        case POOLING_SCALAR:
        case POOLING_TOKENS:
          answer = pooling(body.path("messages").get(1).path("content").asText());
          break;
        case TEI:
          answer = tei(body.path("inputs"));
          break;
        default:
          answer = classify(body.path("input"));
          break;
      }
      return new MockResponse().setHeader("Content-Type", "application/json").setBody(answer);
    } catch (IOException e) {
      return new MockResponse().setResponseCode(400).setBody(e.toString());
    }
  }

  private String value(String text) {
    return text.equals("NAN") ? "NaN" : Double.toString(reward(text));
  }

  private String pooling(String response) {
    if (response.equals("MISSING")) {
      return "{\"id\":\"pool-1\",\"object\":\"list\",\"data\":[],\"usage\":{}}";
    }
    String v = value(response);
    String data;
    if (shape == Shape.POOLING_LIST) {
      data = "[" + v + "]";
    } else if (shape == Shape.POOLING_SCALAR) {
      data = v;
    } else {
      data = "[[0.25],[-1.5],[" + v + "]]";
    }
    return "{\"id\":\"pool-1\",\"object\":\"list\",\"created\":1,\"model\":\"rm\",\"data\":"
        + "[{\"index\":0,\"object\":\"pooling\",\"data\":" + data + "}],"
        + "\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}";
  }

  private String classify(JsonNode inputs) {
    List<String> items = new ArrayList<>();
    for (int i = inputs.size() - 1; i >= 0; i--) {
      String text = inputs.get(i).asText();
      String response = text.substring(text.indexOf("Assistant: ") + "Assistant: ".length());
      if (response.equals("MISSING")) {
        continue;
      }
      String field = shape == Shape.CLASSIFY_PROBS ? "probs" : "logits";
      items.add("{\"index\":" + i + ",\"label\":\"LABEL_0\",\"" + field + "\":["
          + value(response) + "],\"num_classes\":1}");
    }
    return "{\"id\":\"classify-1\",\"object\":\"list\",\"created\":1,\"model\":\"rm\",\"data\":["
        + String.join(",", items) + "],\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}";
  }

  private String tei(JsonNode inputs) {
    ArrayNode out = MAPPER.createArrayNode();
    for (JsonNode pair : inputs) {
      String response = pair.get(1).asText();
      ArrayNode predictions = out.addArray();
      if (response.equals("MISSING")) {
        continue;
      }
      ObjectNode p = predictions.addObject();
      if (response.equals("NAN")) {
        p.putNull("score");
      } else {
        p.put("score", reward(response));
      }
      p.put("label", "LABEL_0");
    }
    return out.toString();
  }
}
