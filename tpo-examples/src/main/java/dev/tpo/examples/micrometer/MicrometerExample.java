package dev.tpo.examples.micrometer;

import dev.tpo.Tpo;
import dev.tpo.TpoEnvironment;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.micrometer.MicrometerTpoListener;
import dev.tpo.micrometer.TpoMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One TPO run recorded with Micrometer: per-phase timers and token counters in a {@link
 * MeterRegistry}, and the run as an OpenTelemetry trace through Micrometer Tracing's bridge (each
 * phase a child span with GenAI attributes). In an application the registries come from Spring Boot
 * or your own set-up, and the spans go to an OTLP exporter instead of the console.
 *
 * <pre>
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * export TPO_REWARD=vllm+http://localhost:8001
 * java -cp tpo-examples.jar dev.tpo.examples.micrometer.MicrometerExample "How do I boil an egg?"
 * </pre>
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class MicrometerExample {
  private MicrometerExample() {}

  /**
   * Runs one prompt with metrics and tracing and prints both.
   *
   * @param policy the policy model
   * @param reward the reward scorer
   * @param prompt the prompt
   * @param out where to print the spans and the meters
   */
  public static void run(OpenAiCompatibleModel policy, RewardScorer reward, String prompt,
      PrintStream out) {
    MeterRegistry meters = new SimpleMeterRegistry();
    try (SdkTracerProvider traces = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(new PrintingExporter(out))).build()) {
      OtelCurrentTraceContext context = new OtelCurrentTraceContext();
      OtelTracer tracer = new OtelTracer(traces.get("tpo-example"), context, event -> { },
          new OtelBaggageManager(context, List.of(), List.of()));
      ObservationRegistry observations = ObservationRegistry.create();
      observations.observationConfig()
          .observationHandler(new DefaultTracingObservationHandler(tracer));

      Tpo tpo = Tpo.builder().policy(policy).scorer(reward).samples(4).iterations(2)
          .listener(MicrometerTpoListener.of(meters, observations))
          .build();
      tpo.optimize(prompt);
    }
    out.println("phase timers:");
    for (Timer timer : meters.find(TpoMetricNames.PHASE_DURATION).timers()) {
      out.printf(Locale.ROOT, "  %-9s %-24s %d calls %8.1f ms%n",
          timer.getId().getTag(TpoMetricNames.PHASE), timer.getId().getTag(TpoMetricNames.MODEL),
          timer.count(), timer.totalTime(TimeUnit.MILLISECONDS));
    }
    meters.find(TpoMetricNames.TOKENS).counters().forEach(c -> out.printf(Locale.ROOT,
        "  tokens %-9s %-6s %8.0f%n", c.getId().getTag(TpoMetricNames.PHASE),
        c.getId().getTag(TpoMetricNames.TOKEN_TYPE), c.count()));
  }

  /**
   * Entry point.
   *
   * @param args {@code [prompt]}
   */
  public static void main(String[] args) {
    String prompt = args.length > 0 ? args[0] : "How do I boil an egg?";
    try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
        .baseUrl(env(TpoEnvironment.BASE_URL, "http://localhost:8000/v1"))
        .model(env(TpoEnvironment.MODEL, "Qwen/Qwen2.5-7B-Instruct"))
        .apiKey(System.getenv(TpoEnvironment.API_KEY))
        .build()) {
      RewardScorer reward = RewardScorers.fromSpec(
          env(TpoEnvironment.REWARD, "vllm+http://localhost:8001"),
          RewardScorerContext.DEFAULT.withJudgeModel(policy));
      run(policy, reward, prompt, System.out);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Prints each finished span on one line: name, duration, model and tokens. */
  private static final class PrintingExporter implements SpanExporter {
    private final PrintStream out;

    PrintingExporter(PrintStream out) {
      this.out = out;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      for (SpanData s : spans) {
        out.printf(Locale.ROOT, "span %-14s %7.1f ms  trace %s  model=%s in=%s out=%s%n",
            s.getName(), (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6, s.getTraceId(),
            s.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")),
            s.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.input_tokens")),
            s.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.output_tokens")));
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
