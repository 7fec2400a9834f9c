package org.mrw.app.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mrw.app.shell.ViewId;
import org.mrw.app.testing.WorkbenchFixture;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.HostDevice;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Devices view: the host device's card is always there; starting its agent from the card shows the
 * runtimes from WELCOME; stopping ends it; without adb the view says what to install.
 */
@ExtendWith(ApplicationExtension.class)
class DevicesViewTest {

    private WorkbenchFixture bench;

    @Start
    void start(Stage stage) {
        bench = WorkbenchFixture.start(stage, "devices");
    }

    @AfterEach
    void close() throws Exception {
        DevicesView v = WorkbenchFixture.fx(() -> (DevicesView) bench.workbench().view(ViewId.DEVICES));
        v.model().close();
        bench.close();
    }

    @Test
    void theHostCardStartsItsAgentShowsItsRuntimesAndStops(FxRobot robot) throws Exception {
        assertThat(AgentBundle.locate()).as("the agent bundle (mvn -pl protocol,agent package)").isNotNull();
        DevicesView view = (DevicesView) bench.show(ViewId.DEVICES, 60);
        DeviceCardModel host = view.model().host();
        assertThat(robot.lookup("#device-" + HostDevice.SERIAL).tryQuery()).isPresent();
        assertThat(bench.state().devices()).isNotEmpty();
        assertThat(bench.state().devices().get(0).host()).isTrue();
        assertThat(robot.lookup("#device-count").queryAs(Label.class).getText()).endsWith("device" + (bench.state().devices().size() == 1 ? "" : "s"));

        robot.clickOn("#start-" + HostDevice.SERIAL);
        waitFor(() -> host.agentStateProperty().get() == DeviceCardModel.AgentState.RUNNING
                || host.agentStateProperty().get() == DeviceCardModel.AgentState.ERROR, 90);
        assertThat(host.agentStateProperty().get()).as(host.stateDetailProperty().get()).isEqualTo(DeviceCardModel.AgentState.RUNNING);
        javafx.scene.layout.VBox runtimes = robot.lookup("#runtimes-" + HostDevice.SERIAL).queryAs(javafx.scene.layout.VBox.class);
        List<String> shown = WorkbenchFixture.fx(() -> runtimes.getChildren().stream().map(n -> ((Label) n).getText()).toList());
        assertThat(shown).as("runtimes from WELCOME").anyMatch(l -> l.startsWith("tflite 2.6"))
                .containsExactlyElementsOf(host.runtimesProperty().get().lines().toList());
        assertThat(host.agentInfo().runtimes()).isNotEmpty();
        assertThat(host.stateDetailProperty().get()).contains("port");
        waitFor(() -> host.logProperty().get().contains("listening"), 30);

        robot.clickOn("#benchmark-" + HostDevice.SERIAL);
        waitFor(() -> host.throughputProperty().get().contains("img/s") || host.stateDetailProperty().get().contains("failed"), 120);
        assertThat(host.throughputProperty().get()).as(host.stateDetailProperty().get()).contains("img/s");
        WaitForAsyncUtils.waitForFxEvents();
        bench.snapshot("devices");

        waitFor(() -> !host.busyProperty().get(), 30);
        robot.clickOn("#stop-" + HostDevice.SERIAL);
        waitFor(() -> host.agentStateProperty().get() == DeviceCardModel.AgentState.STOPPED, 30);
        assertThat(host.agentInfo()).isNull();
    }

    @Test
    void withoutAdbTheViewSaysWhatToInstallAndStillShowsTheHostDevice() throws Exception {
        DevicesViewModel model = WorkbenchFixture.fx(() -> new DevicesViewModel(bench.state(), Map.of("PATH", "/nonexistent")));
        model.refresh().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.adbProblemProperty().get()).contains("apt-get install adb");
        assertThat(model.cards()).hasSize(1);
        assertThat(model.cards().get(0).device().host()).isTrue();
        DevicesView view = WorkbenchFixture.fx(() -> new DevicesView(bench.state(), Map.of("PATH", "/nonexistent")));
        WorkbenchFixture.fx(() -> {
            view.shown();
            return null;
        });
        view.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        Label note = WorkbenchFixture.fx(() -> (Label) view.root().lookup(".adb-problem"));
        assertThat(note.isVisible()).isTrue();
        assertThat(note.getText()).contains("apt install adb").contains("host device works without adb");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WorkbenchFixture.fx(condition::getAsBoolean));
    }
}
