package org.mrw.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mrw.core.store.ResultRow;

/**
 * The adversarial images that flipped at least one target: per (sample, attack {@link Condition},
 * repetition), every target's judgement next to its own clean judgement of the same image. A flip is
 * "right when clean, wrong under attack" — the same baseline as {@link Metrics}, so a quantized
 * target's clean errors are never shown as flips.
 */
public final class FlippedSamples {

    private FlippedSamples() {
    }

    /**
     * One target's judgement of one image.
     *
     * @param target       the target
     * @param prediction   its class
     * @param confidence   softmax probability of {@code prediction}
     * @param correct      whether the prediction is the label
     * @param cleanCorrect whether the target got the clean image right (null: no clean row)
     */
    public record Judgement(String target, int prediction, float confidence, boolean correct, Boolean cleanCorrect) {

        /** Right when clean, wrong here. */
        public boolean flipped() {
            return Boolean.TRUE.equals(cleanCorrect) && !correct;
        }
    }

    /**
     * One adversarial image with every target's judgement, in target order.
     *
     * @param sample     dataset index of the image
     * @param label      its true class
     * @param condition  source, attack, ε and rounding
     * @param repetition repetition index
     * @param judgements per target, in the order targets first appear in the rows
     */
    public record Sample(int sample, int label, Condition condition, int repetition, List<Judgement> judgements) {

        public Sample {
            judgements = List.copyOf(judgements);
        }

        /** The target's judgement, if it judged this image. */
        public Optional<Judgement> judgement(String target) {
            return judgements.stream().filter(j -> j.target().equals(target)).findFirst();
        }

        /** Whether the image flipped {@code target}. */
        public boolean flippedOn(String target) {
            return judgement(target).map(Judgement::flipped).orElse(false);
        }

        /** How many targets it flipped. */
        public long flips() {
            return judgements.stream().filter(Judgement::flipped).count();
        }
    }

    /**
     * Which flipped samples to show; a null field means any.
     *
     * @param target    only images that flipped this target
     * @param label     only images of this class
     * @param condition only images of this condition
     */
    public record Filter(String target, Integer label, Condition condition) {

        public static Filter any() {
            return new Filter(null, null, null);
        }

        public boolean matches(Sample s) {
            return (target == null || s.flippedOn(target)) && (label == null || s.label() == label)
                    && (condition == null || s.condition().equals(condition));
        }
    }

    /**
     * Every (sample, attack condition, repetition) that flipped at least one target, ordered by
     * condition, repetition and sample. Clean rows are the baseline, not samples of their own; the clean
     * judgement of the same repetition is used, else that of the lowest repetition judged clean.
     */
    public static List<Sample> of(List<ResultRow> rows) {
        return build(rows, true);
    }

    /**
     * Every target's judgement of one image under {@code condition}, flipped or not (the inspector shows
     * the float and the 8-bit rounded version side by side, and only one may have flipped).
     */
    public static Optional<Sample> sample(List<ResultRow> rows, int sample, Condition condition, int repetition) {
        List<ResultRow> mine = rows.stream().filter(r -> r.sample() == sample).toList();
        return build(mine, false).stream()
                .filter(s -> s.condition().equals(condition) && s.repetition() == repetition).findFirst();
    }

    private static List<Sample> build(List<ResultRow> rows, boolean onlyFlipped) {
        Set<String> order = new LinkedHashSet<>();
        Map<String, Map<Integer, NavigableMap<Integer, Boolean>>> clean = new HashMap<>(); // target → sample → rep → correct
        Map<Key, Map<String, ResultRow>> attacked = new TreeMap<>();
        for (ResultRow r : rows) {
            order.add(r.target());
            if (ResultRow.CLEAN.equals(r.attack())) {
                clean.computeIfAbsent(r.target(), t -> new HashMap<>()).computeIfAbsent(r.sample(), s -> new TreeMap<>())
                        .put(r.repetition(), r.correct());
            } else if (attacked.computeIfAbsent(new Key(Condition.of(r), r.repetition(), r.sample()), k -> new HashMap<>())
                    .put(r.target(), r) != null) {
                throw new IllegalArgumentException("judged twice: target " + r.target() + ", " + Condition.of(r)
                        + ", repetition " + r.repetition() + ", sample " + r.sample());
            }
        }
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<Key, Map<String, ResultRow>> e : attacked.entrySet()) {
            Key key = e.getKey();
            List<Judgement> judgements = new ArrayList<>();
            int label = -1;
            for (String target : order) {
                ResultRow r = e.getValue().get(target);
                if (r == null) {
                    continue;
                }
                label = r.label();
                NavigableMap<Integer, Boolean> base = clean.getOrDefault(target, Map.of()).get(key.sample());
                Boolean wasRight = base == null || base.isEmpty() ? null
                        : Objects.requireNonNullElse(base.get(key.repetition()), base.firstEntry().getValue());
                judgements.add(new Judgement(target, r.prediction(), r.confidence(), r.correct(), wasRight));
            }
            if (!onlyFlipped || judgements.stream().anyMatch(Judgement::flipped)) {
                out.add(new Sample(key.sample(), label, key.condition(), key.repetition(), judgements));
            }
        }
        return out;
    }

    /** The samples {@code filter} accepts, in their order. */
    public static List<Sample> filter(List<Sample> samples, Filter filter) {
        return samples.stream().filter(filter::matches).toList();
    }

    private record Key(Condition condition, int repetition, int sample) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::condition)
                .thenComparingInt(Key::repetition).thenComparingInt(Key::sample);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }
}
