/**
 * Adversarial attacks and ε sweeps on canonical [0,1] NCHW images: white-box ({@link org.mrw.core.attack.Fgsm},
 * {@link org.mrw.core.attack.Pgd}/BIM, {@link org.mrw.core.attack.DeepFool},
 * {@link org.mrw.core.attack.CarliniWagner}) and black-box (Boundary, HopSkipJump, Square).
 * {@link org.mrw.core.attack.AttackRunner} runs a sweep over a dataset and judges every adversarial on the model.
 */
package org.mrw.core.attack;
