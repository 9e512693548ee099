/**
 * Model calls as records: {@link dev.tpo.core.call.CallTag} (the phase and round a request
 * carries as a tag), {@link dev.tpo.core.call.CallRecord} (the one record of a request and its
 * response) and {@link dev.tpo.core.call.CallRecorder} (the recording {@link
 * dev.tpo.core.model.ModelInterceptor}). Depends on {@code model} and {@code event}; neither
 * depends on it.
 */
package dev.tpo.core.call;
