/**
 * Hugging Face hub files for in-process models: the {@code hf:} spec ({@link
 * dev.tpo.llamacpp.hub.HfFile}), the cache layout ({@link dev.tpo.llamacpp.hub.ModelCache}) and
 * the resumable, verified, locked download ({@link dev.tpo.llamacpp.hub.HubDownloader}).
 */
package dev.tpo.llamacpp.hub;
