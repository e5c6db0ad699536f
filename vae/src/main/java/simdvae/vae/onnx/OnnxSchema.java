package simdvae.vae.onnx;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors;

/**
 * The part of ONNX's schema ({@code onnx.proto}, proto2) that an exported VAE uses, as protobuf descriptors built at
 * run time: message and field names and numbers as ONNX defines them, so protobuf-java writes ONNX's wire format.
 * Messages the export never fills (attributes, sparse tensors, functions, …) are left out; readers skip nothing,
 * since nothing else is written.
 */
final class OnnxSchema {
    static final Descriptor MODEL;
    static final Descriptor OPSET;
    static final Descriptor GRAPH;
    static final Descriptor NODE;
    static final Descriptor TENSOR;
    static final Descriptor VALUE_INFO;
    static final Descriptor TYPE;
    static final Descriptor TENSOR_TYPE;
    static final Descriptor SHAPE;
    static final Descriptor DIMENSION;
    static final Descriptor ENTRY;

    /** TensorProto.DataType values. */
    static final int FLOAT = 1;
    static final int INT64 = 7;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("simdvae_onnx_subset.proto").setPackage("onnx").setSyntax("proto2")
                .addMessageType(message("ModelProto",
                        field("ir_version", 1, Type.TYPE_INT64),
                        field("producer_name", 2, Type.TYPE_STRING),
                        field("producer_version", 3, Type.TYPE_STRING),
                        field("doc_string", 6, Type.TYPE_STRING),
                        field("graph", 7, "GraphProto"),
                        repeated(field("opset_import", 8, "OperatorSetIdProto")),
                        repeated(field("metadata_props", 14, "StringStringEntryProto"))))
                .addMessageType(message("StringStringEntryProto",
                        field("key", 1, Type.TYPE_STRING),
                        field("value", 2, Type.TYPE_STRING)))
                .addMessageType(message("OperatorSetIdProto",
                        field("domain", 1, Type.TYPE_STRING),
                        field("version", 2, Type.TYPE_INT64)))
                .addMessageType(message("GraphProto",
                        repeated(field("node", 1, "NodeProto")),
                        field("name", 2, Type.TYPE_STRING),
                        repeated(field("initializer", 5, "TensorProto")),
                        field("doc_string", 10, Type.TYPE_STRING),
                        repeated(field("input", 11, "ValueInfoProto")),
                        repeated(field("output", 12, "ValueInfoProto"))))
                .addMessageType(message("NodeProto",
                        repeated(field("input", 1, Type.TYPE_STRING)),
                        repeated(field("output", 2, Type.TYPE_STRING)),
                        field("name", 3, Type.TYPE_STRING),
                        field("op_type", 4, Type.TYPE_STRING)))
                .addMessageType(message("TensorProto",
                        repeated(field("dims", 1, Type.TYPE_INT64)),
                        field("data_type", 2, Type.TYPE_INT32),
                        field("name", 8, Type.TYPE_STRING),
                        field("raw_data", 9, Type.TYPE_BYTES)))
                .addMessageType(message("ValueInfoProto",
                        field("name", 1, Type.TYPE_STRING),
                        field("type", 2, "TypeProto")))
                .addMessageType(message("TypeProto",
                        field("tensor_type", 1, "TypeProtoTensor")))
                .addMessageType(message("TypeProtoTensor",
                        field("elem_type", 1, Type.TYPE_INT32),
                        field("shape", 2, "TensorShapeProto")))
                .addMessageType(message("TensorShapeProto",
                        repeated(field("dim", 1, "Dimension"))))
                .addMessageType(message("Dimension",
                        field("dim_value", 1, Type.TYPE_INT64),
                        field("dim_param", 2, Type.TYPE_STRING)))
                .build();
        try {
            Descriptors.FileDescriptor fd = Descriptors.FileDescriptor.buildFrom(file,
                    new Descriptors.FileDescriptor[0]);
            MODEL = fd.findMessageTypeByName("ModelProto");
            OPSET = fd.findMessageTypeByName("OperatorSetIdProto");
            GRAPH = fd.findMessageTypeByName("GraphProto");
            NODE = fd.findMessageTypeByName("NodeProto");
            TENSOR = fd.findMessageTypeByName("TensorProto");
            VALUE_INFO = fd.findMessageTypeByName("ValueInfoProto");
            TYPE = fd.findMessageTypeByName("TypeProto");
            TENSOR_TYPE = fd.findMessageTypeByName("TypeProtoTensor");
            SHAPE = fd.findMessageTypeByName("TensorShapeProto");
            DIMENSION = fd.findMessageTypeByName("Dimension");
            ENTRY = fd.findMessageTypeByName("StringStringEntryProto");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private OnnxSchema() {
    }

    private static DescriptorProto message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder f : fields) {
            m.addField(f);
        }
        return m.build();
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder field(String name, int number, String message) {
        return field(name, number, Type.TYPE_MESSAGE).setTypeName(".onnx." + message);
    }

    private static FieldDescriptorProto.Builder repeated(FieldDescriptorProto.Builder f) {
        return f.setLabel(Label.LABEL_REPEATED);
    }
}
