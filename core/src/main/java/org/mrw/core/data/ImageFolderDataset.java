package org.mrw.core.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder with one subfolder per class (sorted subfolder names are the class names, as in
 * torchvision's {@code ImageFolder}), holding PNG, JPEG, BMP or GIF files at any depth. Only the file
 * list is built when opening; images are decoded when a batch asks for them, converted to the chosen
 * channels, resized and cropped, and the most recently used ones kept in a small cache.
 */
final class ImageFolderDataset implements Dataset {

    static final String FORMAT = "image folder";

    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);

    /** What the header of one image says, read without decoding pixels. */
    private record Info(int width, int height, boolean grey) {
    }

    private final Path root;
    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final int channels;
    private final int height;
    private final int width;
    private final int resizeShorter;
    private final int crop;
    private final Map<Integer, float[]> cache;
    private final int cacheCapacity;

    private ImageFolderDataset(Path root, List<Path> files, int[] labels, List<String> classNames, int channels, int height,
            int width, int resizeShorter, int crop, int cacheCapacity) {
        this.root = root;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.resizeShorter = resizeShorter;
        this.crop = crop;
        this.cacheCapacity = cacheCapacity;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, float[]> eldest) {
                return size() > ImageFolderDataset.this.cacheCapacity;
            }
        };
    }

    /** True when {@code folder} has a subfolder holding at least one image file directly. */
    static boolean looksLikeImageFolder(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> Files.isDirectory(p) && !hidden(p)).anyMatch(dir -> {
                try (Stream<Path> inner = Files.list(dir)) {
                    return inner.anyMatch(ImageFolderDataset::isImageFile);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + folder + ": " + e.getMessage(), e);
        }
    }

    static ImageFolderDataset open(Path root, DatasetOptions options) {
        List<Path> classDirs = list(root).stream().filter(Files::isDirectory).filter(p -> !hidden(p))
                .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(root, "an " + FORMAT + " with one subfolder of images per class",
                    "no subfolders", "Put the images of each class in a subfolder named after the class.");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            List<Path> images = imagesUnder(classDirs.get(label));
            if (images.isEmpty()) {
                throw new DatasetFormatException(classDirs.get(label), "image files (" + String.join(", ", sortedExtensions())
                        + ") for class " + classDirs.get(label).getFileName(), "none",
                        "Remove the empty class folder or add its images.");
            }
            Limits.checkCount(root, "image", (long) files.size() + images.size());
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labelList.add(label);
            }
        }
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        List<String> folderNames = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        ClassNames.Resolved classes = ClassNames.resolve(options, root, folderNames, "the subfolder names");
        if (classes.names().size() != folderNames.size()) {
            throw new DatasetFormatException(root, folderNames.size() + " class names (one per subfolder) from "
                    + classes.origin(), classes.names().size() + " names", "Give exactly one name per class subfolder.");
        }

        int crop = options.crop() > 0 ? options.crop() : options.resizeShorter();
        int outHeight = crop;
        int outWidth = crop;
        int channels = options.channels();
        if (!options.resizes() || channels == 0) {
            LOG.debug("Reading the headers of {} images in {}", files.size(), root);
            boolean allGrey = true;
            Path first = null;
            Info firstInfo = null;
            for (Path file : files) {
                Info info = readInfo(file);
                allGrey &= info.grey();
                if (options.crop() > 0 && options.resizeShorter() == 0) {
                    checkCropFits(file, info.width(), info.height(), options.crop());
                }
                if (!options.resizes()) {
                    if (firstInfo == null) {
                        first = file;
                        firstInfo = info;
                        Limits.checkSide(file, "image height", info.height());
                        Limits.checkSide(file, "image width", info.width());
                    } else if (info.width() != firstInfo.width() || info.height() != firstInfo.height()) {
                        throw new DatasetFormatException(file, firstInfo.width() + "x" + firstInfo.height()
                                + " pixels like " + root.relativize(first), info.width() + "x" + info.height(),
                                "The images differ in size: choose a resize and crop (e.g. resize 256, crop 224).");
                    }
                }
            }
            if (channels == 0) {
                channels = allGrey ? 1 : 3;
            }
            if (!options.resizes()) {
                outHeight = firstInfo.height();
                outWidth = firstInfo.width();
            }
        }
        Limits.checkTotal(root, 1, channels, outHeight, outWidth);
        return new ImageFolderDataset(root, files, labels, classes.names(), channels, outHeight, outWidth,
                options.resizeShorter(), crop, options.cacheImages());
    }

    @Override
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    @Override
    public Path source() {
        return root;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public ImageBatch batch(int from, int count) {
        Objects.checkFromIndexSize(from, count, files.size());
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = from + i;
        }
        return batch(indices);
    }

    @Override
    public ImageBatch batch(int[] indices) {
        int per = channels * height * width;
        float[] out = new float[Limits.batchValues(indices.length, per)];
        int[] batchLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], files.size());
            System.arraycopy(image(index), 0, out, i * per, per);
            batchLabels[i] = labels[index];
        }
        return new ImageBatch(out, batchLabels, channels, height, width);
    }

    @Override
    public String toString() {
        return name() + " (" + files.size() + " images in " + classNames.size() + " classes, " + channels + "x" + height
                + "x" + width + ", " + root + ")";
    }

    /** The decoded image, from the cache when it is there; never handed out (batches copy it). */
    private float[] image(int index) {
        if (cacheCapacity > 0) {
            synchronized (cache) {
                float[] cached = cache.get(index);
                if (cached != null) {
                    return cached;
                }
            }
        }
        float[] decoded = decode(files.get(index));
        if (cacheCapacity > 0) {
            synchronized (cache) {
                cache.put(index, decoded);
            }
        }
        return decoded;
    }

    private float[] decode(Path file) {
        BufferedImage image = readImage(file);
        int h = image.getHeight();
        int w = image.getWidth();
        float[] planes = toPlanes(image, channels);
        if (resizeShorter > 0) {
            int[] size = Resampler.resizedSize(h, w, resizeShorter);
            planes = Resampler.resize(planes, channels, h, w, size[0], size[1]);
            h = size[0];
            w = size[1];
        }
        if (crop > 0) {
            checkCropFits(file, w, h, crop);
            planes = Resampler.centreCrop(planes, channels, h, w, crop);
            h = crop;
            w = crop;
        }
        if (h != height || w != width) {
            throw new DatasetFormatException(file, width + "x" + height + " pixels like the other images", w + "x" + h,
                    "The images differ in size: choose a resize and crop (e.g. resize 256, crop 224).");
        }
        return planes;
    }

    private static void checkCropFits(Path file, int w, int h, int crop) {
        if (w < crop || h < crop) {
            throw new DatasetFormatException(file, "an image of at least " + crop + "x" + crop + " pixels to crop",
                    w + "x" + h, "Also resize the images (e.g. resize 256 before crop 224) or crop less.");
        }
    }

    /**
     * Planes in [0,1] with {@code channels} channels. Grey and sRGB images are read straight from
     * the raster (Java2D's getRGB would re-encode linear grey and change the values); palettes and
     * other colour spaces go through sRGB.
     */
    static float[] toPlanes(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean palette = cm instanceof IndexColorModel;
        float[] planes;
        int stored;
        if (!palette && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            stored = 1;
            planes = bands(raster, cm, 1, w, h);
        } else if (!palette && cm.getColorSpace().isCS_sRGB() && raster.getNumBands() >= 3) {
            stored = 3;
            planes = bands(raster, cm, 3, w, h);
        } else {
            boolean grey = palette && greyPalette((IndexColorModel) cm);
            stored = grey ? 1 : 3;
            planes = new float[stored * plane];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    planes[p] = ((row[x] >> 16) & 0xFF) / 255f;
                    if (!grey) {
                        planes[plane + p] = ((row[x] >> 8) & 0xFF) / 255f;
                        planes[2 * plane + p] = (row[x] & 0xFF) / 255f;
                    }
                }
            }
        }
        if (stored == channels) {
            return planes;
        }
        float[] out = new float[channels * plane];
        Pixels.convert(planes, 0, stored, out, 0, channels, plane);
        return out;
    }

    private static float[] bands(Raster raster, ColorModel cm, int count, int w, int h) {
        float[] planes = new float[count * w * h];
        int[] row = new int[w];
        for (int b = 0; b < count; b++) {
            float max = (float) ((1L << cm.getComponentSize(b)) - 1);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, b, row);
                for (int x = 0; x < w; x++) {
                    planes[(b * h + y) * w + x] = row[x] / max;
                }
            }
        }
        return planes;
    }

    private static boolean greyPalette(IndexColorModel cm) {
        for (int i = 0; i < cm.getMapSize(); i++) {
            if (cm.getRed(i) != cm.getGreen(i) || cm.getRed(i) != cm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static Info readInfo(Path file) {
        return withReader(file, reader -> {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSourceSize(file, w, h);
            ImageTypeSpecifier type = reader.getRawImageType(0);
            boolean grey = type != null && isGrey(type.getColorModel());
            return new Info(w, h, grey);
        });
    }

    private static BufferedImage readImage(Path file) {
        return withReader(file, reader -> {
            // Check the declared size before decoding, so a tiny file cannot demand gigabytes.
            checkSourceSize(file, reader.getWidth(0), reader.getHeight(0));
            return reader.read(0);
        });
    }

    private static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            return greyPalette(icm);
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static void checkSourceSize(Path file, int w, int h) {
        if (w < 1 || h < 1 || w > Limits.MAX_SOURCE_SIDE || h > Limits.MAX_SOURCE_SIDE
                || (long) w * h > Limits.MAX_SOURCE_PIXELS) {
            throw new DatasetFormatException(file, "an image of at most " + Limits.MAX_SOURCE_SIDE + " pixels a side and "
                    + Limits.MAX_SOURCE_PIXELS + " pixels in all", w + "x" + h, "Shrink the image first.");
        }
    }

    /** Work with an image reader; may throw {@link IOException}. */
    @FunctionalInterface
    private interface ReaderWork<T> {
        T run(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path file, ReaderWork<T> work) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("Cannot open image " + file));
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetFormatException(file, "an image Java can decode (" + String.join(", ", sortedExtensions()) + ")",
                        "unknown content" + Magic.describe(Magic.head(file, 8)), "Remove the file or convert it to PNG.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return work.run(reader);
            } finally {
                reader.dispose();
            }
        } catch (IIOException e) {
            throw new DatasetFormatException(file, "a decodable " + extension(file).toUpperCase(Locale.ROOT) + " image",
                    "corrupt data (" + e.getMessage() + ")", "Remove the file or save it again.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Image files below {@code dir} in torchvision's order: by folder path, then by file name. */
    private static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(p -> !hiddenBelow(dir, p)).filter(ImageFolderDataset::isImageFile)
                    .sorted(Comparator.comparing((Path p) -> p.getParent().toString())
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("Cannot list dataset folder " + dir + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    static boolean isImageFile(Path p) {
        return Files.isRegularFile(p) && !hidden(p) && EXTENSIONS.contains(extension(p));
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> sortedExtensions() {
        return EXTENSIONS.stream().sorted().toList();
    }
}
