package org.mrw.core.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.model.Variant;
import org.mrw.core.model.tflite.TfliteModelWriter.Node;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Quantized inputs and outputs, seen through models whose output is their reshaped input: the
 * logits are exactly what the classifier stored in the input tensor, dequantized.
 */
class InputQuantizationTest {

    @TempDir
    Path dir;

    /** Pixels 0, 0.25, 0.5, 0.75, 1 and a few in between, one 1x2x4 image. */
    private static final ImageBatch RAMP = new ImageBatch(new float[] {0f, 0.1f, 0.25f, 0.4f, 0.5f, 0.6f, 0.75f, 1f},
            new int[1], 1, 2, 4);

    @Test
    void int8InputsAboveTheInputRangeSaturateAtItsTop() throws IOException {
        TfliteModelWriter w = new TfliteModelWriter("identity");
        Node x = w.input(2, 4, 1);
        Node y = w.flatten(x);
        w.output(y);
        Path file = dir.resolve("identity_int8.tflite");
        w.writeInt8(file, Calibration.empty().with(x, 0f, 0.5f).with(y, 0f, 0.5f));
        AffineQuantization q = AffineQuantization.int8ForRange(0f, 0.5f);

        try (Classifier c = Models.load(file, null)) {
            assertThat(c.info().variant()).isEqualTo(Variant.INT8);
            float[] out = c.logits(RAMP);
            for (int i = 0; i < out.length; i++) {
                float px = RAMP.pixels()[i];
                assertThat(out[i]).as("pixel %s", px).isEqualTo(q.dequantize(q.quantize(px)));
                assertThat(out[i]).as("pixel %s", px).isCloseTo(Math.min(px, 0.5f), within(q.scale() / 2));
            }
        }
    }

    @Test
    void uint8InputsAreQuantizedWithTheirZeroPointAndSaturateAt255() throws IOException {
        Path file = dir.resolve("identity_uint8.tflite");
        Files.write(file, uint8Identity(1f / 200f, 100));
        try (Classifier c = Models.load(file, null)) {
            assertThat(c.info().variant()).isEqualTo(Variant.INT8);
            float[] out = c.logits(RAMP);
            // 1/200 steps from zero point 100 reach (255-100)/200 = 0.775 before saturating.
            assertThat(out).containsExactly(new float[] {0f, 0.1f, 0.25f, 0.4f, 0.5f, 0.6f, 0.75f, 0.775f}, within(1e-6f));
        }
    }

    /** A uint8 model [1,2,4,1] -> RESHAPE -> [1,8] (the writer writes only int8, so built here). */
    private static byte[] uint8Identity(float scale, long zeroPoint) {
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(new float[] {scale});
        q.setZeroPoint(new long[] {zeroPoint});
        TensorT in = tensor("input", new int[] {1, 2, 4, 1}, TensorType.UINT8, 0, q);
        TensorT shape = tensor("shape", new int[] {2}, TensorType.INT32, 1, null);
        TensorT out = tensor("output", new int[] {1, 8}, TensorType.UINT8, 0, q);
        BufferT empty = new BufferT();
        BufferT shapeData = new BufferT();
        shapeData.setData(new int[] {0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0});
        OperatorCodeT code = new OperatorCodeT();
        code.setBuiltinCode(BuiltinOperator.RESHAPE);
        code.setDeprecatedBuiltinCode((byte) BuiltinOperator.RESHAPE);
        code.setVersion(1);
        ReshapeOptionsT options = new ReshapeOptionsT();
        options.setNewShape(new int[] {-1, 8});
        BuiltinOptionsUnion union = new BuiltinOptionsUnion();
        union.setType(BuiltinOptions.ReshapeOptions);
        union.setValue(options);
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(0);
        op.setInputs(new int[] {0, 1});
        op.setOutputs(new int[] {2});
        op.setBuiltinOptions(union);
        SubGraphT graph = new SubGraphT();
        graph.setTensors(new TensorT[] {in, shape, out});
        graph.setInputs(new int[] {0});
        graph.setOutputs(new int[] {2});
        graph.setOperators(new OperatorT[] {op});
        ModelT model = new ModelT();
        model.setVersion(3);
        model.setOperatorCodes(new OperatorCodeT[] {code});
        model.setSubgraphs(new SubGraphT[] {graph});
        model.setBuffers(new BufferT[] {empty, shapeData});
        FlatBufferBuilder fbb = new FlatBufferBuilder(1024);
        Model.finishModelBuffer(fbb, Model.pack(fbb, model));
        return fbb.sizedByteArray();
    }

    private static TensorT tensor(String name, int[] shape, byte type, int buffer, QuantizationParametersT q) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setShape(shape);
        t.setType(type);
        t.setBuffer(buffer);
        t.setQuantization(q);
        return t;
    }
}
