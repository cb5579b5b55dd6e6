package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice wasm ...}: the WebAssembly modules that {@code wasm} pipeline steps run, through the REST API's
 * {@code /v1/wasm}. A module's id is derived from its bytes, so uploading the same module again gives the same id.
 */
public final class WasmCommands {
    static final ResourceCommand.Kind MODULE = new ResourceCommand.Kind("wasm module", "/v1/wasm");

    private WasmCommands() {
    }

    /** The {@code wasm} command with its subcommands, each given the process it runs in. */
    public static CommandLine command(ProcessContext process) {
        return new CommandLine(new Wasm())
                .addSubcommand(new Upload(process))
                .addSubcommand(new ListModules(process))
                .addSubcommand(new Delete(process));
    }

    @Command(name = "wasm", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Uploads, lists and deletes the WebAssembly modules that wasm pipeline steps run.")
    static final class Wasm {
    }

    @Command(name = "upload", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = {"Uploads a WebAssembly binary module (.wasm; compile .wat text first, e.g. with wat2wasm) "
                    + "and prints its id, which wasm steps name as their module."})
    static final class Upload extends ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The module, or - for standard input.")
        String file;

        Upload(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            byte[] module = ResourceCommand.readBytes(process, file);
            JsonNode saved = rest.post(MODULE.collection(), module, "application/wasm");
            out().println("uploaded wasm module " + saved.path("id").asText() + " (" + saved.path("size").asLong()
                    + " bytes)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Lists uploaded modules with their sizes.")
    static final class ListModules extends ClientCommand {
        ListModules(ProcessContext process) {
            super(process);
        }

        @Override
        void run(RestClient rest) {
            Table table = new Table("MODULE", "BYTES");
            for (JsonNode module : rest.get(MODULE.collection()).path("modules")) {
                table.row(module.path("id").asText(), module.path("size").asLong());
            }
            out().print(table.isEmpty() ? "no wasm modules\n" : table.render());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
            description = "Deletes a module; refused while a pipeline uses it.")
    static final class Delete extends ResourceCommand.Delete {
        @Parameters(paramLabel = "ID", description = "The module's id, as upload and list print it.")
        String id;

        Delete(ProcessContext process) {
            super(MODULE, process);
        }

        @Override
        String id() {
            return id;
        }
    }
}
