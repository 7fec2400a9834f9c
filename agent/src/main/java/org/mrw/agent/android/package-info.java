/**
 * Runtimes that exist only on a phone: PyTorch Mobile lite through its Android Java API. Compiled here
 * against the AARs' classes, dexed into the agent jar, never run on this computer (no Android
 * runtime exists here; the native libraries need Android's libc).
 */
package org.mrw.agent.android;
