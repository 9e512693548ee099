package dev.tpo.adapter.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tpo.adapter.http.JsonBuffers;
import java.util.List;
import java.util.Map;

/**
 * The JSON mapper the policy adapter gives the OpenAI SDK for writing request bodies: the SDK's
 * own settings ({@code com.openai.core.ObjectMappers}: its datatype modules, {@code NON_ABSENT},
 * only annotated properties) without its Jackson-Kotlin module.
 *
 * <p>Why (issue 21): the SDK's request classes carry every JSON name in Jackson annotations, so
 * writing them needs no Kotlin reflection; but the SDK's mapper consults the Kotlin module for
 * each new class, and its first use loads about 1,100 {@code kotlin.reflect} classes and parses
 * the Kotlin metadata: about 0.5 s of a command's start on the way to its first chat request
 * (0.08 s with this mapper, the same bytes written). {@code SdkJsonTest} checks byte for byte
 * that this mapper writes what the SDK's own writes, for every field {@link ChatWire} sets, so an
 * SDK upgrade that changes its settings fails a test rather than a request.
 *
 * <p>Only for writing: the SDK parses streamed chunks with the mapper of its client, so {@link
 * ChatStreamer} keeps the SDK's own (streaming is opt-in). Non-streamed answers are read by {@link
 * ChatWire}, not the SDK.
 *
 * <p>Thread-safe: one configured mapper, shared.
 */
final class SdkJson {
  private static final JsonMapper REQUESTS = JsonMapper.builder(JsonBuffers.factory())
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .serializationInclusion(JsonInclude.Include.NON_ABSENT)
      .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE,
          SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
          SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(MapperFeature.AUTO_DETECT_CREATORS, MapperFeature.AUTO_DETECT_FIELDS,
          MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS,
          MapperFeature.AUTO_DETECT_SETTERS)
      .build();

  private SdkJson() {}

  /**
   * The mapper for request bodies.
   *
   * @return the shared mapper
   */
  static JsonMapper requests() {
    return REQUESTS;
  }

  /**
   * Does, on the calling thread, the one-time work of the SDK's first chat request that does not
   * send anything: writes a small request body with the shared mapper (loading Jackson and the
   * SDK's request classes, caching their serializers). A caller may run it on a spare thread at
   * start-up; the first request then finds it done.
   *
   * @return the body written
   */
  @SuppressWarnings("deprecation") // max_tokens: as ChatWire sends it
  static byte[] preload() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m")
        .addSystemMessage("s").addUserMessage("u").addAssistantMessage("a").n(1L)
        .temperature(1.0).topP(1.0).maxTokens(1L).seed(1L).stopOfStrings(List.of("x"))
        .putAdditionalBodyProperty("x", JsonValue.from(Map.of("k", List.of(1))))
        .build();
    try {
      return REQUESTS.writeValueAsBytes(params._body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a chat request: " + e.getMessage(), e);
    }
  }
}
