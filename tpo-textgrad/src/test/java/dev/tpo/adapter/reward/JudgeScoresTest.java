package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JudgeScoresTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      <score>7</score>                                                  | 7
      {"reasoning": "Accurate and short.", "score": 8}                  | 8
      {"score": "6", "reasoning": "ok"}                                 | 6
      ```json\\n{\\n  "reasoning": "Good",\\n  "score": 9\\n}\\n```        | 9
      The answer is correct but terse. <score> 8/10 </score>            | 8
      <SCORE>**5**</SCORE>                                              | 5
      It names 3 causes and 2 examples. Score: 4                        | 4
      **Rating:** 9                                                     | 9
      I would give it 7 out of 10.                                      | 7
      Overall: 6/10 - clear, but misses one point.                      | 6
      First I thought <score>3</score>, on reflection <score>6</score>  | 6
      Score = 7.5                                                       | 7.5
      <score>0</score>                                                  | 0
      """)
  void findsTheRatingInTidyAndMessyReplies(String reply, double expected) {
    assertThat(JudgeScores.parse(reply.replace("\\n", "\n"), 10)).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "I cannot rate this answer.", "<score>eleven</score>", "<score>15</score>",
      "Score: -2", "{\"reasoning\": \"no number\"}", "It has 3 paragraphs and 12 sentences."})
  void findsNoRatingWhereThereIsNone(String reply) {
    assertThat(JudgeScores.parse(reply, 10)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"'Score: 80/100', 80", "'<score>42</score>', 42"})
  void followsTheScale(String reply, double expected) {
    assertThat(JudgeScores.parse(reply, 100)).hasValue(expected);
  }
}
