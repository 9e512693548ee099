package dev.tpo.reward.djl.testmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny builder of ONNX graphs (opset 13) on top of {@link ProtoWriter}: nodes, float and int64
 * initializers, and typed graph inputs and outputs with symbolic dimensions. Field numbers follow
 * {@code onnx.proto}.
 *
 * <p>Not thread-safe; one instance builds one model.
 */
final class OnnxGraph {
  static final int FLOAT = 1;
  static final int INT64 = 7;
  private static final int ATTR_INT = 2;

  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();

  /** Adds a node; {@code intAttributes} alternate names and values. */
  OnnxGraph node(String opType, List<String> in, String out, Object... intAttributes) {
    ProtoWriter node = new ProtoWriter();
    in.forEach(name -> node.string(1, name));
    node.string(2, out).string(3, out + "_node").string(4, opType);
    for (int i = 0; i < intAttributes.length; i += 2) {
      node.message(5, new ProtoWriter()
          .string(1, (String) intAttributes[i])
          .varint(3, ((Number) intAttributes[i + 1]).longValue())
          .varint(20, ATTR_INT));
    }
    nodes.add(node);
    return this;
  }

  OnnxGraph floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return tensor(name, dims, FLOAT, raw.array());
  }

  OnnxGraph longTensor(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return tensor(name, dims, INT64, raw.array());
  }

  /** A graph input; a dimension is a number or a symbolic name such as {@code "batch"}. */
  OnnxGraph input(String name, int elemType, Object... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  OnnxGraph output(String name, int elemType, Object... dims) {
    outputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  byte[] toModelBytes() {
    ProtoWriter graph = new ProtoWriter();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, "tiny_reward_model");
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(v -> graph.message(11, v));
    outputs.forEach(v -> graph.message(12, v));
    return new ProtoWriter()
        .varint(1, 7) // ir_version 7 goes with opset 13
        .string(2, "tpo-java tests")
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, 13))
        .toByteArray();
  }

  private OnnxGraph tensor(String name, long[] dims, int dataType, byte[] raw) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, dataType).string(8, name).bytes(9, raw);
    initializers.add(t);
    return this;
  }

  private static ProtoWriter valueInfo(String name, int elemType, Object... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d instanceof Number) {
        dim.varint(1, ((Number) d).longValue());
      } else {
        dim.string(2, d.toString());
      }
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }
}
