package org.mrw.core.cli;

import picocli.CommandLine;

/** Version from the jar manifest (or "development" when run from classes). */
final class MrwVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Mrw.class.getPackage().getImplementationVersion();
        return new String[] {"mrw " + (v == null ? "development" : v)};
    }
}
