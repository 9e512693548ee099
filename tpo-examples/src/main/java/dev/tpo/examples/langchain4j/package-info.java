/** Example: TPO in langchain4j, as a policy, a reward and a ChatModel behind AiServices. */
package dev.tpo.examples.langchain4j;
