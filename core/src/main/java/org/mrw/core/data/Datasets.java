package org.mrw.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens datasets: by path, recognising the format from magic bytes, extensions and folder contents,
 * or the bundled Fashion-MNIST test split. Every failure the input can cause is a
 * {@link DatasetFormatException} whose message says what to fix.
 *
 * <p>Accepted: IDX pairs (MNIST, Fashion-MNIST; raw or gzip), CIFAR-10 binary batches, folders of
 * images with one subfolder per class (PNG, JPEG, BMP, GIF), NumPy {@code .npy} images + labels and
 * {@code .npz} archives.
 */
public final class Datasets {

    /** Fashion-MNIST's class names, indexed by label. */
    public static final List<String> FASHION_MNIST_CLASSES = ClassNames.FASHION_MNIST;

    /** CIFAR-10's class names, indexed by label. */
    public static final List<String> CIFAR10_CLASSES = ClassNames.CIFAR10;

    /** Where Debian's {@code dataset-fashion-mnist} package installs the full dataset. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    static final String BUNDLED = "datasets/fashion-mnist/";

    private static final String ACCEPTED = "IDX (<prefix>-images-idx3-ubyte[.gz]), CIFAR-10 binary (.bin), NumPy (.npy, .npz)"
            + " or a folder with one subfolder of images per class";

    private Datasets() {
    }

    /**
     * Opens the dataset at {@code path}: an IDX images or labels file (its partner beside it) or a
     * folder holding one IDX pair; a CIFAR-10 {@code .bin} batch or a folder of them; a folder of class
     * subfolders of images; a {@code .npy} images file (labels beside it) or a {@code .npz} archive.
     *
     * @throws DatasetFormatException when the path is missing, the format is not recognised, or the
     *                                data is malformed (the message names the file and the problem)
     */
    public static Dataset open(Path path, DatasetOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (!Files.exists(path)) {
            throw new DatasetFormatException(path, "a dataset file or folder", "nothing at that path",
                    "Check the path. Accepted: " + ACCEPTED + ".");
        }
        return Files.isDirectory(path) ? openFolder(path, options) : openFile(path, options);
    }

    /** The bundled Fashion-MNIST test split: 10,000 grey 28x28 images in 10 classes, read from the classpath. */
    public static Dataset fashionMnistTest() {
        ByteSource images = ByteSource.resource(BUNDLED + "t10k-images-idx3-ubyte.gz");
        ByteSource labels = ByteSource.resource(BUNDLED + "t10k-labels-idx1-ubyte.gz");
        if (images == null || labels == null) {
            throw new IllegalStateException("the bundled Fashion-MNIST test split is missing from the classpath ("
                    + BUNDLED + "); rebuild mrw-core");
        }
        return IdxReader.read(images, labels, "fashion-mnist-test",
                new ClassNames.Resolved(ClassNames.FASHION_MNIST, "Fashion-MNIST"), 0);
    }

    /**
     * The Fashion-MNIST training split (60,000 images), which is too large to bundle: read from
     * {@link #DEBIAN_FASHION_MNIST}, where {@code apt-get install dataset-fashion-mnist} puts it.
     *
     * @throws DatasetFormatException when it is not installed
     */
    public static Dataset fashionMnistTrain() {
        return fashionMnistTrain(DEBIAN_FASHION_MNIST);
    }

    static Dataset fashionMnistTrain(Path folder) {
        Path images = folder.resolve("train-images-idx3-ubyte.gz");
        Path labels = folder.resolve("train-labels-idx1-ubyte.gz");
        for (Path file : List.of(images, labels)) {
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException(file, "the Fashion-MNIST training split", "no such file",
                        "Install it with: apt-get install dataset-fashion-mnist");
            }
        }
        return IdxReader.read(ByteSource.of(images), ByteSource.of(labels), "fashion-mnist-train",
                new ClassNames.Resolved(ClassNames.FASHION_MNIST, "Fashion-MNIST"), 0);
    }

    private static Dataset openFile(Path file, DatasetOptions options) {
        byte[] head = Magic.head(file, 8);
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (Magic.isGzip(head)) {
            byte[] inner = gunzipHead(file);
            if (IdxReader.looksLikeIdx(inner) || IdxReader.isIdxName(name)) {
                return inMemory(file, options, IdxReader.FORMAT, () -> IdxReader.open(file, options));
            }
            if (Magic.isNpy(inner)) {
                return inMemory(file, options, NpyReader.FORMAT, () -> NpyReader.open(file, options));
            }
            throw new DatasetFormatException(file, "gzip-compressed IDX or NPY data", "a gzip file holding other data"
                    + Magic.describe(inner), "Accepted: " + ACCEPTED + ".");
        }
        if (Magic.isNpy(head)) {
            return inMemory(file, options, NpyReader.FORMAT, () -> NpyReader.open(file, options));
        }
        if (Magic.isZip(head) || lower.endsWith(".npz")) {
            return inMemory(file, options, NpzReader.FORMAT, () -> NpzReader.open(file, options));
        }
        if (CifarReader.isBatchName(name)) {
            return inMemory(file, options, CifarReader.FORMAT, () -> CifarReader.open(file, options));
        }
        if (IdxReader.looksLikeIdx(head) || IdxReader.isIdxName(name)) {
            return inMemory(file, options, IdxReader.FORMAT, () -> IdxReader.open(file, options));
        }
        if (lower.endsWith(".npy")) {
            return inMemory(file, options, NpyReader.FORMAT, () -> NpyReader.open(file, options));
        }
        if (Magic.isPng(head) || Magic.isJpeg(head) || ImageFolderDataset.isImageFile(file)) {
            throw new DatasetFormatException(file, "a dataset (" + ACCEPTED + ")", "a single image" + Magic.describe(head),
                    "Point at the folder that holds one subfolder of images per class.");
        }
        throw new DatasetFormatException(file, "a dataset (" + ACCEPTED + ")", "a file of unknown format (first bytes "
                + hex(head) + ")", "Convert the data to one of the accepted formats, e.g. np.savez(path, x=images, y=labels).");
    }

    private static Dataset openFolder(Path folder, DatasetOptions options) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + folder + ": " + e.getMessage(), e);
        }
        List<String> files = entries.stream().filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        if (files.stream().anyMatch(IdxReader::isIdxName)) {
            return inMemory(folder, options, IdxReader.FORMAT, () -> IdxReader.open(folder, options));
        }
        if (files.stream().anyMatch(CifarReader::isBatchName)) {
            return inMemory(folder, options, CifarReader.FORMAT, () -> CifarReader.open(folder, options));
        }
        List<Path> numpy = entries.stream().filter(Files::isRegularFile).filter(p -> isNumpyImages(p, options)).toList();
        if (numpy.size() == 1) {
            return open(numpy.get(0), options);
        }
        if (numpy.size() > 1) {
            throw new DatasetFormatException(folder, "one NumPy images file (.npy or .npz)",
                    "several: " + numpy.stream().map(p -> p.getFileName().toString()).toList(), "Point at one of them.");
        }
        if (ImageFolderDataset.looksLikeImageFolder(folder)) {
            return ImageFolderDataset.open(folder, options);
        }
        List<String> shown = entries.stream().limit(10).map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).toList();
        throw new DatasetFormatException(folder, "a dataset folder (" + ACCEPTED + ")",
                entries.isEmpty() ? "an empty folder" : "only " + shown + (entries.size() > 10 ? " and more" : ""),
                "Point at the dataset file itself, or arrange the images in one subfolder per class.");
    }

    /** A .npz, or a .npy that is not itself a labels file. */
    private static boolean isNumpyImages(Path p, DatasetOptions options) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npz")) {
            return true;
        }
        if (!n.endsWith(".npy") || p.equals(options.labels())) {
            return false;
        }
        String stem = n.substring(0, n.length() - 4);
        return !stem.equals("labels") && !stem.endsWith("_labels") && !stem.startsWith("y") && !stem.startsWith("labels");
    }

    /** Formats held in memory cannot resize: say so instead of silently ignoring the option. */
    private static Dataset inMemory(Path path, DatasetOptions options, String format, Supplier<Dataset> reader) {
        if (options.resizes()) {
            throw new DatasetFormatException(path, "an image folder for the resize/crop options", format + " data",
                    "Resize and crop apply to image folders only; leave them unset for " + format + ".");
        }
        return reader.get();
    }

    private static byte[] gunzipHead(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readNBytes(8);
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file, "a valid gzip stream", "corrupt or truncated data (" + e.getMessage() + ")",
                    "The file is damaged; download it again.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dataset " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }
}
