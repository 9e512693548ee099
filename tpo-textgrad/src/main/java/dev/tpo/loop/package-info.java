/**
 * Internals of the TPO loop behind {@link dev.tpo.Tpo}: one run ({@link dev.tpo.loop.TpoRun}), its
 * refinement rounds on the TextGrad engine, the cumulative pool, the recorder that tags every model
 * request with its phase (per-round records, per-phase usage and timing), the batch runner of
 * {@code optimizeAll} and the JSON form of results. Public only so that {@code dev.tpo} can use
 * it; not a stable API.
 */
package dev.tpo.loop;
