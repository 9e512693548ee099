/**
 * The one many-prompt runner ({@link dev.tpo.loop.BatchRunner}): behind {@link
 * dev.tpo.Tpo#optimizeAll} and {@code tpo run}, with prompt-level retries. Generic: it imports
 * nothing of {@code dev.tpo}. The loop of one run is {@code dev.tpo.TpoLoop}, one file; its
 * interceptors are in {@code dev.tpo.internal}.
 */
package dev.tpo.loop;
