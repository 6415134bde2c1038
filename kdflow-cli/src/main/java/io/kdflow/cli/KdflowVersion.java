package io.kdflow.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven stamped into the jar manifest ("dev" when run from classes). */
final class KdflowVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = KdflowVersion.class.getPackage().getImplementationVersion();
        return new String[] {"kdflow " + (version == null ? "dev" : version)};
    }
}
