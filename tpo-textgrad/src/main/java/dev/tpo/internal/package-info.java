/**
 * Internals behind {@link dev.tpo.Tpo}, not an API: the interceptors a run puts around its models
 * ({@link dev.tpo.internal.SettingsDefaults}, {@link dev.tpo.internal.ContextFit}), the failure the
 * context check raises, the generic many-items runner of {@code optimizeAll} ({@link
 * dev.tpo.loop.BatchRunner}) and the default executor. Nothing here imports {@code dev.tpo};
 * used only by {@code dev.tpo}; may change in any release.
 */
package dev.tpo.internal;
