package org.mrw.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mrw.core.zoo.ZooManifest;

/** What the installed launchers (packaging/) rely on: -Dmrw.home and the oneDNN relaunch switch. */
class InstalledLauncherTest {

    @AfterEach
    void clear() {
        System.clearProperty("mrw.home");
        System.clearProperty(OneDnnRelaunch.PROPERTY);
    }

    @Test
    void mrwHomePropertyPointsTheZooIntoTheInstalledTree() {
        Path home = Path.of("/opt/mrw/lib/app");
        System.setProperty("mrw.home", home.toString());
        assertThat(ZooManifest.defaultDir()).isEqualTo(home.resolve("models"));
    }

    @Test
    void withoutMrwHomeTheZooIsTheCheckouts() {
        assertThat(ZooManifest.defaultDir().toString()).doesNotStartWith("/opt/mrw");
    }

    @Test
    void noRelaunchUnlessAnInstalledLauncherAsks() {
        assertThat(OneDnnRelaunch.relaunchIfUncapped(new String[] {"info"})).isEmpty();
    }

    @Test
    void noRelaunchWhenTheCapIsAlreadyExported() {
        // Surefire exports DNNL_MAX_CPU_ISA (EnginesTest checks it): the switch alone must not rerun the JVM
        System.setProperty(OneDnnRelaunch.PROPERTY, "true");
        assertThat(System.getenv(Engines.ONEDNN_ISA_VARIABLE)).isNotBlank();
        assertThat(OneDnnRelaunch.relaunchIfUncapped(new String[] {"info"})).isEmpty();
    }
}
