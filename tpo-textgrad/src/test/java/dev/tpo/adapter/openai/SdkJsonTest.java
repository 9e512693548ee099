package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request writer without the SDK's Kotlin module ({@link SdkJson}, issue 21) writes, byte for
 * byte, what the SDK's own mapper writes for every field {@link ChatWire} sets; so an SDK upgrade
 * that changes how its request classes are written fails here, not on a server.
 */
class SdkJsonTest {

  static Stream<ChatRequest> requests() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("enable_thinking", false);
    nested.put("list", List.of(1, 2.5, "three", Map.of("k", "v")));
    nested.put("none", null);
    return Stream.of(
        ChatRequest.builder().user("Why is the sky blue?").build(),
        ChatRequest.builder().system("You are concise.").user("Why is the sky blue?").n(4)
            .temperature(0.7).topP(0.95).maxTokens(256).seed(42L)
            .stop(List.of("</answer>", "<SEP>")).build(),
        ChatRequest.builder().messages(List.of(ChatMessage.system("s <SEP> \"q\" \\ \n\t"),
            ChatMessage.user("ünïcödé 日本語 \u2028 emoji \uD83D\uDE00"),
            ChatMessage.assistant("an earlier answer"), ChatMessage.user("<|im_end|> ### \u0000")))
            .n(1).temperature(0.0).build(),
        ChatRequest.builder().user("extra").n(8).putExtraBody("top_k", 40)
            .putExtraBody("min_p", 0.05).putExtraBody("chat_template_kwargs", nested)
            .putExtraBody("ids", Arrays.asList(1L, Long.MAX_VALUE)).build(),
        ChatRequest.builder().user("edge values").n(2).temperature(1e-9).topP(1.0)
            .maxTokens(Integer.MAX_VALUE).seed(Long.MIN_VALUE).stop(List.of("", "\u0001"))
            .build());
  }

  @ParameterizedTest
  @MethodSource("requests")
  void writesTheSameBytesAsTheSdksOwnMapper(ChatRequest request) throws Exception {
    Map<String, Object> defaults = Map.of("repetition_penalty", 1.1);
    var body = ChatWire.params("policy-model", request, defaults)._body();

    String sdk = ObjectMappers.jsonMapper().writeValueAsString(body);
    String lean = SdkJson.requests().writeValueAsString(body);

    assertThat(lean).isEqualTo(sdk);
    assertThat(lean).contains("\"model\":\"policy-model\"", "\"messages\":[");
  }

  @ParameterizedTest
  @MethodSource("requests")
  void theBodyWrittenDirectlyIsTheSdksBodyByteForByte(ChatRequest request) throws Exception {
    for (Map<String, Object> defaults : List.<Map<String, Object>>of(Map.of(),
        Map.of("repetition_penalty", 1.1))) {
      var body = ChatWire.params("policy-model", request, defaults)._body();

      // as the SDK writes a JSON body: to bytes (characters outside the BMP escaped)
      String sdk = new String(ObjectMappers.jsonMapper().writeValueAsBytes(body),
          StandardCharsets.UTF_8);
      String direct = new String(ChatWire.body("policy-model", request, defaults),
          StandardCharsets.UTF_8);

      assertThat(direct).isEqualTo(sdk);
    }
  }

  @Test
  void writesAnErrorBodyAsTheSdkDoes() throws Exception {
    JsonValue error = JsonValue.from(Map.of("error", Map.of("message", "n must be 1",
        "param", "n", "code", 400)));

    assertThat(SdkJson.requests().writeValueAsString(error))
        .isEqualTo(ObjectMappers.jsonMapper().writeValueAsString(error));
  }

  @Test
  void preloadLeavesTheSharedMapperWritingRequests() throws Exception {
    OpenAiCompatibleModel.preload();

    var body = ChatWire.params("m", ChatRequest.builder().user("hi").build(), Map.of())._body();
    assertThat(SdkJson.requests().writeValueAsString(body))
        .isEqualTo("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"m\",\"n\":1}");
  }
}
