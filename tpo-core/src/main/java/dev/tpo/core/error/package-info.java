/**
 * The unchecked exception hierarchy of tpo-java.
 *
 * <pre>
 * TpoException
 * ├── RetryableException            (a retry may help)
 * │   ├── RateLimitedException      HTTP 429, keeps Retry-After
 * │   ├── ServerErrorException      HTTP 5xx
 * │   └── ConnectionFailedException refused, reset, timeout, truncated body
 * └── NonRetryableException         (it will not)
 *     ├── BadRequestException       HTTP 400/422
 *     ├── AuthenticationException   HTTP 401/403
 *     ├── ModelNotFoundException    HTTP 404 or unknown model name
 *     ├── MalformedResponseException unusable server/model output, keeps the raw text
 *     ├── ConfigurationException    bad builder field or argument
 *     ├── RewardScoringException    scorer contract violated
 *     └── AutogradException         graph rule violated
 * </pre>
 */
package dev.tpo.core.error;
