package dev.tpo.simulator;

import java.util.Map;

/**
 * An HTTP answer the simulator is about to send.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra headers
 * @param stream the streamed answer to send instead of the body, or null
 */
record Reply(int status, String body, Map<String, String> headers, ChatStream stream) {
  Reply {
    headers = Map.copyOf(headers);
  }

  Reply(int status, String body, Map<String, String> headers) {
    this(status, body, headers, null);
  }

  static Reply streamed(ChatStream stream) {
    return new Reply(200, "", Map.of(), stream);
  }

  static Reply ok(String body) {
    return new Reply(200, body, Map.of());
  }

  static Reply error(int status, String message) {
    return new Reply(status, OpenAiJson.errorBody(status, message), Map.of());
  }
}
