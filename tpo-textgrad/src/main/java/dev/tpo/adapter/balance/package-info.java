/**
 * Client-side balancing over several servers of the same model: {@link
 * dev.tpo.adapter.balance.BalancedLanguageModel} over OpenAI-compatible replicas (vLLM data
 * parallel, one server per GPU, several hosts) and {@link
 * dev.tpo.adapter.balance.BalancedRewardScorer} over reward servers. Each request goes to the
 * healthy endpoint with the fewest outstanding requests, under a per-endpoint concurrency cap; the
 * requests of one TPO run stay on one endpoint while it is healthy ({@link
 * dev.tpo.adapter.balance.RunAffinity}), so a server's prefix cache sees the whole run; an endpoint
 * that fails several times in a row (connection failures, 5xx) is taken out and probed back in
 * later (half-open); a request whose endpoint failed is sent again to another one, so no request is
 * lost. {@link dev.tpo.adapter.balance.EndpointStatus} shows each endpoint's load and state.
 */
package dev.tpo.adapter.balance;
