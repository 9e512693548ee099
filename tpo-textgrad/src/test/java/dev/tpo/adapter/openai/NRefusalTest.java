package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NRefusalTest {

  @ParameterizedTest(name = "[{index}] HTTP {0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      500 | {"error":{"code":500,"message":"Only one completion choice is allowed","type":"server_error"}}
      400 | {"error":{"message":"Unsupported value","type":"invalid_request_error","param":"n"}}
      422 | {"detail":[{"loc":["body","n"],"msg":"Input should be less than or equal to 1"}]}
      400 | {"error":"n must be 1 for this model"}
      400 | {"error":"Unsupported parameter: 'n' is not supported with this model."}
      400 | {"message":"n > 1 is not supported with greedy sampling"}
      """)
  void recognisesRefusalsOfN(int status, String body) {
    assertThat(NRefusal.refusesN(status, body)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] HTTP {0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      400 | {"error":{"message":"max_tokens must be at most 4096","param":"max_tokens"}}
      422 | {"detail":[{"loc":["body","model"],"msg":"Field required","input":{"n":4,"messages":[]}}]}
      500 | {"error":{"message":"CUDA out of memory. Tried to allocate 2.00 GiB"}}
      401 | {"error":"Only one completion choice is allowed"}
      404 | {"error":"The model `n` does not exist"}
      400 | This model's maximum context length is 4096 tokens. However, you requested 5000 tokens
      """)
  void leavesOtherErrorsAlone(int status, String body) {
    assertThat(NRefusal.refusesN(status, body)).isFalse();
  }
}
