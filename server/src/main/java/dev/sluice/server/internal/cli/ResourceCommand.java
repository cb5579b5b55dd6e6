package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.server.internal.ConfigException;
import dev.sluice.server.internal.ProcessContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.Function;

/**
 * A command on one resource of a kind the REST API keeps under a collection ({@code /v1/sinks/NAME},
 * {@code /v1/pipelines/ID}): the shapes the source, sink, pipeline and wasm commands share. {@link Describe},
 * {@link Delete} and {@link Action} do the request and print the one-line answer; a leaf command adds its picocli
 * annotations and its own parameter (so its usage says NAME or ID, and whose), returned by {@link #id()}.
 */
abstract class ResourceCommand extends ClientCommand {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * A kind of resource: what messages call it and where the API keeps it.
     *
     * @param word       the kind in messages: {@code deleted <word> <id>}
     * @param collection the collection's path, e.g. {@code /v1/sinks}
     */
    record Kind(String word, String collection) {
        String path(String id) {
            return collection + "/" + RestClient.segment(id);
        }
    }

    final Kind kind;

    ResourceCommand(Kind kind, ProcessContext process) {
        super(process);
        this.kind = kind;
    }

    /** The resource's name or id, as given on the command line. */
    abstract String id();

    /** Where the resource is; one path segment under the collection unless a command says otherwise. */
    String path() {
        return kind.path(id());
    }

    /**
     * A definition file, YAML or JSON (YAML reads both); {@code -} is standard input.
     *
     * @param what what the file should hold, for the message when it holds something else, e.g. {@code a sink
     *             definition: a mapping with name, topics, mapping and target}
     * @throws ConfigException (exit 2) when the file cannot be read, is not YAML or JSON, or is not a mapping
     */
    static JsonNode readDefinition(ProcessContext process, String file, String what) {
        try (InputStream in = open(process, file)) {
            JsonNode tree = YAML.readTree(in);
            if (tree == null || !tree.isObject()) {
                throw new ConfigException(("-".equals(file) ? "standard input" : file) + " should be " + what);
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + " is not valid YAML or JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The bytes of a file, or of standard input for {@code -}, as they are. */
    static byte[] readBytes(ProcessContext process, String file) {
        try (InputStream in = open(process, file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    private static InputStream open(ProcessContext process, String file) throws IOException {
        return "-".equals(file) ? process.stdin() : Files.newInputStream(process.workingDir().resolve(file));
    }

    private static ConfigException cannotRead(String file, IOException e) {
        return new ConfigException("cannot read " + file + ": " + (e instanceof NoSuchFileException ? "no such file"
                : e.getMessage()), e);
    }

    /** {@code describe}: gets the resource and prints it. */
    abstract static class Describe extends ResourceCommand {
        Describe(Kind kind, ProcessContext process) {
            super(kind, process);
        }

        @Override
        final void run(RestClient rest) {
            print(rest, rest.get(path()));
        }

        abstract void print(RestClient rest, JsonNode resource);
    }

    /** {@code delete}: prints {@code deleted <kind> <id>}. */
    abstract static class Delete extends ResourceCommand {
        Delete(Kind kind, ProcessContext process) {
            super(kind, process);
        }

        @Override
        final void run(RestClient rest) {
            rest.delete(path());
            out().println("deleted " + kind.word() + " " + id());
        }
    }

    /**
     * An action posted to {@code <resource>/<action>} ({@code pause}, {@code enable}) that answers with the resource;
     * prints {@code <kind> <id>: <state>}, the state read from that answer.
     */
    abstract static class Action extends ResourceCommand {
        private final String action;
        private final Function<JsonNode, String> state;

        Action(Kind kind, String action, Function<JsonNode, String> state, ProcessContext process) {
            super(kind, process);
            this.action = action;
            this.state = state;
        }

        @Override
        final void run(RestClient rest) {
            JsonNode resource = rest.post(path() + "/" + action);
            out().println(kind.word() + " " + id() + ": " + state.apply(resource));
        }
    }
}
