/**
 * The unchecked exception hierarchy of tpo-java. {@link dev.tpo.core.error.TpoException#isRetryable()}
 * says whether a retry may help; HTTP error responses share one base that keeps the status code
 * and the raw body.
 *
 * <pre>
 * TpoException                        isRetryable()
 * ├── HttpStatusException             statusCode(), responseBody()
 * │   ├── RateLimitedException        HTTP 429, keeps Retry-After          yes
 * │   ├── ServerErrorException        HTTP 5xx (and 408, 409)              yes
 * │   ├── BadRequestException         HTTP 400/422                         no
 * │   ├── AuthenticationException     HTTP 401/403                         no
 * │   └── ModelNotFoundException      HTTP 404 or unknown model name       no
 * ├── RetryableException              (a retry may help)                   yes
 * │   └── ConnectionFailedException   refused, reset, timeout, truncated body
 * └── NonRetryableException           (it will not)                        no
 *     ├── MalformedResponseException  unusable server/model output, keeps the raw text
 *     ├── ConfigurationException      bad builder field or argument
 *     ├── RewardScoringException      scorer contract violated
 *     └── AutogradException           graph rule violated
 * </pre>
 *
 * <p>{@link dev.tpo.core.error.Futures} unwraps and rethrows the failures of futures.
 */
package dev.tpo.core.error;
