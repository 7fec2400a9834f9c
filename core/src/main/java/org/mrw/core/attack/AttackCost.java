package org.mrw.core.attack;

import java.util.Locale;

/**
 * What one attack costs per image on its source model for one ε sweep, counted from the attack's own
 * loop: passes that need a backward ({@code gradients}: one forward and one backward of one image) and
 * forward-only passes ({@code queries}: logits, predictions or decisions of one image). Exact for
 * FGSM and BIM/PGD; an upper bound for attacks that stop images early (DeepFool, C&amp;W, Boundary,
 * Square); an approximation for HopSkipJump, whose step search length varies.
 *
 * @param gradients forward+backward passes per image
 * @param queries   forward-only passes per image
 * @param bound     how the numbers relate to what a run will do
 * @param formula   how they were counted, in words, e.g. {@code 10 steps × 4 ε (stacked)}
 */
public record AttackCost(double gradients, double queries, Bound bound, String formula) {

    /** How a count relates to a real run. */
    public enum Bound {
        EXACT("exactly"), AT_MOST("at most"), ABOUT("about");

        private final String words;

        Bound(String words) {
            this.words = words;
        }

        /** "exactly", "at most" or "about". */
        public String words() {
            return words;
        }
    }

    /**
     * Counts one attack as {@link Attacks#create} would configure it.
     *
     * @param name      attack name ({@link Attacks#NAMES})
     * @param settings  its settings (nulls: defaults)
     * @param epsilons  budgets in the sweep
     * @param classes   the source model's classes (DeepFool linearises towards each other class)
     * @param imageSize values per image (HopSkipJump's search tolerance depends on it)
     * @throws AttackException when the name or settings are not an attack
     */
    public static AttackCost of(String name, AttackSettings settings, int epsilons, int classes, int imageSize) {
        Attack attack = Attacks.create(name, settings);
        int e = Math.max(1, epsilons);
        if (attack instanceof Fgsm) {
            return new AttackCost(1, 0, Bound.EXACT, "one gradient serves all " + e + " ε");
        }
        if (attack instanceof Pgd pgd) {
            return new AttackCost((double) pgd.steps() * e, 0, Bound.EXACT,
                    pgd.steps() + " steps × " + e + " ε (the sweep runs stacked)");
        }
        if (attack instanceof DeepFool deepFool) {
            int s = deepFool.steps();
            // every step: one class-difference gradient per other class; a prediction per step after the first,
            // plus the clean logits and the final check
            return new AttackCost((double) s * (classes - 1), s + 1, Bound.AT_MOST,
                    s + " steps × " + (classes - 1) + " other classes; each image stops once it is misclassified; one search answers every ε");
        }
        if (attack instanceof CarliniWagner) {
            int iterations = settings.steps() != null ? settings.steps() : CarliniWagner.DEFAULT_ITERATIONS;
            long total = (long) CarliniWagner.DEFAULT_SEARCH_STEPS * iterations;
            return new AttackCost(total, total + 2, Bound.AT_MOST, CarliniWagner.DEFAULT_SEARCH_STEPS + " searches over c × "
                    + iterations + " Adam iterations; one search answers every ε");
        }
        if (attack instanceof BoundaryAttack boundary) {
            int directions = settings.directions() != null ? settings.directions() : BoundaryAttack.DEFAULT_DIRECTIONS;
            long walk = 2L * directions * boundary.steps();
            double start = 1 + BoundaryAttack.START_DRAWS + halvings(BoundaryAttack.START_TOLERANCE);
            return new AttackCost(0, walk + start + 1, Bound.AT_MOST, boundary.steps() + " steps × 2 × " + directions
                    + " directions, plus up to " + (int) start + " to find a start; one walk answers every ε");
        }
        if (attack instanceof HopSkipJump hsj) {
            double theta = 1.0 / (imageSize * Math.sqrt(imageSize));
            int search = halvings(theta);
            double queries = 1 + 1 + search; // clean, (usually) one noise draw, binary search to the boundary
            for (int t = 1; t <= hsj.steps(); t++) {
                // Monte-Carlo samples, one geometric step (more when it has to halve), a binary search
                queries += Math.min(HopSkipJump.DEFAULT_MAX_EVALS, Math.round(HopSkipJump.DEFAULT_INITIAL_EVALS * Math.sqrt(t)))
                        + 1 + search;
            }
            return new AttackCost(0, queries + 1, Bound.ABOUT, hsj.steps() + " iterations of " + HopSkipJump.DEFAULT_INITIAL_EVALS
                    + "·√t samples and a " + search + "-query boundary search; one walk answers every ε");
        }
        if (attack instanceof SquareAttack square) {
            return new AttackCost(0, 1 + (double) square.queries() * e, Bound.AT_MOST, String.format(Locale.ROOT,
                    "%d queries × %d ε; each image stops once it is misclassified", square.queries(), e));
        }
        throw new AttackException("no cost model for attack " + name);
    }

    /** Queries of a bisection on [0,1] until the interval is at most {@code tolerance} wide. */
    static int halvings(double tolerance) {
        return (int) Math.ceil(Math.log(1 / tolerance) / Math.log(2));
    }
}
