/**
 * The reference model zoo: its manifest ({@code models/zoo.json}), the builder that measures and
 * records every file, and the verifier CI runs against a checkout.
 */
package org.mrw.core.zoo;
