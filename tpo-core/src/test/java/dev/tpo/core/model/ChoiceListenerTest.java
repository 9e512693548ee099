package dev.tpo.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChoiceListenerTest {

  private static ChatResponse response(String... texts) {
    List<ChatChoice> choices = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      choices.add(new ChatChoice(i, texts[i], FinishReason.STOP));
    }
    return ChatResponse.of(TokenUsage.ofRequest(3, texts.length), choices);
  }

  /** A model that "streams": reports choice 1 before it answers, as a streaming model would. */
  private static final class EarlyModel implements LanguageModel {
    final List<String> plainCalls = Collections.synchronizedList(new ArrayList<>());
    final List<String> streamedCalls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
      plainCalls.add("n=" + request.n());
      String[] texts = new String[request.n()];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = "plain-" + i;
      }
      return CompletableFuture.completedFuture(response(texts));
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
        ChoiceListener listener) {
      streamedCalls.add("n=" + request.n());
      listener.onChoice(new ChatChoice(1, "b", FinishReason.STOP));
      listener.onChoice(new ChatChoice(1, "b again", FinishReason.STOP));
      return CompletableFuture.completedFuture(response("a", "b", "c"));
    }
  }

  @Test
  void theDefaultReportsEveryChoiceOfTheResponseBeforeTheFutureCompletes() {
    LanguageModel model = request -> CompletableFuture.completedFuture(response("x", "y"));
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.chatAsync(ChatRequest.builder().user("q").n(2).build(), heard::add)
        .join();

    assertThat(heard).containsExactlyElementsOf(r.choices());
  }

  @Test
  void aListenerThatThrowsDoesNotFailTheRequest() {
    LanguageModel model = request -> CompletableFuture.completedFuture(response("x", "y"));
    List<Integer> heard = new ArrayList<>();

    ChatResponse r = model.chatAsync(ChatRequest.builder().user("q").n(2).build(), c -> {
      heard.add(c.index());
      throw new IllegalStateException("listener bug");
    }).join();

    assertThat(r.texts()).containsExactly("x", "y");
    assertThat(heard).containsExactly(0, 1);
  }

  @Test
  void interceptorsPassTheListenerToTheModelAndEachIndexIsHeardOnce() {
    EarlyModel model = new EarlyModel();
    List<String> seen = new ArrayList<>();
    ModelInterceptor observe = chain -> {
      seen.add("n=" + chain.request().n());
      return chain.proceed(chain.request());
    };
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.withInterceptors(observe)
        .chatAsync(ChatRequest.builder().user("q").n(3).build(), heard::add).join();

    assertThat(model.streamedCalls).containsExactly("n=3");
    assertThat(model.plainCalls).isEmpty();
    assertThat(seen).containsExactly("n=3");
    assertThat(r.texts()).containsExactly("a", "b", "c");
    // index 1 early (once, the repeat suppressed), then the rest from the response
    assertThat(heard).extracting(ChatChoice::index).containsExactly(1, 0, 2);
    assertThat(heard.get(0).text()).isEqualTo("b");
  }

  @Test
  void anInterceptorThatChangesNGetsNoListenerAndTheChoicesAreReportedAtTheEnd() {
    EarlyModel model = new EarlyModel();
    ModelInterceptor split = chain -> chain.proceed(chain.request().toBuilder().n(1).build())
        .thenCombine(chain.proceed(chain.request().toBuilder().n(1).build()),
            (a, b) -> response(a.text() + "0", b.text() + "1"));
    List<ChatChoice> heard = Collections.synchronizedList(new ArrayList<>());

    ChatResponse r = model.withInterceptors(split)
        .chatAsync(ChatRequest.builder().user("q").n(2).build(), heard::add).join();

    assertThat(model.streamedCalls).isEmpty();
    assertThat(model.plainCalls).containsExactly("n=1", "n=1");
    assertThat(heard).containsExactlyElementsOf(r.choices());
  }
}
