package dev.tpo.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.simulator.SimulatedOpenAiServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Through Micrometer Tracing's OpenTelemetry bridge a run becomes one trace; no secret leaks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenTelemetryTraceTest {
  private static final String SECRET = "sk-tpo-test-SECRET-7f3a9c";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private SdkTracerProvider provider;
  private ObservationRegistry observations;

  @BeforeEach
  void tracing() {
    provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
        .build();
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(provider.get("tpo-test"), context, event -> { },
        new OtelBaggageManager(context, List.of(), List.of()));
    observations = ObservationRegistry.create();
    observations.observationConfig()
        .observationHandler(new DefaultTracingObservationHandler(tracer));
  }

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void aRunIsOneTraceWithAChildSpanPerPhaseAndGenAiAttributes() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      TpoResult result = Tpo.builder().policy(policy).scorer(FakeRewardScorer.byLength())
          .samples(2).iterations(2)
          .listener(MicrometerTpoListener.of(new SimpleMeterRegistry(), observations))
          .build().optimize("q");

      List<SpanData> finished = spans.getFinishedSpanItems();
      assertThat(finished).hasSize(11);
      SpanData run = finished.stream().filter(s -> s.getName().equals("tpo.run")).findFirst()
          .orElseThrow();
      assertThat(finished).allSatisfy(s ->
          assertThat(s.getTraceId()).isEqualTo(run.getTraceId()));
      List<SpanData> phases = finished.stream().filter(s -> s != run).toList();
      assertThat(phases).allSatisfy(s ->
          assertThat(s.getParentSpanId()).isEqualTo(run.getSpanId()));
      assertThat(phases).extracting(SpanData::getName).containsExactly("tpo sampling",
          "tpo scoring", "tpo loss", "tpo gradient", "tpo update", "tpo scoring", "tpo loss",
          "tpo gradient", "tpo update", "tpo scoring");
      assertThat(run.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
          .isEqualTo("sim-model");
      assertThat(run.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.input_tokens")))
          .isEqualTo(Long.toString(result.usage().promptTokens()));
      SpanData sampling = phases.get(0);
      assertThat(sampling.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
          .isEqualTo("chat");
      assertThat(sampling.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.output_tokens")))
          .isEqualTo(Long.toString(result.sampling().usage().completionTokens()));
    }
  }

  @Test
  void aFailedRunLeaksTheApiKeyIntoNoSpanMeterOrLog() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
            .requireApiKey("the-right-key").start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").apiKey(SECRET).maxRetries(0)
            .build()) {
      PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
      System.setErr(capture);
      System.setOut(capture);
      Tpo tpo = Tpo.builder().policy(policy).scorer(FakeRewardScorer.byLength()).samples(2)
          .iterations(1).listener(MicrometerTpoListener.of(meters, observations)).build();
      assertThatThrownBy(() -> tpo.optimize("q")).isInstanceOf(AuthenticationException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(2);
    assertThat(finished.get(1).getEvents()).isNotEmpty(); // the exception event of the run
    StringBuilder everything = new StringBuilder(logs.toString(StandardCharsets.UTF_8));
    for (SpanData span : finished) {
      everything.append(span.getName()).append(span.getAttributes()).append(span.getStatus());
      span.getEvents().forEach(e -> everything.append(e.getName()).append(e.getAttributes()));
    }
    for (Meter meter : meters.getMeters()) {
      everything.append(meter.getId());
    }
    assertThat(everything.toString())
        .contains(AuthenticationException.class.getName())
        .doesNotContain(SECRET)
        .doesNotContain(SECRET.substring(SECRET.length() - 8));
  }
}
