package org.mrw.core.model.tensorflow;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SymbolBlock;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.mrw.core.model.ModelLoadException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Inference through DJL's TensorFlow engine: the SavedModel's serving signature run by DJL's symbol
 * block. DJL feeds the inputs and returns the outputs sorted by signature key, so the logits are
 * picked out by their key's position.
 */
final class DjlSavedModel implements SavedModelRunner {

    private final Model model;
    private final Block block;
    private final String inputKey;
    private final int outputIndex;

    private DjlSavedModel(Model model, String inputKey, int outputIndex) {
        this.model = model;
        this.block = model.getBlock();
        this.inputKey = inputKey;
        this.outputIndex = outputIndex;
    }

    /** Loads the folder into DJL with the signature's tags and key. */
    static DjlSavedModel open(ServingSignature signature, String name) {
        Model model = Model.newInstance(name, Device.cpu(), "TensorFlow");
        boolean opened = false;
        try {
            model.load(signature.dir(), null, Map.of("Tags", String.join(",", signature.tags()),
                    "SignatureDefKey", signature.key(), "ConfigProto", CpuSessionConfig.get()));
            if (!(model.getBlock() instanceof SymbolBlock symbols)) {
                throw ServingSignature.fail(signature.dir(), "DJL's TensorFlow engine gave no runnable block");
            }
            List<String> outputs = symbols.describeOutput().keys();
            int index = outputs.indexOf(signature.outputKey());
            if (index < 0) {
                throw ServingSignature.fail(signature.dir(), "DJL's TensorFlow engine does not list the output '"
                        + signature.outputKey() + "' (it lists " + outputs + ")");
            }
            opened = true;
            return new DjlSavedModel(model, signature.inputKey(), index);
        } catch (IOException | MalformedModelException | EngineException | TensorFlowException e) {
            throw new ModelLoadException(signature.dir(), ServingSignature.FORMAT,
                    "TensorFlow could not load it: " + Messages.firstLine(e) + ServingSignature.LOAD_HINT, e);
        } finally {
            if (!opened) {
                model.close();
            }
        }
    }

    @Override
    public float[] logits(float[] input, long[] shape) {
        // Every array of the batch (input and all outputs) lives in this sub-manager and dies with it.
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray x = batch.create(input, new Shape(shape));
            x.setName(inputKey);
            NDList outputs = block.forward(new ParameterStore(batch, false), new NDList(x), false);
            return outputs.get(outputIndex).toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
