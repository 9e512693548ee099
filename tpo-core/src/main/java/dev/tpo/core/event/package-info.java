/**
 * Run events and the {@link dev.tpo.core.event.TpoListener} that receives them (no-op defaults,
 * a {@code NONE} instance, composition and a never-throwing wrapper).
 */
package dev.tpo.core.event;
