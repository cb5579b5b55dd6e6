package dev.sluice.server.internal;

import picocli.CommandLine.IVersionProvider;

/** Facts about this build of Sluice, read from the fat jar's manifest. */
public final class BuildInfo {

    private BuildInfo() {
    }

    /** The {@code Implementation-Version} of the jar, or {@code dev} when running from classes (tests, IDE). */
    public static String version() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** One line for {@code sluice version} and {@code --version}. */
    public static String describe() {
        return "sluice " + version() + " (Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")";
    }

    /** Lets picocli answer {@code --version}. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {describe()};
        }
    }
}
