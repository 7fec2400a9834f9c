package org.mrw.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mrw.core.zoo.SavedModelExport;
import org.mrw.core.zoo.TfliteExport;
import org.mrw.core.zoo.ZooGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrw zoo export}: turns one folded graph ({@code <arch>.graph.json} + weights) into the
 * TensorFlow SavedModel and the float32 and int8 TFLite files of the zoo.
 */
@Command(name = "export", description = "Write <arch>_float_savedmodel/, <arch>_float.tflite and <arch>_int8.tflite "
        + "from a zoo graph (same weights, PyTorch semantics; int8 calibrated with the graph's ranges).")
final class ZooExportCommand implements Callable<Integer> {

    /** One file or folder written. */
    record Written(String kind, Path path, long bytes) {
    }

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Option(names = "--graph", required = true, description = "The <arch>.graph.json (its <arch>.weights.npz beside it).")
    Path graphFile;

    @Option(names = "--out", description = "Folder for the exports (default: the graph's folder).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ZooGraph graph = ZooGraph.read(graphFile);
        Path dir = out != null ? out : graphFile.toAbsolutePath().getParent();
        String arch = graph.name().isEmpty() ? graphFile.getFileName().toString().replaceFirst("\\.graph\\.json$", "") : graph.name();
        Path savedModel = SavedModelExport.export(graph, dir.resolve(arch + "_float_savedmodel"));
        Path float32 = dir.resolve(arch + "_float.tflite");
        TfliteExport.writeFloat32(graph, float32);
        Path int8 = dir.resolve(arch + "_int8.tflite");
        TfliteExport.writeInt8(graph, int8);

        List<Written> written = List.of(new Written("savedmodel", savedModel, size(savedModel)),
                new Written("tflite-float32", float32, Files.size(float32)), new Written("tflite-int8", int8, Files.size(int8)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("graph", graphFile.toString());
        doc.put("architecture", arch);
        List<Map<String, Object>> files = new ArrayList<>();
        StringBuilder text = new StringBuilder("exported " + arch + " (" + graph.nodes().size() + " nodes)");
        for (Written w : written) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("kind", w.kind());
            f.put("path", w.path().toString());
            f.put("bytes", w.bytes());
            files.add(f);
            text.append(System.lineSeparator()).append(String.format("  %-15s %10d bytes  %s", w.kind(), w.bytes(), w.path()));
        }
        doc.put("files", files);
        output.print(spec.commandLine().getOut(), doc, text.toString());
        return 0;
    }

    /** Bytes of a file, or of every file under a folder. */
    private static long size(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.size(path);
        }
        long total = 0;
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }
}
