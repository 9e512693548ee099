/**
 * Building blocks shared by the HTTP adapters: the settings every HTTP client's builder takes
 * ({@link dev.tpo.adapter.http.HttpClientBuilder}: URL, API key, time limit), a non-blocking limit
 * on requests in flight, the map from HTTP status codes to the {@code dev.tpo.core.error}
 * hierarchy, credential redaction, readable JSON parse errors, one bounded pool of JSON buffers
 * ({@link dev.tpo.adapter.http.JsonBuffers}), and unwrapping of future failures. Used by {@code
 * dev.tpo.adapter.openai} and {@code dev.tpo.adapter.reward}; not meant as a general-purpose API.
 */
package dev.tpo.adapter.http;
