package dev.sluice.server.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gathers the settings of a process from every source (config file, environment, flags) and resolves them.
 *
 * <p>The config file is the one named by {@code --config}, else by {@code SLUICE_CONFIG}, else {@code sluice.yaml} in
 * the working directory if there is one. A file named explicitly must exist.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "sluice.yaml";

    private final Map<String, String> env;
    private final Path workingDir;
    private final Supplier<String> hostName;

    /**
     * @param env        the process environment; injected so tests need not touch the real one
     * @param workingDir where {@code sluice.yaml} is looked for and relative paths start
     * @param hostName   the default node name
     */
    public ConfigLoader(Map<String, String> env, Path workingDir, Supplier<String> hostName) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir;
        this.hostName = hostName;
    }

    /**
     * @param configFileFlag the value of {@code --config}, if given
     * @param flags          settings given by flags
     * @throws ConfigException naming the key, source and accepted values of the first problem found
     */
    public EffectiveConfig load(Optional<String> configFileFlag, List<Setting> flags) {
        List<Setting> settings = new ArrayList<>();
        configFile(configFileFlag).ifPresent(file -> settings.addAll(YamlSettings.read(file)));
        settings.addAll(EnvSettings.read(env));
        settings.addAll(flags);
        return new ConfigResolver(workingDir, hostName).resolve(settings);
    }

    private Optional<Path> configFile(Optional<String> configFileFlag) {
        if (configFileFlag.isPresent()) {
            return Optional.of(existing(configFileFlag.get(), Source.flag("--config")));
        }
        String fromEnv = env.getOrDefault(ConfigKeys.CONFIG_FILE_ENV, "");
        if (!fromEnv.isEmpty()) {
            return Optional.of(existing(fromEnv, Source.env(ConfigKeys.CONFIG_FILE_ENV)));
        }
        Path implicit = workingDir.resolve(DEFAULT_FILE);
        return Files.isRegularFile(implicit) ? Optional.of(implicit) : Optional.empty();
    }

    private Path existing(String name, Source source) {
        Path file = workingDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " (from " + source + ") does not exist or is not a file");
        }
        return file;
    }
}
