package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedRewardTest {
  private SimulatedOpenAiServer server;
  private SimHttp http;

  @BeforeEach
  void start() {
    server = SimulatedOpenAiServer.builder()
        .rewardFunction((q, r) -> q.length() * 100 + r.length()).start();
    http = new SimHttp(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void poolingScoresTheChatPairInVllmShape() throws Exception {
    HttpResponse<String> r = http.post(SimulatedOpenAiServer.POOLING_PATH,
        "{\"model\":\"sim-reward\",\"messages\":[{\"role\":\"user\",\"content\":\"ab\"},"
            + "{\"role\":\"assistant\",\"content\":\"xyz\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = SimHttp.json(r);
    assertThat(j.path("object").asText()).isEqualTo("list");
    assertThat(j.path("data")).hasSize(1);
    assertThat(j.at("/data/0/index").asInt()).isZero();
    assertThat(j.at("/data/0/data/0").asDouble()).isEqualTo(203.0);
  }

  @Test
  void classifyScoresOneOrManyInputsInVllmShape() throws Exception {
    JsonNode one = SimHttp.json(http.post(SimulatedOpenAiServer.CLASSIFY_PATH,
        "{\"model\":\"sim-reward\",\"input\":\"abcd\"}"));
    JsonNode many = SimHttp.json(http.post(SimulatedOpenAiServer.CLASSIFY_PATH,
        "{\"model\":\"sim-reward\",\"input\":[\"a\",\"abc\",\"ab\"]}"));
    assertThat(one.at("/data/0/probs/0").asDouble()).isEqualTo(4.0);
    assertThat(one.at("/data/0/num_classes").asInt()).isEqualTo(1);
    assertThat(one.at("/data/0/label").asText()).isEqualTo("LABEL_0");
    assertThat(many.path("data")).hasSize(3);
    assertThat(many.findValues("index")).extracting(JsonNode::asInt).containsExactly(0, 1, 2);
    assertThat(many.at("/data/1/probs/0").asDouble()).isEqualTo(3.0);
  }

  @Test
  void predictAnswersSinglePairAndBatchLikeTextEmbeddingsInference() throws Exception {
    JsonNode single = SimHttp.json(http.post(SimulatedOpenAiServer.PREDICT_PATH,
        "{\"inputs\":\"abcde\",\"raw_scores\":true}"));
    JsonNode pair = SimHttp.json(http.post(SimulatedOpenAiServer.PREDICT_PATH,
        "{\"inputs\":[\"q\",\"resp\"]}"));
    JsonNode batch = SimHttp.json(http.post(SimulatedOpenAiServer.PREDICT_PATH,
        "{\"inputs\":[[\"q\",\"r1\"],[\"q\",\"r22\"],[\"q\",\"r333\"]]}"));
    assertThat(single.isArray()).isTrue();
    assertThat(single.at("/0/score").asDouble()).isEqualTo(5.0);
    assertThat(single.at("/0/label").asText()).isEqualTo("LABEL_0");
    assertThat(pair.at("/0/score").asDouble()).isEqualTo(104.0);
    assertThat(batch).hasSize(3);
    assertThat(batch.at("/2/0/score").asDouble()).isEqualTo(104.0);
    assertThat(batch.at("/0/0/score").asDouble()).isEqualTo(102.0);
  }

  @Test
  void unknownRewardModelAnswers404AndMissingInputAnswers4xx() throws Exception {
    assertThat(http.post(SimulatedOpenAiServer.POOLING_PATH,
        "{\"model\":\"other\",\"input\":\"x\"}").statusCode()).isEqualTo(404);
    assertThat(http.post(SimulatedOpenAiServer.POOLING_PATH, "{\"model\":\"sim-reward\"}")
        .statusCode()).isEqualTo(400);
    assertThat(http.post(SimulatedOpenAiServer.PREDICT_PATH, "{}").statusCode()).isEqualTo(422);
  }

  @Test
  void defaultScoringIsDeterministicAndSpreadOut() {
    RewardFunction f = RewardFunction.hashOfResponse();
    double a = f.score("q", "answer one");
    assertThat(f.score("q", "answer one")).isEqualTo(a);
    assertThat(f.score("q", "answer two")).isNotEqualTo(a);
    assertThat(a).isBetween(-10.0, 10.0);
    assertThat(RewardFunction.byLength().score("q", "x".repeat(250))).isCloseTo(2.5, within(1e-9));
  }
}
