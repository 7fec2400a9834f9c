package org.mrw.core.attack;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;

/**
 * Fast Gradient (Sign) Method, Goodfellow et al. 2015: one step of size ε along the loss gradient's
 * sign (L∞) or its unit direction (L2). One gradient serves the whole sweep.
 */
public final class Fgsm implements Attack {

    private final Norm norm;

    public Fgsm(Norm norm) {
        this.norm = norm;
    }

    @Override
    public AttackTraits traits() {
        return AttackTraits.fixedBudget("fgsm", norm, Access.GRADIENTS);
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        GradientClassifier g = WhiteBox.gradients(this, model);
        WhiteBox.checkEpsilons(epsilons);
        context.checkCancelled();
        float[] gradient = g.lossGradient(clean, WhiteBox.lossLabels(goal)).gradient();
        int n = clean.size();
        int size = clean.imageSize();
        float[][] out = new float[epsilons.length][];
        if (norm == Norm.LINF) {
            // The gradient's sign is the same for every ε: one fused pass per ε (the sweep's whole extra cost)
            float[] direction = new float[gradient.length];
            int sign = WhiteBox.direction(goal);
            for (int j = 0; j < gradient.length; j++) {
                direction[j] = sign * Math.signum(gradient[j]);
            }
            for (int e = 0; e < epsilons.length; e++) {
                out[e] = linfStep(clean.pixels(), direction, epsilons[e]);
            }
            context.progress().update(1, 1, "fgsm");
            return Adversarials.fixed(epsilons, out, 1);
        }
        for (int e = 0; e < epsilons.length; e++) {
            float[] x = clean.pixels().clone();
            Perturbations.step(x, gradient, n, size, norm, epsilons[e], WhiteBox.direction(goal));
            Perturbations.project(x, clean.pixels(), n, size, norm, epsilons[e]);
            out[e] = x;
        }
        context.progress().update(1, 1, "fgsm");
        return Adversarials.fixed(epsilons, out, 1);
    }

    /**
     * clean + ε·direction, clipped to the ε-ball and [0, 1]: the same float values as
     * {@link Perturbations#step} followed by {@link Perturbations#project}, in one pass.
     */
    static float[] linfStep(float[] clean, float[] direction, double eps) {
        float step = (float) eps;
        float[] x = new float[clean.length];
        for (int j = 0; j < clean.length; j++) {
            float c = clean[j];
            float v = c + step * direction[j];
            float lo = (float) Math.max(0.0, c - eps);
            float hi = (float) Math.min(1.0, c + eps);
            x[j] = Math.min(hi, Math.max(lo, v));
        }
        return x;
    }

    @Override
    public String describe() {
        return "FGSM " + norm.id();
    }
}
