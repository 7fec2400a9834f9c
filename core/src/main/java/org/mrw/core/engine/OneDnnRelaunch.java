package org.mrw.core.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts an installed launcher with oneDNN's instruction-set cap in its environment. oneDNN reads
 * {@code DNNL_MAX_CPU_ISA} only from the process environment, which a JVM cannot change and jpackage's
 * native launchers cannot set; so the installed launchers pass {@code -Dmrw.onednn.relaunch=true} and the
 * first JVM starts the same launcher again with the variable exported ({@link Engines#ONEDNN_ISA}), then
 * waits for it and hands on its exit code. An exported {@code DNNL_MAX_CPU_ISA} is respected: no relaunch.
 */
public final class OneDnnRelaunch {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnRelaunch.class);

    /** The system property (set only by the installed launchers) that asks for the relaunch. */
    public static final String PROPERTY = "mrw.onednn.relaunch";

    private OneDnnRelaunch() {
    }

    /**
     * Runs this launcher again with the cap when asked to and the variable is unset.
     *
     * @return the relaunched process's exit code, or empty when this process should carry on itself
     */
    public static OptionalInt relaunchIfUncapped(String[] args) {
        if (!Boolean.getBoolean(PROPERTY) || System.getenv(Engines.ONEDNN_ISA_VARIABLE) != null) {
            return OptionalInt.empty();
        }
        Optional<String> self = ProcessHandle.current().info().command();
        // a plain `java` would lose its options and main class: only a native launcher can be rerun as is
        if (self.isEmpty() || Path.of(self.get()).getFileName().toString().equals("java")) {
            LOG.warn("cannot relaunch with {}={}: this process's launcher is {}", Engines.ONEDNN_ISA_VARIABLE,
                    Engines.ONEDNN_ISA, self.orElse("unknown"));
            return OptionalInt.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(self.get());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put(Engines.ONEDNN_ISA_VARIABLE, Engines.ONEDNN_ISA);
        // set by jpackage's launcher for itself: inherited, it makes the new launcher take the arguments as
        // raw java arguments ("Could not find or load main class info")
        pb.environment().remove("_JPACKAGE_LAUNCHER");
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2"); // as ./mrw: no TensorFlow info lines on stderr
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            LOG.warn("cannot relaunch {} with {}={}: {}", self.get(), Engines.ONEDNN_ISA_VARIABLE, Engines.ONEDNN_ISA,
                    e.getMessage());
            return OptionalInt.empty();
        }
        // a TERM to this process must not leave the real one running
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "mrw-relaunch-stop"));
        try {
            return OptionalInt.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return OptionalInt.of(130);
        }
    }
}
