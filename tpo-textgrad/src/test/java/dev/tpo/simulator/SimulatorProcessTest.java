package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatorProcessTest {

  @Test
  void runsAsAStandaloneProcessAndIsControlledOverHttp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        SimulatedOpenAiServer.class.getName(), "--port", "0", "--latency-ms", "1",
        "--models", "m1,m2", "--n-mode", "honor", "--exit-on-stdin-eof"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("SimulatedOpenAiServer listening on http://127.0.0.1:");
      String base = line.substring(line.indexOf("http://"));
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(OpenAiJson.MAPPER.readTree(models.body()).findValuesAsText("id"))
          .containsExactly("m1", "m2");
      HttpResponse<String> config = client.send(HttpRequest.newBuilder(URI.create(base + "/sim/config"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":0,\"nMode\":\"ignore\"}"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(config.statusCode()).isEqualTo(200);
      HttpResponse<String> chat = client.send(
          HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
              .POST(HttpRequest.BodyPublishers.ofString(SimHttp.chatBody("m2", 4, "hi")))
              .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(OpenAiJson.MAPPER.readTree(chat.body()).path("choices")).hasSize(1);
      JsonNode stats = OpenAiJson.MAPPER.readTree(client.send(
          HttpRequest.newBuilder(URI.create(base + "/sim/stats")).timeout(Duration.ofSeconds(20))
              .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(stats.path("requests").asLong()).isEqualTo(2);
      assertThat(stats.at("/requestsByPath/~1v1~1chat~1completions").asLong()).isEqualTo(1);

      p.getOutputStream().close();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
