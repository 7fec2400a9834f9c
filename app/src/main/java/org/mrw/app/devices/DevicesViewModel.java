package org.mrw.app.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.device.AdbDevice;
import org.mrw.core.device.Device;
import org.mrw.core.device.DeviceDirectory;
import org.mrw.core.device.DeviceInfo;
import org.mrw.core.device.HostDevice;

/**
 * The Devices view's state: a card per device (the host device first, then adb's phones) and, when adb
 * is unusable, why and what to install. A refresh asks adb again and fills {@link WorkbenchState#devices()};
 * cards of devices still there are kept with their running agents.
 */
public final class DevicesViewModel {

    private final WorkbenchState state;
    private final DeviceDirectory directory;
    private final ObservableList<DeviceCardModel> cards = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper adbProblem = new ReadOnlyStringWrapper();
    private final DeviceCardModel host;
    private CompletableFuture<List<DeviceCardModel>> refreshing;

    /** @param environment where adb is looked up (tests pass one without adb) */
    public DevicesViewModel(WorkbenchState state, Map<String, String> environment) {
        this.state = state;
        this.directory = new DeviceDirectory(environment);
        this.host = new DeviceCardModel(state, HostDevice.inCache());
        cards.add(host);
        // agents started from cards are child processes or phone processes: end them with the workbench
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "mrw-devices-stop-agents"));
    }

    public ObservableList<DeviceCardModel> cards() {
        return cards;
    }

    /** Why adb's phones are missing (with what to install), or null when adb answered. */
    public ReadOnlyStringProperty adbProblemProperty() {
        return adbProblem.getReadOnlyProperty();
    }

    public DeviceCardModel host() {
        return host;
    }

    /** Lists the devices again (a background job); completes on the FX thread with the cards. */
    public synchronized CompletableFuture<List<DeviceCardModel>> refresh() {
        if (refreshing != null && !refreshing.isDone()) {
            return refreshing;
        }
        CompletableFuture<List<DeviceCardModel>> done = new CompletableFuture<>();
        state.work().submit("Looking for devices", (p, c) -> directory.phones()).whenComplete((phones, e) -> BackgroundWork.fx(() -> {
            if (e != null) {
                adbProblem.set("adb did not answer: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                done.complete(List.copyOf(cards));
                return;
            }
            adbProblem.set(directory.adbProblem().orElse(null));
            Map<String, DeviceCardModel> old = new LinkedHashMap<>();
            cards.forEach(card -> old.put(card.serial(), card));
            List<DeviceCardModel> next = new ArrayList<>();
            next.add(host);
            for (AdbDevice phone : phones) {
                DeviceCardModel kept = old.get(phone.serial());
                next.add(kept != null ? kept : new DeviceCardModel(state, phone));
            }
            cards.setAll(next);
            state.devices().setAll(next.stream().map(card -> card.device().info()).toList());
            done.complete(List.copyOf(next));
        }));
        refreshing = done;
        return done;
    }

    /** The devices' descriptions, as state.devices() holds them. */
    public List<DeviceInfo> infos() {
        return cards.stream().map(DeviceCardModel::device).map(Device::info).toList();
    }

    /** Stops agents the cards started, and an adb server the refresh started. */
    public void close() {
        new ArrayList<>(cards).forEach(DeviceCardModel::closeQuietly);
        try {
            directory.close();
        } catch (org.mrw.core.device.DeviceException e) {
            // the adb server went away by itself
        }
    }
}
