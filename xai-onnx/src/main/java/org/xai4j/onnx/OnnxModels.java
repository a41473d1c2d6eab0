package org.xai4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import org.xai4j.onnx.proto.OnnxProto.ModelProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads ONNX image classifiers into the engine. A file is untrusted input: it is parsed by protobuf-java from the
 * classes generated from ONNX's own {@code onnx.proto}, sizes are checked against the bytes present before anything is
 * allocated, external data must stay inside the model's folder, and the graph must be acyclic and of bounded depth.
 * Every operator on the path to the output must be one the engine runs exactly ({@link #SUPPORTED_OPERATORS}); any
 * other is refused at load with its type, node name and opset.
 *
 * <pre>{@code
 * OnnxModel onnx = OnnxModels.read(Path.of("resnet18.onnx"), OnnxImportOptions.DEFAULTS);
 * ImageModel model = Nd4jImageModel.of(Preprocessing.IMAGENET.prependTo(onnx.spec()));
 * }</pre>
 */
public final class OnnxModels {

    /** The opsets of the default ONNX domain the importer reads. */
    public static final int MIN_OPSET = 11;
    /** The newest opset of the default ONNX domain the importer reads. */
    public static final int MAX_OPSET = 17;

    /** The operators the importer converts (some only in the forms listed in the README's table). */
    public static final List<String> SUPPORTED_OPERATORS = OnnxConverter.SUPPORTED;

    private OnnxModels() { }

    /**
     * Reads an {@code .onnx} file.
     *
     * @param file    the model file; external data is looked up next to it
     * @param options limits and choices
     * @return the imported model
     * @throws OnnxImportException if the file is missing, unreadable, corrupt, too large, or uses anything the engine
     *                             cannot compute exactly
     */
    public static OnnxModel read(Path file, OnnxImportOptions options) throws OnnxImportException {
        if (file == null || options == null) {
            throw new NullPointerException("file and options must not be null");
        }
        if (!Files.isRegularFile(file)) {
            throw new OnnxImportException("ONNX file " + file + " does not exist or is not a regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new OnnxImportException("ONNX file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (size > options.maxFileBytes()) {
            throw new OnnxImportException("ONNX file " + file + " has " + size + " bytes, more than the limit of "
                    + options.maxFileBytes() + " (OnnxImportOptions.optMaxFileBytes)");
        }
        ModelProto model;
        try {
            byte[] bytes = Files.readAllBytes(file);
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(bytes.length);
            model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException("ONNX file " + file + " is truncated or corrupt (not a valid ONNX protobuf "
                    + "ModelProto): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OnnxImportException("ONNX file " + file + " cannot be read: " + e.getMessage(), e);
        }
        OnnxModel onnx = new OnnxConverter(file, model, options).convert();
        validate(file, onnx);
        return onnx;
    }

    /**
     * Compiles the network once, so that any shape the engine would reject surfaces here as an import error rather
     * than later when a caller builds a model.
     */
    private static void validate(Path file, OnnxModel onnx) throws OnnxImportException {
        try (org.xai4j.engine.Nd4jImageModel ignored = onnx.imageModel()) {
            // compiled and released
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException("ONNX file " + file + " converts to a network the engine rejects: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads an {@code .onnx} file with the default limits.
     *
     * @param file the model file
     * @return the imported model
     * @throws OnnxImportException see {@link #read(Path, OnnxImportOptions)}
     */
    public static OnnxModel read(Path file) throws OnnxImportException {
        return read(file, OnnxImportOptions.DEFAULTS);
    }
}
