package org.mrw.agent.android;

import com.facebook.soloader.nativeloader.NativeLoader;
import com.facebook.soloader.nativeloader.NativeLoaderDelegate;
import java.io.File;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads the mobile runtimes' native libraries from the folder the workbench pushed them to
 * ({@code /data/local/tmp/mrw/lib/<abi>/}), by absolute path and dependencies first.
 *
 * <p>An agent started by {@code app_process} is no installed app: {@code System.loadLibrary} only
 * searches the system folders, so PyTorch's own {@code NativeLoader.loadLibrary("pytorch_jni_lite")}
 * would fail. Installed as NativeLoader's delegate, this class answers those requests with
 * {@code System.load(<dir>/lib<name>.so)}; loading a library's dependencies by path first lets
 * Android's linker find them as already loaded when it resolves the library's DT_NEEDED entries.
 *
 * <p>Not run on this computer (the libraries need Android's libc); see the package documentation.
 */
public final class PhoneNativeLibraries implements NativeLoaderDelegate {

    /** System property naming the folder with this device's ABI libraries; overrides the default. */
    public static final String LIBRARY_DIR_PROPERTY = "mrw.agent.libdir";

    /**
     * PyTorch lite's libraries in load order, dependencies first. From the DT_NEEDED entries of the
     * 1.12.2 AAR ({@code readelf -d}, identical for all four ABIs): libfbjni needs libc++_shared,
     * libpytorch_jni_lite needs libfbjni and libc++_shared; the rest are Android system libraries.
     * The agent's build writes the same order into agent-dist/manifest.json.
     */
    static final List<String> PYTORCH_LOAD_ORDER = Collections.unmodifiableList(Arrays.asList("c++_shared", "fbjni", "pytorch_jni_lite"));

    private static PhoneNativeLibraries installed;

    private final File directory;
    private final Set<String> loaded = new HashSet<>();

    PhoneNativeLibraries(File directory) {
        this.directory = directory;
    }

    /**
     * Makes PyTorch's NativeLoader load from this device's library folder; idempotent. Must run
     * before the first use of any {@code org.pytorch} class, whose static initialisers load natives.
     */
    public static synchronized PhoneNativeLibraries installForPytorch() {
        if (installed == null) {
            installed = new PhoneNativeLibraries(libraryDirectory());
            NativeLoader.initIfUninitialized(installed);
        }
        return installed;
    }

    /** The folder holding this device's libraries: the property, else {@code lib/<abi>} beside the agent jar. */
    public static File libraryDirectory() {
        String configured = System.getProperty(LIBRARY_DIR_PROPERTY);
        if (configured != null && !configured.isEmpty()) {
            return new File(configured);
        }
        File jar = new File(System.getProperty("java.class.path", "agent.jar").split(File.pathSeparator)[0]).getAbsoluteFile();
        return new File(new File(jar.getParentFile(), "lib"), abi(System.getProperty("os.arch", "")));
    }

    /** Android ABI folder name for a JVM {@code os.arch} value (ART reports aarch64, armv7l/armv8l, i686, x86_64). */
    static String abi(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return "arm64-v8a";
        }
        if (arch.startsWith("arm")) {
            return "armeabi-v7a";
        }
        if (arch.equals("x86_64") || arch.equals("amd64")) {
            return "x86_64";
        }
        if (arch.equals("x86") || arch.matches("i[3-6]86")) {
            return "x86";
        }
        throw new IllegalStateException("no Android ABI for os.arch " + osArch);
    }

    @Override
    public synchronized boolean loadLibrary(String shortName, int flags) {
        int position = PYTORCH_LOAD_ORDER.indexOf(shortName);
        for (int i = 0; i < position; i++) {
            loadOnce(PYTORCH_LOAD_ORDER.get(i));
        }
        return loadOnce(shortName);
    }

    private boolean loadOnce(String shortName) {
        if (loaded.contains(shortName)) {
            return false;
        }
        File library = file(shortName);
        if (!library.isFile()) {
            // Same failure as System.loadLibrary; PyTorch catches it for its optional torch-code-gen.
            throw new UnsatisfiedLinkError("no " + library + " (push the agent's lib/<abi> folder)");
        }
        System.load(library.getAbsolutePath());
        loaded.add(shortName);
        return true;
    }

    private File file(String shortName) {
        return new File(directory, "lib" + shortName + ".so");
    }

    @Override
    public String getLibraryPath(String libName) {
        File library = file(libName.startsWith("lib") && libName.endsWith(".so") ? libName.substring(3, libName.length() - 3) : libName);
        return library.isFile() ? library.getAbsolutePath() : null;
    }

    @Override
    public int getSoSourcesVersion() {
        return 0;
    }

    /** The folder libraries are loaded from. */
    public File directory() {
        return directory;
    }
}
