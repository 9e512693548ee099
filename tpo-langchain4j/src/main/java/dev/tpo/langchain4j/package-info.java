/**
 * langchain4j for TPO, both ways: {@link dev.tpo.langchain4j.LangChain4jLanguageModel} makes any
 * langchain4j {@code ChatModel} (OpenAI, Azure, Anthropic, Gemini, Ollama, Mistral, Bedrock, ...) the
 * policy of a {@code Tpo}; {@link dev.tpo.langchain4j.LangChain4jRewardScorer} makes any {@code
 * ScoringModel} (in-process ONNX cross-encoders, hosted rerankers) its reward; and {@link
 * dev.tpo.langchain4j.TpoChatModel} puts TPO behind langchain4j's own {@code ChatModel}, so that an
 * {@code AiServices} interface gets test-time-aligned answers with no other change.
 */
package dev.tpo.langchain4j;
