/**
 * JMH benchmarks of the DJL reward scorer (CPU scoring throughput, batched against one by one).
 * Compiled with the tests but not run by them; {@code mvn -B -q -pl tpo-reward-djl -am
 * test-compile -Pbench} runs them.
 */
package dev.tpo.reward.djl.bench;
