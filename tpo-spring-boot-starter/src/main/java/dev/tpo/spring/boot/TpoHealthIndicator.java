package dev.tpo.spring.boot;

import dev.tpo.adapter.openai.ModelProbe;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.model.LanguageModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Actuator health of TPO's endpoints (the {@code tpo} component of {@code /actuator/health}):
 * <ul>
 *   <li>{@code policy}: the auto-configured policy's server lists its models ({@code GET
 *       /v1/models}) and serves {@code tpo.policy.model}; a policy the application defined itself
 *       is not checked;
 *   <li>{@code reward}: the server of an HTTP reward spec ({@code vllm+http://...}, {@code
 *       tei+http://...}) answers at all; other specs ({@code judge}, {@code djl:}) need no server
 *       of their own.
 * </ul>
 * Down when any checked endpoint is. Details name the URLs, the model and the failure, never a
 * credential.
 *
 * <p>Thread-safe. Holds one HTTP client for the model list; Spring closes it with the context.
 */
public class TpoHealthIndicator implements HealthIndicator, DisposableBean {
  private final ModelProbe probe;
  private final String model;
  private final String apiRoot;
  private final URI reward;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * Creates the indicator; does no I/O.
   *
   * @param properties the {@code tpo.*} properties
   * @param policy the policy model bean
   * @param timeout the time limit of each check
   */
  public TpoHealthIndicator(TpoProperties properties, LanguageModel policy, Duration timeout) {
    this.timeout = timeout;
    if (policy instanceof OpenAiCompatibleModel && properties.policy().model() != null) {
      OpenAiCompatibleModel openAi = (OpenAiCompatibleModel) policy;
      this.model = openAi.model();
      this.apiRoot = openAi.apiRoot();
      this.probe = ModelProbe.builder().baseUrl(apiRoot).apiKey(properties.policy().apiKey())
          .timeout(timeout).build();
    } else {
      this.model = null;
      this.apiRoot = null;
      this.probe = null;
    }
    this.reward = rewardUrl(properties.reward().spec());
    this.http = reward == null ? null
        : HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The server URL of an HTTP reward spec, or null for specs without one. */
  static URI rewardUrl(String spec) {
    if (spec == null) {
      return null;
    }
    String s = spec.trim();
    int plus = s.indexOf('+');
    String rest = plus < 0 ? "" : s.substring(plus + 1);
    String lower = rest.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return null;
    }
    int query = rest.indexOf('?');
    try {
      return URI.create(query < 0 ? rest : rest.substring(0, query));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public Health health() {
    Map<String, Object> policyDetail = new LinkedHashMap<>();
    Map<String, Object> rewardDetail = new LinkedHashMap<>();
    boolean up = checkPolicy(policyDetail) & checkReward(rewardDetail);
    return Health.status(up ? Status.UP : Status.DOWN)
        .withDetail("policy", policyDetail).withDetail("reward", rewardDetail).build();
  }

  private boolean checkPolicy(Map<String, Object> detail) {
    if (probe == null) {
      detail.put("status", "not checked (an application-defined LanguageModel)");
      return true;
    }
    detail.put("url", apiRoot);
    detail.put("model", model);
    try {
      probe.requireModel(model);
      detail.put("status", Status.UP.getCode());
      return true;
    } catch (TpoException e) {
      detail.put("status", Status.DOWN.getCode());
      detail.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
  }

  private boolean checkReward(Map<String, Object> detail) {
    if (reward == null) {
      detail.put("status", "not checked (no reward server of its own)");
      return true;
    }
    detail.put("url", reward.toString());
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(reward).timeout(timeout)
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      detail.put("status", Status.UP.getCode());
      detail.put("httpStatus", response.statusCode());
      return true;
    } catch (IOException e) {
      detail.put("status", Status.DOWN.getCode());
      detail.put("error", "no server answers at " + reward + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      detail.put("status", Status.UNKNOWN.getCode());
      return false;
    }
  }

  /** Closes the model-list client. */
  @Override
  public void destroy() {
    if (probe != null) {
      probe.close();
    }
  }

  @Override
  public String toString() {
    return "TpoHealthIndicator{policy=" + apiRoot + ", reward=" + reward + "}";
  }
}
