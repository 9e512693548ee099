package dev.tpo.examples.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.tpo.Tpo;
import dev.tpo.TpoEnvironment;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.langchain4j.LangChain4jLanguageModel;
import dev.tpo.langchain4j.LangChain4jRewardScorer;
import dev.tpo.langchain4j.TpoChatModel;
import dev.tpo.langchain4j.TpoChatResponseMetadata;
import java.util.Locale;

/**
 * TPO inside langchain4j: a langchain4j {@link ChatModel} (here langchain4j's OpenAI module, any
 * provider works) is the policy, a reward model scores, and an {@link AiServices} interface is
 * answered by TPO through {@link TpoChatModel}.
 *
 * <pre>
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * export TPO_REWARD=vllm+http://localhost:8001
 * java -cp tpo-examples.jar dev.tpo.examples.langchain4j.LangChain4jExample "Explain TCP slow start"
 * </pre>
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class LangChain4jExample {
  private LangChain4jExample() {}

  /** What the application declares; langchain4j implements it, TPO answers it. */
  public interface Tutor {
    /**
     * Explains a topic.
     *
     * @param topic the topic
     * @return the answer, with langchain4j's metadata (a {@link TpoChatResponseMetadata})
     */
    @SystemMessage("You are a concise networking tutor. Answer in at most five sentences.")
    Result<String> explain(@UserMessage String topic);
  }

  /**
   * The tutor: TPO with a langchain4j chat model as its policy, behind langchain4j's ChatModel.
   *
   * @param policy the langchain4j model that samples and rewrites answers
   * @param reward the reward scorer
   * @return the tutor
   */
  public static Tutor tutor(ChatModel policy, RewardScorer reward) {
    Tpo tpo = Tpo.builder()
        .policy(LangChain4jLanguageModel.of(policy)) // n choices = n concurrent calls
        .scorer(reward)
        .samples(4)
        .iterations(2)
        .build();
    return AiServices.create(Tutor.class, TpoChatModel.of(tpo));
  }

  /**
   * The same with a langchain4j {@link ScoringModel} as the reward: an in-process cross-encoder
   * ({@code new OnnxScoringModel(modelPath, tokenizerPath)} from langchain4j-onnx-scoring) or a
   * hosted reranker (Cohere, Jina, Voyage).
   *
   * @param policy the langchain4j model that samples and rewrites answers
   * @param reranker the scoring model; its relevance score is the reward
   * @return the tutor
   */
  public static Tutor tutor(ChatModel policy, ScoringModel reranker) {
    return tutor(policy, LangChain4jRewardScorer.of(reranker, "reranker"));
  }

  /**
   * Asks the tutor and prints the answer with its reward score and token usage.
   *
   * @param args {@code [topic]}
   */
  public static void main(String[] args) {
    String topic = args.length > 0 ? args[0] : "TCP slow start";
    ChatModel policy = OpenAiChatModel.builder()
        .baseUrl(env(TpoEnvironment.BASE_URL, "http://localhost:8000/v1"))
        .apiKey(env(TpoEnvironment.API_KEY, "none"))
        .modelName(env(TpoEnvironment.MODEL, "Qwen/Qwen2.5-7B-Instruct"))
        .build();
    RewardScorer reward = RewardScorers.fromSpec(
        env(TpoEnvironment.REWARD, "vllm+http://localhost:8001"), RewardScorerContext.DEFAULT);
    Result<String> answer = tutor(policy, reward).explain(topic);
    TpoChatResponseMetadata tpo = (TpoChatResponseMetadata) answer.finalResponse().metadata();
    System.out.println(answer.content());
    System.out.printf(Locale.ROOT, "%nscore %.3f after %d rounds, %d input + %d output tokens%n",
        tpo.score(), tpo.result().rounds().size(), answer.tokenUsage().inputTokenCount(),
        answer.tokenUsage().outputTokenCount());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
