package dev.tpo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.adapter.http.JsonErrors;
import dev.tpo.core.error.MalformedResponseException;

/**
 * Writes and reads {@link TpoResult} as JSON with Jackson. Unknown fields are ignored when reading,
 * so files written by later versions still load.
 *
 * <p>Stateless; thread-safe (Jackson's mapper is thread-safe once configured).
 */
final class ResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonBuffers.factory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ResultJson() {}

  /**
   * Writes a result.
   *
   * @param result the result
   * @param pretty whether to indent
   * @return the JSON text
   */
  public static String write(TpoResult result, boolean pretty) {
    try {
      return pretty
          ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result)
          : MAPPER.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write TpoResult " + result.runId() + " as JSON", e);
    }
  }

  /**
   * Reads a result.
   *
   * @param json the JSON text
   * @return the result
   * @throws MalformedResponseException with the text when it is not a result
   */
  public static TpoResult read(String json) {
    try {
      return MAPPER.readValue(json, TpoResult.class);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(
          "the text is not a TpoResult written by TpoResult.toJson(): " + JsonErrors.describe(e),
          json, e);
    } catch (IllegalArgumentException e) {
      throw new MalformedResponseException(
          "the text is not a valid TpoResult: " + e.getMessage(), json, e);
    }
  }
}
