package dev.tpo.simulator;

import java.util.Map;

/**
 * An HTTP answer the simulator is about to send.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra headers
 */
record Reply(int status, String body, Map<String, String> headers) {
  Reply {
    headers = Map.copyOf(headers);
  }

  static Reply ok(String body) {
    return new Reply(200, body, Map.of());
  }

  static Reply error(int status, String message) {
    return new Reply(status, OpenAiJson.errorBody(status, message), Map.of());
  }
}
