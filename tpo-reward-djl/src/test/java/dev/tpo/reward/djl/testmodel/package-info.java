/**
 * A small real reward model for tests and benchmarks, written as ONNX protobuf from plain Java
 * together with the real MiniLM {@code tokenizer.json}; see {@link
 * dev.tpo.reward.djl.testmodel.TinyRewardModel}.
 */
package dev.tpo.reward.djl.testmodel;
