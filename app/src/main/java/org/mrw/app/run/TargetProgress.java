package org.mrw.app.run;

import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One target's progress bar: unit × target commits done of planned and images a second it judged in this
 * session. Changed on the FX thread.
 */
public final class TargetProgress {

    private final String target;
    private final int total;
    private final int before;
    private int done;
    private long images;
    private long rows;
    private long firstNanos;
    private int sessionUnits;
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty text = new SimpleStringProperty();

    TargetProgress(String target, int total, int alreadyDone) {
        this.target = target;
        this.total = total;
        this.before = alreadyDone;
        this.done = alreadyDone;
        update(System.nanoTime());
    }

    public String target() {
        return target;
    }

    public int total() {
        return total;
    }

    public int done() {
        return done;
    }

    /** Rows committed for this target in this session. */
    public long rows() {
        return rows;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** "12/40 units · 85 img/s". */
    public StringProperty textProperty() {
        return text;
    }

    void committed(int unitImages, int unitRows, long nanos) {
        if (sessionUnits == 0) {
            firstNanos = nanos;
        }
        sessionUnits++;
        done++;
        images += unitImages;
        rows += unitRows;
        update(nanos);
    }

    private void update(long now) {
        progress.set(total == 0 ? 1 : (double) done / total);
        StringBuilder b = new StringBuilder().append(done).append('/').append(total).append(" units");
        if (before > 0) {
            b.append(" (").append(before).append(" before)");
        }
        double seconds = (now - firstNanos) / 1e9;
        // pace from the second commit on: the first one's time includes loading the models
        if (sessionUnits >= 2 && seconds > 0) {
            b.append(String.format(Locale.ROOT, " · %.0f img/s", images * (sessionUnits - 1.0) / sessionUnits / seconds));
        }
        // no ETA per target: its units range from a one-second clean batch to a Boundary batch of minutes, so
        // a pace per unit misleads; the run's ETA (status line) weighs every unit by its work
        if (done >= total) {
            b.append(" · done");
        }
        text.set(b.toString());
    }
}
