package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.adapter.http.MockHttp;
import dev.tpo.adapter.http.MockServerTest;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModelProbeTest extends MockServerTest {
  private static final String MODELS = "{\"object\":\"list\",\"data\":["
      + "{\"id\":\"Qwen/Qwen2.5-7B-Instruct\",\"object\":\"model\",\"created\":1,"
      + "\"owned_by\":\"vllm\",\"max_model_len\":32768},"
      + "{\"id\":\"llama3.1:8b\",\"object\":\"model\"}]}";

  private ModelProbe probe() {
    return ModelProbe.builder().baseUrl(server.url("/").toString()).apiKey("probe-key-91").build();
  }

  @Test
  void listsTheServedModels() throws Exception {
    server.enqueue(MockHttp.json(200, MODELS));
    try (ModelProbe p = probe()) {
      assertThat(p.models()).containsExactly("Qwen/Qwen2.5-7B-Instruct", "llama3.1:8b");
    }
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath()).isEqualTo("/v1/models");
  }

  @Test
  void confirmsAServedModelAndDefaultsToTheFirst() {
    server.enqueue(MockHttp.json(200, MODELS));
    server.enqueue(MockHttp.json(200, MODELS));
    try (ModelProbe p = probe()) {
      assertThat(p.requireModel("llama3.1:8b")).isEqualTo("llama3.1:8b");
      assertThat(p.defaultModel()).isEqualTo("Qwen/Qwen2.5-7B-Instruct");
    }
  }

  @Test
  void wrongModelNameListsTheServedNames() {
    server.enqueue(MockHttp.json(200, MODELS));
    try (ModelProbe p = probe()) {
      assertThatThrownBy(() -> p.requireModel("qwen-7b"))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("'qwen-7b'")
          .hasMessageContaining("Qwen/Qwen2.5-7B-Instruct, llama3.1:8b");
    }
  }

  @Test
  void unreachableServerSaysSoWithTheUrl() throws IOException {
    String url = server.url("/").toString();
    server.shutdown();
    try (ModelProbe p = ModelProbe.builder().baseUrl(url).timeout(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(p::models)
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining("no OpenAI-compatible server answers at " + url + "v1")
          .hasMessageContaining(url + "v1/models (connection refused")
          .hasMessageContaining("docs/servers.md");
    }
  }

  @Test
  void wrongKeyIsAnAuthenticationFailureWithoutTheKey() {
    server.enqueue(MockHttp.json(401, "{\"error\":\"bad key probe-key-91\"}"));
    try (ModelProbe p = probe()) {
      assertThatThrownBy(p::models)
          .isInstanceOf(AuthenticationException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("probe-key-91"));
    }
  }

  @Test
  void notAModelListIsMalformed() {
    server.enqueue(MockHttp.json(200, "<html>hello</html>"));
    try (ModelProbe p = probe()) {
      assertThatThrownBy(p::models)
          .isInstanceOfSatisfying(MalformedResponseException.class,
              e -> assertThat(e.rawText()).isEqualTo("<html>hello</html>"));
    }
  }

  @Test
  void resolveModelPicksTheOnlyModelOrChecksTheNamedOne() {
    server.enqueue(MockHttp.json(200, "{\"data\":[{\"id\":\"only\"}]}"));
    server.enqueue(MockHttp.json(200, MODELS));
    server.enqueue(MockHttp.json(200, MODELS));
    // the one-token request for the unlisted model: refused, so the model is not served
    server.enqueue(MockHttp.json(404, "{\"error\":{\"message\":\"model not found\"}}"));
    server.enqueue(MockHttp.json(200, MODELS));
    try (ModelProbe p = probe()) {
      assertThat(p.resolveModel(Optional.empty())).isEqualTo("only");
      assertThat(p.resolveModel(Optional.of("llama3.1:8b"))).isEqualTo("llama3.1:8b");
      assertThatThrownBy(() -> p.resolveModel(Optional.of("qwen-7b")))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("does not serve the model 'qwen-7b'");
      assertThatThrownBy(() -> p.resolveModel(Optional.empty()))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("several models [Qwen/Qwen2.5-7B-Instruct, llama3.1:8b]");
    }
  }

  @Test
  void resolveModelTrustsANamedModelWhenThereIsNoModelList() {
    server.enqueue(MockHttp.json(404, "{\"detail\":\"Not Found\"}"));
    server.enqueue(MockHttp.json(404, "{\"detail\":\"Not Found\"}"));
    server.enqueue(MockHttp.json(200, "{\"data\":[]}"));
    try (ModelProbe p = probe()) {
      assertThat(p.resolveModel(Optional.of("m"))).isEqualTo("m");
      assertThatThrownBy(() -> p.resolveModel(Optional.empty()))
          .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("ends in /v1");
      assertThatThrownBy(() -> p.resolveModel(Optional.empty()))
          .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("lists no model");
    }
  }
}
