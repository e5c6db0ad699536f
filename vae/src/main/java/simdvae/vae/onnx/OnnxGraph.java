package simdvae.vae.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds one ONNX graph: float inputs and outputs of shape [N, width], initializers, nodes in order. */
final class OnnxGraph {
    private final DynamicMessage.Builder graph = DynamicMessage.newBuilder(OnnxSchema.GRAPH);
    private int nodes;
    private int constants;

    OnnxGraph(String name) {
        set(graph, "name", name);
    }

    /** A float input or output of shape [N, width], N being the batch ("N", any size). */
    private DynamicMessage valueInfo(String name, int width) {
        DynamicMessage.Builder shape = DynamicMessage.newBuilder(OnnxSchema.SHAPE);
        DynamicMessage.Builder rows = DynamicMessage.newBuilder(OnnxSchema.DIMENSION);
        set(rows, "dim_param", "N");
        add(shape, "dim", rows.build());
        DynamicMessage.Builder cols = DynamicMessage.newBuilder(OnnxSchema.DIMENSION);
        set(cols, "dim_value", (long) width);
        add(shape, "dim", cols.build());
        DynamicMessage.Builder tensor = DynamicMessage.newBuilder(OnnxSchema.TENSOR_TYPE);
        set(tensor, "elem_type", OnnxSchema.FLOAT);
        set(tensor, "shape", shape.build());
        DynamicMessage.Builder type = DynamicMessage.newBuilder(OnnxSchema.TYPE);
        set(type, "tensor_type", tensor.build());
        DynamicMessage.Builder info = DynamicMessage.newBuilder(OnnxSchema.VALUE_INFO);
        set(info, "name", name);
        set(info, "type", type.build());
        return info.build();
    }

    void input(String name, int width) {
        add(graph, "input", valueInfo(name, width));
    }

    void output(String name, int width) {
        add(graph, "output", valueInfo(name, width));
    }

    /** A float constant of the given dims (row-major data); returns its name. */
    String floats(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return constant(name, OnnxSchema.FLOAT, b.array(), dims);
    }

    /** A one-dimensional int64 constant (Slice's starts, ends and axes); returns its name. */
    String longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return constant("const" + constants++, OnnxSchema.INT64, b.array(), values.length);
    }

    private String constant(String name, int type, byte[] raw, long... dims) {
        DynamicMessage.Builder t = DynamicMessage.newBuilder(OnnxSchema.TENSOR);
        for (long d : dims) {
            add(t, "dims", d);
        }
        set(t, "data_type", type);
        set(t, "name", name);
        set(t, "raw_data", ByteString.copyFrom(raw));
        add(graph, "initializer", t.build());
        return name;
    }

    /** A node {@code op(inputs…)} with one output, named {@code output}; returns that name. */
    String node(String op, String output, String... inputs) {
        DynamicMessage.Builder n = DynamicMessage.newBuilder(OnnxSchema.NODE);
        for (String in : inputs) {
            add(n, "input", in);
        }
        add(n, "output", output);
        set(n, "name", op.toLowerCase(java.util.Locale.ROOT) + nodes++);
        set(n, "op_type", op);
        add(graph, "node", n.build());
        return output;
    }

    /** The model file: this graph under opset {@value OnnxExport#OPSET}. */
    byte[] model(String doc) {
        return model(doc, java.util.Map.of());
    }

    /** The model file with metadata (ONNX's metadata_props: key-value strings a runtime shows its users). */
    byte[] model(String doc, java.util.Map<String, String> metadata) {
        DynamicMessage.Builder opset = DynamicMessage.newBuilder(OnnxSchema.OPSET);
        set(opset, "domain", "");
        set(opset, "version", (long) OnnxExport.OPSET);
        DynamicMessage.Builder m = DynamicMessage.newBuilder(OnnxSchema.MODEL);
        set(m, "ir_version", (long) OnnxExport.IR_VERSION);
        set(m, "producer_name", "simdvae");
        set(m, "producer_version", "0.1.0");
        set(m, "doc_string", doc);
        set(m, "graph", graph.build());
        add(m, "opset_import", opset.build());
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(metadata).entrySet()) {
            DynamicMessage.Builder entry = DynamicMessage.newBuilder(OnnxSchema.ENTRY);
            set(entry, "key", e.getKey());
            set(entry, "value", e.getValue());
            add(m, "metadata_props", entry.build());
        }
        return m.build().toByteArray();
    }

    private static void set(DynamicMessage.Builder b, String field, Object value) {
        b.setField(b.getDescriptorForType().findFieldByName(field), value);
    }

    private static void add(DynamicMessage.Builder b, String field, Object value) {
        b.addRepeatedField(b.getDescriptorForType().findFieldByName(field), value);
    }
}
