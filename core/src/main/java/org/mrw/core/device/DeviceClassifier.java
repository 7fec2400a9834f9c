package org.mrw.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelInfo;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.model.Preprocessor;
import org.mrw.core.model.Variant;
import org.mrw.protocol.AgentClient;
import org.mrw.protocol.AgentException;
import org.mrw.protocol.InferResult;
import org.mrw.protocol.ModelHandle;
import org.mrw.protocol.Protocol;

/**
 * A model running in the companion agent on a device (a phone, or the host device), seen as an
 * ordinary {@link Classifier}: canonical batches are converted to the model's input here, exactly as
 * for the in-process classifiers, and sent to the agent as one INFER frame per batch. So a device
 * target and a PC target judge the same tensors, and any difference is the runtime's.
 *
 * <p>Only mobile formats run on a device: {@code .tflite} in TensorFlow Lite and {@code .ptl} (or
 * {@code .pt}) in PyTorch Mobile lite. The agent measures each batch's inference time on the device;
 * {@link #deviceNanos()} sums them, apart from transfer time.
 */
public final class DeviceClassifier implements Classifier {

    /** Wire names of the agent's runtimes. */
    public static final String TFLITE = "tflite";
    public static final String PYTORCH_LITE = "pytorch-lite";

    private final AgentClient client;
    private final String device;
    private final ModelHandle handle;
    private final ModelInfo info;
    private final InputSpec spec;
    private final Preprocessor preprocessor;
    private long deviceNanos;
    private long roundTripNanos;
    private long images;
    private long requestBytes;
    private boolean closed;

    private DeviceClassifier(AgentClient client, String device, ModelHandle handle, ModelInfo info, InputSpec spec) {
        this.client = client;
        this.device = device;
        this.handle = handle;
        this.info = info;
        this.spec = spec;
        this.preprocessor = new Preprocessor(spec);
    }

    /** The agent runtime a model file runs in, or an error saying which files can run on a device. */
    public static String runtimeFor(Path file) {
        ModelFormat format = Models.detect(file);
        return switch (format) {
            case TFLITE -> TFLITE;
            case TORCHSCRIPT_LITE, TORCHSCRIPT -> PYTORCH_LITE;
            default -> throw new ModelLoadException(file, format.displayName(), "only .tflite (TensorFlow Lite) and .ptl "
                    + "(PyTorch Mobile) models run on a device; convert the model, or evaluate it on this computer");
        };
    }

    /**
     * Sends {@code file} to the agent and loads it.
     *
     * @param client   a connected, greeted agent client (the classifier does not own it)
     * @param device   the device's name, for results and messages
     * @param spec     the model's input spec (a descriptor); null reads the JSON beside the model, then,
     *                 for TFLite only, plain [0,1] input of the shape the agent reports
     * @param threads  inference threads on the device
     */
    public static DeviceClassifier load(AgentClient client, String device, Path file, InputSpec spec, int threads) {
        String runtime = runtimeFor(file);
        ModelFormat format = Models.detect(file);
        if (spec == null && Files.isRegularFile(InputSpec.besideModel(file))) {
            spec = InputSpec.read(InputSpec.besideModel(file));
        }
        if (spec == null && runtime.equals(PYTORCH_LITE)) {
            throw new ModelLoadException(file, format.displayName(), "TorchScript files do not record their input shape; "
                    + "write a descriptor beside it (" + InputSpec.besideModel(file).getFileName() + ")");
        }
        byte[] bytes = readBounded(file, format);
        ModelHandle handle;
        try {
            int[] shape = spec == null ? null : toInts(spec.tensorShape(1));
            handle = client.loadModel(runtime, file.getFileName().toString(), bytes, threads, shape);
        } catch (AgentException e) {
            throw new ModelLoadException(file, format.displayName(), "the agent on " + device + " refused it: " + e.getMessage(), e);
        } catch (IOException e) {
            throw lost("lost the agent on " + device + " while loading " + file.getFileName(), e);
        }
        if (spec == null) {
            spec = specFromShape(file, format, handle.inputShape());
        }
        if (spec.imageSize() != handle.sampleSize()) {
            throw new ModelLoadException(file, format.displayName(), "the descriptor says " + spec + " but the model on "
                    + device + " takes " + Arrays.toString(handle.inputShape()));
        }
        Variant variant = spec.variant() != null ? spec.variant()
                : file.getFileName().toString().toLowerCase(Locale.ROOT).contains("int8") || handle.quantizedInput()
                ? Variant.INT8 : Variant.FLOAT;
        String id = baseName(file) + "@" + device;
        ModelInfo info = new ModelInfo(id, file, format, format.runtime(), variant);
        return new DeviceClassifier(client, device, handle, info, spec);
    }

    private static InputSpec specFromShape(Path file, ModelFormat format, int[] shape) {
        if (shape.length == 4 && shape[3] >= 1 && shape[3] <= 4) {
            return InputSpec.plain(InputSpec.Layout.NHWC, shape[3], shape[1], shape[2], java.util.List.of());
        }
        throw new ModelLoadException(file, format.displayName(), "cannot tell the input layout from shape "
                + Arrays.toString(shape) + "; write a descriptor beside the model");
    }

    private static byte[] readBounded(Path file, ModelFormat format) {
        try {
            long size = Files.size(file);
            if (size > Protocol.MAX_PAYLOAD_BYTES) {
                throw new ModelLoadException(file, format.displayName(), "is " + size + " bytes; a model sent to a device "
                        + "may be at most " + Protocol.MAX_PAYLOAD_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, format.displayName(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static int[] toInts(long[] shape) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = Math.toIntExact(shape[i]);
        }
        return out;
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The device this model runs on. */
    public String device() {
        return device;
    }

    /** The agent runtime ({@link #TFLITE} or {@link #PYTORCH_LITE}). */
    public String runtime() {
        return handle.runtime();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InputSpec input() {
        return spec;
    }

    @Override
    public int numClasses() {
        return handle.classes();
    }

    @Override
    public float[] logits(ImageBatch batch) {
        preprocessor.checkShape(batch);
        float[] input = preprocessor.toModelInput(batch);
        InferResult result;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(info.id() + " is closed");
            }
            try {
                result = client.infer(handle, input, batch.size());
            } catch (AgentException e) {
                throw new IllegalStateException(info.id() + ": the agent could not run the batch: " + e.getMessage(), e);
            } catch (IOException e) {
                throw lost("lost the agent on " + device + " during a batch of " + info.id(), e);
            }
            deviceNanos += result.inferNanos();
            roundTripNanos += result.roundTripNanos();
            requestBytes += result.requestBytes();
            images += batch.size();
        }
        if (result.batch() != batch.size() || result.classes() != handle.classes()) {
            throw new IllegalStateException(info.id() + ": the agent answered " + result.batch() + "×" + result.classes()
                    + " scores for " + batch.size() + " images of " + handle.classes() + " classes");
        }
        return result.scores();
    }

    /** A lost connection, unchecked (classifiers throw no checked exceptions), with what to do. */
    private static java.io.UncheckedIOException lost(String what, IOException e) {
        return new java.io.UncheckedIOException(new DeviceDisconnectedException(what + " (" + e.getMessage()
                + "); reconnect the device, then resume", e));
    }

    /** Inference time the agent measured on the device, summed over batches. */
    public synchronized long deviceNanos() {
        return deviceNanos;
    }

    /** Round-trip time of the INFER requests as this side saw them, summed over batches. */
    public synchronized long roundTripNanos() {
        return roundTripNanos;
    }

    /** Bytes of batch payloads sent so far (less than 4 per value when batches went as a palette). */
    public synchronized long requestBytes() {
        return requestBytes;
    }

    /**
     * Whether batches may go to the agent as a lossless palette ({@link org.mrw.protocol.Palette}; the
     * default) or always as float32. Applies to the device connection, so to its other models too.
     */
    public void allowPalette(boolean allowed) {
        client.allowPalette(allowed);
    }

    /** Whether batches may go as a palette (the device's default until {@link #allowPalette} changes it). */
    public boolean paletteAllowed() {
        return client.paletteAllowed();
    }

    /** Images classified so far. */
    public synchronized long images() {
        return images;
    }

    /** Unloads the model on the device; the client stays open for its owner. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.unload(handle);
        } catch (IOException | AgentException e) {
            // the device may be gone; its agent frees the model when the connection ends
        }
    }
}
