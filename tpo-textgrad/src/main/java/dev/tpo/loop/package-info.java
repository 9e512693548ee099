/**
 * What runs many TPO runs at once behind {@link dev.tpo.Tpo}: the batch runner of {@code
 * optimizeAll} and the default executor. The loop of one run is {@code dev.tpo.TpoLoop}, one file;
 * its interceptors are in {@code dev.tpo.internal}. Public only so that {@code dev.tpo} can use it;
 * not a stable API.
 */
package dev.tpo.loop;
