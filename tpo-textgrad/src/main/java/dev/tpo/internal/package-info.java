/**
 * Internals of the TPO loop, not an API: the interceptors a run puts around its models ({@link
 * dev.tpo.internal.SettingsDefaults}, {@link dev.tpo.internal.ContextFit}) and the failure the
 * context check raises. Used only by {@code dev.tpo}; may change in any release.
 */
package dev.tpo.internal;
