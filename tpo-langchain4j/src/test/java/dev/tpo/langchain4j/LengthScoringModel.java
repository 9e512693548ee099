package dev.tpo.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted langchain4j {@link ScoringModel}: a segment's score is its length in characters, so
 * longer answers rank higher. Records every query. Thread-safe.
 */
final class LengthScoringModel implements ScoringModel {
  final List<String> queries = new CopyOnWriteArrayList<>();
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

  @Override
  public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
    queries.add(query);
    batchSizes.add(segments.size());
    return Response.from(segments.stream().map(s -> (double) s.text().length()).toList());
  }
}
