package dev.tpo.adapter.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tpo.adapter.http.JsonBuffers;

/**
 * The JSON mapper with the OpenAI SDK's own settings ({@code com.openai.core.ObjectMappers}: its
 * datatype modules, {@code NON_ABSENT}, only annotated properties) without its Jackson-Kotlin
 * module, for the SDK's values the policy adapter writes: extra body values ({@code JsonValue},
 * in {@link ChatWire#body}) and error bodies ({@link SdkFailures}).
 *
 * <p>Why without the Kotlin module (issue 21): the SDK's mapper consults it for each new class,
 * and its first use loads about 1,100 {@code kotlin.reflect} classes and parses the Kotlin
 * metadata, about 0.5 s of a command's start. {@code SdkJsonTest} checks byte for byte that this
 * mapper writes what the SDK's own writes, for the SDK's request body with every field {@link
 * ChatWire} sets and for error bodies, so an SDK upgrade that changes its settings fails a test
 * rather than a request.
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
}
