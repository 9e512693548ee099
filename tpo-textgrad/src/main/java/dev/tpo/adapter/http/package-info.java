/**
 * Building blocks shared by the HTTP adapters: a non-blocking limit on requests in flight, the map
 * from HTTP status codes to the {@code dev.tpo.core.error} hierarchy, and credential redaction.
 * Used by {@code dev.tpo.adapter.openai} and {@code dev.tpo.adapter.reward}; not meant as a
 * general-purpose API.
 */
package dev.tpo.adapter.http;
