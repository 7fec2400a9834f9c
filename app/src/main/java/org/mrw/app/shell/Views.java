package org.mrw.app.shell;

import org.mrw.app.data.DataView;
import org.mrw.app.demo.DemoView;
import org.mrw.app.devices.DevicesView;
import org.mrw.app.experiment.ExperimentView;
import org.mrw.app.export.ExportView;
import org.mrw.app.models.ModelsView;
import org.mrw.app.results.ResultsView;
import org.mrw.app.run.RunView;
import org.mrw.app.state.WorkbenchState;

/** Builds a view by its id; each view lives in a package of its own. */
final class Views {

    private Views() {
    }

    static View create(ViewId id, WorkbenchState state, Workbench workbench) {
        return switch (id) {
            case MODELS -> new ModelsView(state);
            case DATA -> new DataView(state);
            case EXPERIMENT -> new ExperimentView(state);
            case DEVICES -> new DevicesView(state);
            case RUN -> new RunView(state);
            case RESULTS -> new ResultsView(state);
            case EXPORT -> new ExportView(state);
            case DEMO -> new DemoView(state);
        };
    }
}
