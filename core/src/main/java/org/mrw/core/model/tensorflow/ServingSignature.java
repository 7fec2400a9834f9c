package org.mrw.core.model.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelLoadException;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The part of a SavedModel folder the workbench needs: the serving meta graph, its signature, the one
 * image input and the logits output. It is read from {@code saved_model.pb} in Java before any native
 * code sees the folder, so a broken or foreign folder fails with a message that says what is wrong
 * instead of a TensorFlow stack trace.
 *
 * @param dir           the SavedModel folder
 * @param tags          tag set of the serving meta graph (TensorFlow loads a meta graph by its exact tag set)
 * @param key           signature key, usually {@code serving_default}
 * @param inputKey      the signature's input name
 * @param inputTensor   graph tensor behind the input ({@code op:index})
 * @param inputDims     input shape, {@code -1} for unknown dimensions; empty when even the rank is unknown
 * @param outputKey     the signature output used as logits
 * @param outputTensor  graph tensor behind that output
 * @param classes       number of logits if the signature says, else {@code -1}
 * @param functionCalls true when the graph calls functions ({@code (Stateful)PartitionedCall} or
 *                      directly), as Keras exports do
 */
record ServingSignature(Path dir, List<String> tags, String key, String inputKey, String inputTensor, List<Long> inputDims,
                        String outputKey, String outputTensor, int classes, boolean functionCalls) {

    static final String FORMAT = ModelFormat.SAVED_MODEL.displayName();
    static final String SERVE_TAG = "serve";
    static final String DEFAULT_KEY = "serving_default";
    /** Appended to native load errors, which come after the Java checks and so mostly mean damaged variables. */
    static final String LOAD_HINT = " (saved_model.pb and variables/ must come from one complete export)";

    /** Not a serving signature: TF 2 stores its variable-initialisation function under this key. */
    private static final String INIT_OP_KEY = "__saved_model_init_op";
    private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");
    private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");

    ServingSignature {
        tags = List.copyOf(tags);
        inputDims = List.copyOf(inputDims);
    }

    /** Reads and checks {@code dir/saved_model.pb} and the presence of its variables. */
    static ServingSignature read(Path dir) {
        MetaGraphDef graph = servingMetaGraph(dir, parse(dir));
        Map<String, SignatureDef> signatures = graph.getSignatureDefMap();
        String key = signatureKey(dir, signatures);
        SignatureDef signature = signatures.get(key);

        if (signature.getInputsCount() != 1) {
            throw fail(dir, "signature '" + key + "' takes " + signature.getInputsCount() + " inputs "
                    + signature.getInputsMap().keySet() + "; only classifiers with one image input are supported");
        }
        Map.Entry<String, TensorInfo> input = signature.getInputsMap().entrySet().iterator().next();
        checkFloat(dir, "input", input.getKey(), input.getValue());
        String outputKey = logitsOutput(dir, key, signature);
        TensorInfo output = signature.getOutputsMap().get(outputKey);
        checkFloat(dir, "output", outputKey, output);
        List<Long> outputDims = dims(output.getTensorShape());
        int classes = outputDims.size() == 2 && outputDims.get(1) > 0 ? Math.toIntExact(outputDims.get(1)) : -1;

        Set<String> functions = new HashSet<>();
        graph.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.add(f.getSignature().getName()));
        boolean variables = false;
        boolean calls = false;
        for (NodeDef node : graph.getGraphDef().getNodeList()) {
            variables |= VARIABLE_OPS.contains(node.getOp());
            calls |= CALL_OPS.contains(node.getOp()) || functions.contains(node.getOp());
        }
        if (variables) {
            checkVariables(dir);
        }
        return new ServingSignature(dir, graph.getMetaInfoDef().getTagsList(), key, input.getKey(),
                input.getValue().getName(), dims(input.getValue().getTensorShape()), outputKey, output.getName(), classes,
                calls);
    }

    /** Rank-4 input with a fixed batch size (e.g. exported for batch 1), else 0 for "any". */
    int fixedBatch() {
        return inputDims.size() == 4 && inputDims.get(0) > 0 ? Math.toIntExact(inputDims.get(0)) : 0;
    }

    /**
     * The input spec when no descriptor is given: layout and size from the input shape, plain [0,1]
     * pixels. NHWC when the last dimension looks like channels (1–4), NCHW when the second does.
     */
    InputSpec inferSpec() {
        if (inputDims.size() == 4 && inputDims.subList(1, 4).stream().allMatch(d -> d > 0)) {
            long a = inputDims.get(1);
            long b = inputDims.get(2);
            long c = inputDims.get(3);
            boolean nhwc = c <= 4 && a > 4;
            boolean nchw = a <= 4 && c > 4;
            if (nhwc != nchw && b <= InputSpec.MAX_SIDE && Math.max(a, c) <= InputSpec.MAX_SIDE) {
                return nhwc ? InputSpec.plain(InputSpec.Layout.NHWC, (int) c, (int) a, (int) b, List.of())
                        : InputSpec.plain(InputSpec.Layout.NCHW, (int) a, (int) b, (int) c, List.of());
            }
        }
        throw fail(dir, "cannot tell the image layout from the serving input '" + inputKey + "' of shape " + shapeText()
                + "; write a descriptor " + InputSpec.besideModel(dir) + " such as " + exampleDescriptor());
    }

    /** Checks a descriptor against the signature's input shape where the signature fixes it. */
    InputSpec check(InputSpec spec) {
        if (inputDims.isEmpty()) {
            return spec;
        }
        long[] wanted = spec.tensorShape(1);
        boolean fits = inputDims.size() == wanted.length;
        for (int i = 1; fits && i < wanted.length; i++) {
            fits = inputDims.get(i) < 0 || inputDims.get(i) == wanted[i];
        }
        if (!fits) {
            throw fail(dir, "the descriptor says " + spec.layout() + " " + spec.channels() + "x" + spec.height() + "x"
                    + spec.width() + " but the serving input '" + inputKey + "' has shape " + shapeText()
                    + "; fix the descriptor's layout, channels, height and width");
        }
        return spec;
    }

    String shapeText() {
        return inputDims.isEmpty() ? "<unknown rank>" : inputDims.toString().replace(" ", "");
    }

    private String exampleDescriptor() {
        return "{\"layout\":\"NHWC\",\"channels\":3,\"height\":224,\"width\":224,\"channelOrder\":\"RGB\","
                + "\"mean\":[0],\"std\":[1],\"rangeMin\":0,\"rangeMax\":1,\"classNames\":[]}";
    }

    static ModelLoadException fail(Path dir, String problem) {
        return new ModelLoadException(dir, FORMAT, problem);
    }

    private static SavedModel parse(Path dir) {
        Path pb = dir.resolve("saved_model.pb");
        if (!Files.isRegularFile(pb)) {
            throw fail(dir, "the folder holds no saved_model.pb (a SavedModel folder holds saved_model.pb and variables/)");
        }
        try {
            if (Files.size(pb) == 0) {
                throw fail(dir, "saved_model.pb is empty (0 bytes); export or copy the model again");
            }
            try (InputStream in = Files.newInputStream(pb)) {
                return SavedModel.parseFrom(in);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(dir, FORMAT, "saved_model.pb is corrupt or truncated (" + Messages.firstLine(e)
                    + "); export or copy the model again", e);
        } catch (IOException e) {
            throw new ModelLoadException(dir, FORMAT, "cannot read saved_model.pb: " + Messages.firstLine(e), e);
        }
    }

    private static MetaGraphDef servingMetaGraph(Path dir, SavedModel model) {
        if (model.getMetaGraphsCount() == 0) {
            throw fail(dir, "saved_model.pb holds no meta graph (truncated, or not a SavedModel); export the model again");
        }
        List<List<String>> tagSets = new ArrayList<>();
        for (MetaGraphDef graph : model.getMetaGraphsList()) {
            if (graph.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
                return graph;
            }
            tagSets.add(graph.getMetaInfoDef().getTagsList());
        }
        throw fail(dir, "no meta graph is tagged '" + SERVE_TAG + "' (tag sets " + tagSets
                + "); export the model for serving (tf.saved_model.save, or SavedModelBundle.exporter)");
    }

    private static String signatureKey(Path dir, Map<String, SignatureDef> signatures) {
        if (signatures.containsKey(DEFAULT_KEY)) {
            return DEFAULT_KEY;
        }
        Set<String> keys = new TreeSet<>(signatures.keySet());
        keys.remove(INIT_OP_KEY);
        if (keys.size() == 1) {
            return keys.iterator().next();
        }
        throw fail(dir, keys.isEmpty() ? "the serving meta graph has no signature; export it with a serving signature"
                : "no '" + DEFAULT_KEY + "' signature and several others " + keys + "; export one named " + DEFAULT_KEY);
    }

    /**
     * The output to read as logits: one named like logits, else the only output, else the first
     * (by name) that is not named like probabilities. Cross-entropy of softmax outputs would be wrong.
     */
    private static String logitsOutput(Path dir, String key, SignatureDef signature) {
        Set<String> outputs = new TreeSet<>(signature.getOutputsMap().keySet());
        if (outputs.isEmpty()) {
            throw fail(dir, "signature '" + key + "' has no outputs");
        }
        if (outputs.contains("logits")) {
            return "logits";
        }
        for (String name : outputs) {
            if (name.toLowerCase(Locale.ROOT).contains("logit")) {
                return name;
            }
        }
        if (outputs.size() == 1) {
            return outputs.iterator().next();
        }
        for (String name : outputs) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.contains("prob") && !lower.contains("softmax")) {
                return name;
            }
        }
        throw fail(dir, "signature '" + key + "' has only probability outputs " + outputs
                + "; export the logits as an output named 'logits'");
    }

    private static void checkFloat(Path dir, String what, String name, TensorInfo info) {
        if (info.getDtype() != DataType.DT_FLOAT) {
            throw fail(dir, "the serving " + what + " '" + name + "' is " + info.getDtype()
                    + "; only float32 inputs and outputs are supported");
        }
        if (info.getName().isEmpty()) {
            throw fail(dir, "the serving " + what + " '" + name + "' is not a plain tensor (composite or sparse)");
        }
    }

    private static void checkVariables(Path dir) {
        Path variables = dir.resolve("variables");
        if (!Files.isRegularFile(variables.resolve("variables.index"))) {
            throw fail(dir, "variables/variables.index is missing; copy the whole SavedModel folder, variables/ included");
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(variables, "variables.data-*")) {
            if (!shards.iterator().hasNext()) {
                throw fail(dir, "variables/ holds no variables.data-* file; copy the whole SavedModel folder");
            }
        } catch (IOException e) {
            throw new ModelLoadException(dir, FORMAT, "cannot list variables/: " + Messages.firstLine(e), e);
        }
    }

    private static List<Long> dims(TensorShapeProto shape) {
        List<Long> dims = new ArrayList<>();
        if (!shape.getUnknownRank()) {
            for (TensorShapeProto.Dim dim : shape.getDimList()) {
                dims.add(dim.getSize());
            }
        }
        return dims;
    }
}
