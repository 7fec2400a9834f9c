package org.mrw.core.experiment;

import java.util.Locale;
import java.util.Map;

/**
 * Rough speeds of this project's models on a PC, for {@link WorkEstimate#time}: gradient passes per second
 * per architecture, forward passes as a multiple of that, and seconds to load a model. An estimate, not a
 * measurement of this computer: {@link #benchmarked()} says where its numbers come from.
 *
 * @param gradientsPerSecond forward+backward passes (images) per second, by architecture name in the model id
 * @param fallback           architecture whose rate times models of unknown architecture
 * @param forwardFactor      forward-only passes per second as a multiple of gradient passes
 * @param loadSeconds        loading one model
 * @param source             where the numbers come from, to show beside any time made from them
 */
public record MachineRates(Map<String, Double> gradientsPerSecond, String fallback, double forwardFactor, double loadSeconds,
                           String source) {

    /** A model's rates and whether its architecture was benchmarked. */
    public record Rate(double gradientsPerSecond, double forwardsPerSecond, boolean known) {

        /** Seconds for this many gradient and forward passes (images) at these rates. */
        public double seconds(double gradients, double forwards) {
            return gradients / gradientsPerSecond + forwards / forwardsPerSecond;
        }
    }

    /**
     * The README's {@code mrw bench attacks} on 2 cores (PGD-10 images/s × 10 steps = gradient passes/s:
     * MobileNetV2 2,900, ResNet 1,180, Inception 1,170); a forward taken as a third of a gradient pass (a
     * backward costs about two forwards); a few seconds to load a model (engines start on first use).
     */
    public static MachineRates benchmarked() {
        return new MachineRates(Map.of("mobilenetv2", 2900.0, "resnet", 1180.0, "inception", 1170.0), "inception", 3, 3,
                "rates from the README's 'mrw bench attacks' on 2 cores (PGD-10 images/s × 10; forward = 3× a gradient "
                        + "pass), 3 s to load a model");
    }

    /** The rate of a model reference ({@code zoo:resnet_int8_pt}, a path, or a device target). */
    public Rate rate(String reference) {
        String name = reference.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        name = name.substring(slash + 1);
        for (Map.Entry<String, Double> e : gradientsPerSecond.entrySet()) {
            if (name.contains(e.getKey())) {
                return new Rate(e.getValue(), e.getValue() * forwardFactor, true);
            }
        }
        double g = gradientsPerSecond.get(fallback);
        return new Rate(g, g * forwardFactor, false);
    }
}
