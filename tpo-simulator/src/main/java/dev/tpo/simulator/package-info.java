/**
 * Test fixtures shipped in tpo-textgrad's test-jar: {@link dev.tpo.simulator.SimulatedOpenAiServer},
 * a real loopback HTTP server that speaks the OpenAI chat-completions protocol and the reward
 * endpoints of vLLM ({@code /pooling}, {@code /classify}) and text-embeddings-inference
 * ({@code /predict}), with settable latency, deterministic answers and scores, counters, and
 * scriptable fault injection ({@link dev.tpo.simulator.Fault}). Tests, the reliability suite, the CLI's
 * end-to-end test and the benchmarks all run against it.
 */
package dev.tpo.simulator;
