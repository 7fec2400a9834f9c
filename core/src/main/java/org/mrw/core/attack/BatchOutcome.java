package org.mrw.core.attack;

import java.util.List;
import org.mrw.core.data.ImageBatch;

/**
 * The sweep on one batch: clean predictions and one {@link EpsilonOutcome} per budget.
 *
 * @param from             index of the batch's first image in the dataset
 * @param clean            the clean images
 * @param goal             labels and targets
 * @param cleanPredictions the model's class for each clean image
 * @param epsilons         one outcome per budget, in sweep order
 * @param minimal          minimisation attacks: per-image minimal perturbation ({@code +Infinity} if none
 *                         found); null for fixed-budget attacks
 * @param queries          model queries per image the attack made
 */
public record BatchOutcome(int from, ImageBatch clean, Goal goal, int[] cleanPredictions, List<EpsilonOutcome> epsilons,
                           double[] minimal, double queries) {
}
