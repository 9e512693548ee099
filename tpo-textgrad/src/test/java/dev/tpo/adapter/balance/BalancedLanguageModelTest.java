package dev.tpo.adapter.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.call.CallRecord;
import dev.tpo.RoundRecord;
import dev.tpo.Tpo;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The balanced model against several simulated OpenAI-compatible servers over loopback HTTP:
 * least-outstanding routing under the cap, run stickiness, ejection and the half-open return, and
 * no request lost when a server dies mid-batch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BalancedLanguageModelTest {
  private final List<SimulatedOpenAiServer> servers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    servers.forEach(SimulatedOpenAiServer::close);
  }

  private List<SimulatedOpenAiServer> start(int count, Duration latency) {
    for (int i = 0; i < count; i++) {
      servers.add(SimulatedOpenAiServer.builder().latency(latency).start());
    }
    return servers;
  }

  private BalancedLanguageModel.Builder balanced() {
    BalancedLanguageModel.Builder b = BalancedLanguageModel.builder();
    for (SimulatedOpenAiServer s : servers) {
      b.endpoint(OpenAiCompatibleModel.builder().baseUrl(s.openAiBaseUrl()).model("sim-model")
          .maxRetries(0).build());
    }
    return b;
  }

  private BalancedLanguageModel track(BalancedLanguageModel m) {
    closeables.add(m);
    return m;
  }

  /** One request per endpoint, so that the SDK's first-call class loading is behind us. */
  private static void warmUp(BalancedLanguageModel model, List<SimulatedOpenAiServer> servers) {
    for (int i = 0; i < servers.size(); i++) {
      int n = i;
      RunAffinity.call("warm-up-" + i, () -> model.chat(request(-1 - n)));
    }
    servers.forEach(SimulatedOpenAiServer::resetStats);
  }

  private static ChatRequest request(int i) {
    return ChatRequest.builder().user("question " + i).seed(7L).build();
  }

  private static long chats(SimulatedOpenAiServer s) {
    return s.stats().requests(SimulatedOpenAiServer.CHAT_PATH);
  }

  @Test
  void spreadsRunsOverTheLeastLoadedEndpointsUnderTheCap() {
    start(3, Duration.ofMillis(400));
    // a frozen clock: every endpoint's latency looks the same, so only the counts decide
    BalancedLanguageModel model = track(balanced().maxConcurrentPerEndpoint(4)
        .nanoTime(() -> 0L).build());
    warmUp(model, servers);

    List<CompletableFuture<ChatResponse>> all = IntStream.range(0, 24)
        .mapToObj(i -> RunAffinity.call("run-" + i, () -> model.chatAsync(request(i))))
        .toList();
    // 24 runs, 3 endpoints of 4 slots: 12 in flight, 12 waiting, spread evenly
    assertThat(model.endpoints()).allSatisfy(e -> {
      assertThat(e.inFlight()).isEqualTo(4);
      assertThat(e.queued()).isEqualTo(4);
      assertThat(e.state()).isEqualTo(EndpointState.HEALTHY);
    });
    // The cap is the balancer's: sample its own count until every run is done. (The server's
    // count is not used here: it holds a request until its handler returns, which can overlap
    // the next request the balancer sends as soon as the answer is read.)
    int maxInFlight = 0;
    while (!all.stream().allMatch(CompletableFuture::isDone)) {
      for (EndpointStatus e : model.endpoints()) {
        maxInFlight = Math.max(maxInFlight, e.inFlight());
      }
      Thread.onSpinWait();
    }
    all.forEach(CompletableFuture::join);
    assertThat(maxInFlight).isEqualTo(4);

    for (SimulatedOpenAiServer s : servers) {
      assertThat(chats(s)).isEqualTo(8);
    }
    assertThat(model.endpoints()).extracting(EndpointStatus::served).containsOnly(9L);
  }

  @Test
  void queuesMoreOnTheFasterEndpointWhenEveryEndpointIsFull() {
    servers.add(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(100)).start());
    servers.add(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(300)).start());
    BalancedLanguageModel model = track(balanced().maxConcurrentPerEndpoint(2).build());
    for (int round = 0; round < 6; round++) { // learn the latencies
      int r = round;
      List<CompletableFuture<ChatResponse>> pair = IntStream.range(0, 4)
          .mapToObj(i -> RunAffinity.call("w" + r + "-" + i, () -> model.chatAsync(request(i))))
          .toList();
      pair.forEach(CompletableFuture::join);
    }
    servers.forEach(SimulatedOpenAiServer::resetStats);

    List<CompletableFuture<ChatResponse>> all = IntStream.range(0, 16)
        .mapToObj(i -> RunAffinity.call("run-" + i, () -> model.chatAsync(request(i))))
        .toList();
    List<EndpointStatus> status = model.endpoints();
    assertThat(status.get(0).inFlight()).isEqualTo(2);
    assertThat(status.get(1).inFlight()).isEqualTo(2);
    assertThat(status.get(0).queued()).as("the fast endpoint drains its queue 3x sooner")
        .isGreaterThan(2 * status.get(1).queued());
    all.forEach(CompletableFuture::join);
    assertThat(chats(servers.get(0))).isGreaterThan(2 * chats(servers.get(1)));
  }

  /**
   * Run "a" fills its endpoint (2 slots) and queues one more request there; its next request is
   * sent while the other endpoint, holding run "b" alone, has a free slot.
   *
   * @return the four requests of run "a", then the one of "b"; the endpoint "a" started on
   */
  private static List<CompletableFuture<ChatResponse>> pinnedWithQueueAndAnotherFree(
      BalancedLanguageModel model, int[] startedOn) {
    List<CompletableFuture<ChatResponse>> a = new ArrayList<>();
    a.add(RunAffinity.call("a", () -> model.chatAsync(request(1))));
    CompletableFuture<ChatResponse> b = RunAffinity.call("b", () -> model.chatAsync(request(2)));
    a.add(RunAffinity.call("a", () -> model.chatAsync(request(3)))); // its endpoint is full now
    List<EndpointStatus> before = model.endpoints();
    startedOn[0] = before.get(0).inFlight() == 2 ? 0 : 1;
    assertThat(before.get(startedOn[0]).inFlight()).isEqualTo(2);
    assertThat(before.get(1 - startedOn[0]).inFlight()).as("b's endpoint, one slot free")
        .isEqualTo(1);
    a.add(RunAffinity.call("a", () -> model.chatAsync(request(4)))); // none queued yet: waits
    assertThat(model.endpoints().get(startedOn[0]).queued()).isEqualTo(1);
    a.add(RunAffinity.call("a", () -> model.chatAsync(request(5)))); // one queued, one free
    a.add(b);
    return a;
  }

  @Test
  void spillsARunFromItsFullEndpointWithAQueueToOneWithAFreeSlot() {
    start(2, Duration.ofMillis(400));
    // a frozen clock: both endpoints' latencies look the same, so only the counts decide
    BalancedLanguageModel model = track(balanced().maxConcurrentPerEndpoint(2)
        .spillAfterQueued(1).nanoTime(() -> 0L).build());
    warmUp(model, servers);
    int[] startedOn = new int[1];
    List<CompletableFuture<ChatResponse>> all = pinnedWithQueueAndAnotherFree(model, startedOn);
    int home = startedOn[0];
    int other = 1 - home;

    List<EndpointStatus> status = model.endpoints();
    assertThat(status.get(home).inFlight()).isEqualTo(2);
    assertThat(status.get(home).queued()).isEqualTo(1);
    assertThat(status.get(other).inFlight()).as("a's request took b's endpoint's free slot")
        .isEqualTo(2);
    assertThat(status.get(other).spilledIn()).isEqualTo(1);
    assertThat(status.get(home).spilledIn()).isZero();
    // the run moved with it: its next request waits on the new endpoint, not the old one
    all.add(RunAffinity.call("a", () -> model.chatAsync(request(6))));
    assertThat(model.endpoints().get(other).queued()).isEqualTo(1);
    assertThat(model.endpoints().get(home).queued()).isEqualTo(1);

    List<String> servedBy = all.stream().map(CompletableFuture::join)
        .map(r -> r.model().substring(r.model().indexOf('@') + 1)).toList();
    String homeUrl = servers.get(home).openAiBaseUrl();
    String otherUrl = servers.get(other).openAiBaseUrl();
    assertThat(servedBy).containsExactly(homeUrl, homeUrl, homeUrl, otherUrl, otherUrl,
        otherUrl);
    assertThat(chats(servers.get(home))).isEqualTo(3);
    assertThat(chats(servers.get(other))).isEqualTo(3);
  }

  @Test
  void keepsARunOnItsFullEndpointWithoutSpillover() {
    start(2, Duration.ofMillis(400));
    BalancedLanguageModel model = track(balanced().maxConcurrentPerEndpoint(2)
        .nanoTime(() -> 0L).build());
    warmUp(model, servers);
    int[] startedOn = new int[1];
    List<CompletableFuture<ChatResponse>> all = pinnedWithQueueAndAnotherFree(model, startedOn);
    int home = startedOn[0];
    int other = 1 - home;

    List<EndpointStatus> status = model.endpoints();
    assertThat(status.get(home).inFlight()).isEqualTo(2);
    assertThat(status.get(home).queued()).as("the default: a run stays on its endpoint")
        .isEqualTo(2);
    assertThat(status.get(other).inFlight()).isEqualTo(1);
    assertThat(status).extracting(EndpointStatus::spilledIn).containsOnly(0L);

    List<String> servedBy = all.stream().map(CompletableFuture::join)
        .map(r -> r.model().substring(r.model().indexOf('@') + 1)).toList();
    String homeUrl = servers.get(home).openAiBaseUrl();
    assertThat(servedBy.subList(0, 4)).containsOnly(homeUrl);
    assertThat(servedBy.get(4)).isEqualTo(servers.get(other).openAiBaseUrl());
    assertThat(chats(servers.get(home))).isEqualTo(4);
    assertThat(chats(servers.get(other))).isEqualTo(1);
  }

  @Test
  void keepsEveryRequestOfOneRunOnOneEndpointAndTheTraceNamesIt() {
    start(3, Duration.ofMillis(20));
    BalancedLanguageModel model = track(balanced().build());
    RewardScorer scorer = RewardScorers.fromSpec("vllm+" + servers.get(0).baseUrl()
        + "?model=sim-reward", RewardScorerContext.DEFAULT);
    Tpo tpo = Tpo.builder().policy(model).scorer(scorer).build();

    List<TpoRequest> prompts = IntStream.range(0, 9)
        .mapToObj(i -> TpoRequest.builder("prompt " + i).id("p" + i).build()).toList();
    List<TpoOutcome> outcomes = tpo.optimizeAll(prompts, 9);

    Set<String> endpointsUsed = new HashSet<>();
    for (TpoOutcome o : outcomes) {
      TpoResult r = o.result().orElseThrow();
      List<CallRecord> calls = new ArrayList<>();
      calls.add(r.sampling());
      r.rounds().stream().map(RoundRecord::calls).forEach(calls::addAll);
      assertThat(calls).hasSize(7);
      Set<String> served = calls.stream().map(CallRecord::model).collect(Collectors.toSet());
      assertThat(served).as("one run, one endpoint").hasSize(1);
      String endpoint = served.iterator().next();
      assertThat(endpoint).startsWith("sim-model@http://127.0.0.1:");
      endpointsUsed.add(endpoint.substring(endpoint.indexOf('@') + 1));
    }
    assertThat(endpointsUsed).as("9 concurrent runs spread over every endpoint")
        .containsExactlyInAnyOrderElementsOf(
            servers.stream().map(SimulatedOpenAiServer::openAiBaseUrl).toList());
    assertThat(servers.stream().mapToLong(BalancedLanguageModelTest::chats).sum())
        .isEqualTo(9 * 7);
  }

  @Test
  void ejectsAFailingEndpointRetriesElsewhereAndProbesItBackIn() {
    start(2, Duration.ZERO);
    SimulatedOpenAiServer bad = servers.get(1);
    bad.chatFaults().withProbability(1.0, Fault.status(503));
    AtomicLong now = new AtomicLong();
    BalancedLanguageModel model = track(balanced().ejectAfterFailures(3)
        .probeAfter(Duration.ofSeconds(30)).nanoTime(now::get).build());

    for (int i = 0; i < 12; i++) {
      int n = i;
      ChatResponse r = RunAffinity.call("run-" + i, () -> model.chat(request(n)));
      assertThat(r.model()).isEqualTo("sim-model@" + servers.get(0).openAiBaseUrl());
    }
    assertThat(chats(bad)).as("taken out after 3 consecutive 503s").isEqualTo(3);
    EndpointStatus out = model.endpoints().get(1);
    assertThat(out.state()).isEqualTo(EndpointState.EJECTED);
    assertThat(out.failures()).isEqualTo(3);
    assertThat(out.ejections()).isEqualTo(1);
    assertThat(model.endpoints().get(0).served()).isEqualTo(12);

    // still failing at probe time: the probe fails, it stays out, the request is served elsewhere
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    RunAffinity.call("probe-1", () -> model.chat(request(100)));
    assertThat(chats(bad)).isEqualTo(4);
    assertThat(model.endpoints().get(1).state()).isEqualTo(EndpointState.EJECTED);
    RunAffinity.call("probe-2", () -> model.chat(request(101)));
    assertThat(chats(bad)).as("no second probe before probeAfter").isEqualTo(4);

    // healed: the next probe succeeds and it is back
    bad.chatFaults().clear();
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    ChatResponse probe = RunAffinity.call("probe-3", () -> model.chat(request(102)));
    assertThat(probe.model()).isEqualTo("sim-model@" + bad.openAiBaseUrl());
    assertThat(model.endpoints().get(1).state()).isEqualTo(EndpointState.HEALTHY);
    for (int i = 0; i < 4; i++) {
      int n = i;
      RunAffinity.call("after-" + i, () -> model.chat(request(200 + n)));
    }
    assertThat(chats(bad)).as("back in the rotation").isGreaterThan(5);
  }

  @Test
  void losesNoRequestWhenAServerDiesMidBatch() throws Exception {
    start(3, Duration.ofMillis(300));
    BalancedLanguageModel model = track(balanced().maxConcurrentPerEndpoint(8).build());
    warmUp(model, servers);

    List<CompletableFuture<ChatResponse>> all = IntStream.range(0, 60)
        .mapToObj(i -> RunAffinity.call("run-" + i, () -> model.chatAsync(request(i))))
        .toList();
    Thread.sleep(100);
    SimulatedOpenAiServer killed = servers.get(2);
    assertThat(killed.stats().inFlight()).as("killed with requests in flight").isPositive();
    killed.close();

    List<ChatResponse> responses = all.stream().map(CompletableFuture::join).toList();
    assertThat(responses).hasSize(60).allSatisfy(r -> assertThat(r.text()).isNotBlank());
    List<EndpointStatus> status = model.endpoints();
    assertThat(status.get(2).state()).isEqualTo(EndpointState.EJECTED);
    assertThat(status.get(2).failures()).isPositive();
    assertThat(status.stream().mapToLong(EndpointStatus::served).sum()).isEqualTo(60 + 3);
    // each survivor answered exactly the requests attributed to it: nothing sent twice there
    for (SimulatedOpenAiServer s : servers.subList(0, 2)) {
      assertThat(responses.stream().filter(r -> r.model().endsWith(s.openAiBaseUrl())).count())
          .isEqualTo(chats(s));
    }
    assertThat(responses.stream().filter(r -> r.model().endsWith(killed.openAiBaseUrl())).count())
        .as("answers the killed server got out before it died").isLessThan(60);
  }

  @Test
  void reportsTheFailureWhenEveryEndpointIsDown() {
    start(2, Duration.ZERO);
    servers.forEach(s -> s.chatFaults().withProbability(1.0, Fault.status(500)));
    BalancedLanguageModel model = track(balanced().maxAttempts(3).build());
    assertThatThrownBy(() -> model.chat(request(1)))
        .isInstanceOf(dev.tpo.core.error.ServerErrorException.class);
    assertThat(chats(servers.get(0)) + chats(servers.get(1))).isEqualTo(3);
  }

  @Test
  void refusesABadConfigurationNamingTheSetting() {
    assertThatThrownBy(() -> BalancedLanguageModel.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("no endpoint");
    start(1, Duration.ZERO);
    assertThatThrownBy(() -> balanced().maxConcurrentPerEndpoint(0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxConcurrentPerEndpoint must be at least 1, got 0");
    assertThatThrownBy(() -> balanced().spillAfterQueued(-1).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spillAfterQueued must be at least 0, got -1");
    OpenAiCompatibleModel m = OpenAiCompatibleModel.builder()
        .baseUrl(servers.get(0).openAiBaseUrl()).model("sim-model").build();
    closeables.add(m);
    assertThatThrownBy(() -> BalancedLanguageModel.builder().endpoint(m).endpoint(m))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("added twice");
  }
}
