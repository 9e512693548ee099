package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import dev.tpo.core.model.ChatRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter sends plain chat requests through the SDK's retrying client, not its chat service
 * (issue 21, see {@link ChatSender}): the server must see the same request either way.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatSenderParityTest {
  private static final String KEY = "sk-parity-7d1e";

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void theServerSeesWhatTheSdksChatServiceSends() throws Exception {
    ChatRequest request = ChatRequest.builder().system("Be brief.").user("Why <SEP> is é?")
        .n(3).temperature(0.7).topP(0.95).maxTokens(64).seed(11L).stop(List.of("\n\n"))
        .putExtraBody("min_p", 0.1).build();
    Map<String, Object> defaults = Map.of("top_k", 20);
    server.enqueue(ChatJson.completion(List.of("a", "b", "c"), 5, 3));
    server.enqueue(ChatJson.completion(List.of("a", "b", "c"), 5, 3));

    OpenAIClientAsync sdk = OpenAIOkHttpClientAsync.builder()
        .baseUrl(server.url("/v1").toString()).apiKey(KEY).disableTelemetry(true)
        .putHeader("X-Tenant", "team-a").build();
    try (HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse()
        .create(ChatWire.params("m", request, defaults)).get(10, TimeUnit.SECONDS)) {
      assertThat(raw.statusCode()).isEqualTo(200);
    } finally {
      sdk.close();
    }
    RecordedRequest viaService = server.takeRequest(5, TimeUnit.SECONDS);

    try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
        .baseUrl(server.url("/v1").toString()).apiKey(KEY).model("m")
        .putExtraBody("top_k", 20).putHeader("X-Tenant", "team-a").build()) {
      assertThat(model.chat(request).texts()).containsExactly("a", "b", "c");
    }
    RecordedRequest ours = server.takeRequest(5, TimeUnit.SECONDS);

    assertThat(ours.getMethod()).isEqualTo(viaService.getMethod()).isEqualTo("POST");
    assertThat(ours.getPath()).isEqualTo(viaService.getPath()).isEqualTo("/v1/chat/completions");
    assertThat(ours.getBody().readUtf8()).isEqualTo(viaService.getBody().readUtf8());
    for (String header : List.of("Authorization", "X-Tenant", "Content-Length")) {
      assertThat(ours.getHeader(header)).as(header).isEqualTo(viaService.getHeader(header))
          .isNotNull();
    }
    assertThat(ours.getHeader("Content-Type")).startsWith("application/json");
    assertThat(viaService.getHeader("Content-Type")).startsWith("application/json");
  }

  @Test
  void noKeyMeansNoAuthorizationHeader() throws Exception {
    server.enqueue(ChatJson.completion(List.of("a"), 1, 1));
    try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
        .baseUrl(server.url("/v1").toString()).model("m").build()) {
      model.chat(ChatRequest.builder().user("hi").build());
    }
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeader("Authorization")).isNull();
    assertThat(sent.getPath()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void preloadSendsNothingAndIsRepeatable() {
    OpenAiCompatibleModel.preload();
    OpenAiCompatibleModel.preload();
    assertThat(server.getRequestCount()).isZero();
  }
}
