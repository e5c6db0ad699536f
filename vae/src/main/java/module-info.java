/**
 * The VAE library: models, training, tables, decisions, files and ONNX export. Its API is the exported packages; the
 * {@code simdvae.vae.internal} packages are how it works and may change in any release. Commons CSV and protobuf-java
 * (optional: ONNX export) are automatic modules.
 */
@SuppressWarnings("requires-automatic")
module simdvae.vae {
    requires transitive simdvae.kernels;
    requires org.apache.commons.csv;
    requires static com.google.protobuf;

    exports simdvae.vae;
    exports simdvae.vae.data;
    exports simdvae.vae.decide;
    exports simdvae.vae.model;
    exports simdvae.vae.onnx;
    exports simdvae.vae.table;
}
