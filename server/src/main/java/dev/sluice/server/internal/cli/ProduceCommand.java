package dev.sluice.server.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.internal.BuildInfo;
import dev.sluice.server.internal.ProcessContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice produce TOPIC}: one record per line of standard input, sent in batches to
 * {@code POST /v1/topics/{topic}/records} as {@code encoding: "string"} records, so a line is stored as written
 * rather than parsed as JSON.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = {"Writes each line of standard input as a record to a topic.",
                "With --key-separator, the part of a line before the separator is the record's key."})
public final class ProduceCommand extends ClientCommand {
    // A batch is one HTTP request and is durable before the next is sent; these bounds keep a request well under
    // the server's default maximum batch size (log.max.batch.bytes, 1 MiB) while amortising the round trip.
    static final int BATCH_LINES = 500;
    static final int BATCH_BYTES = 512 * 1024;

    @Parameters(paramLabel = "TOPIC", description = "The topic to write to.")
    String topic;

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value; lines without it have no key.")
    String keySeparator;

    @Option(names = "--partition", paramLabel = "P",
            description = "Write every record to this partition (default: by key hash, as Kafka producers do).")
    Integer partition;

    @Option(names = "--verbose", description = "Print the partition and offset of every record written.")
    boolean verbose;

    public ProduceCommand(ProcessContext process) {
        super(process);
    }

    @Override
    void run(RestClient rest) throws IOException {
        String path = TopicCommands.path(topic) + "/records";
        Optional<String> separator = Optional.ofNullable(keySeparator).filter(sep -> !sep.isEmpty());
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.stdin(), StandardCharsets.UTF_8));
        ArrayNode batch = RestClient.JSON.createArrayNode();
        long batchBytes = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            batch.add(record(KeyedLine.split(line, separator)));
            batchBytes += utf8Length(line);
            if (batch.size() >= BATCH_LINES || batchBytes >= BATCH_BYTES) {
                send(rest, path, batch);
                batch = RestClient.JSON.createArrayNode();
                batchBytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            send(rest, path, batch);
        }
    }

    private ObjectNode record(KeyedLine line) {
        ObjectNode record = RestClient.object();
        line.key().ifPresent(key -> record.put("key", key));
        record.put("value", line.value()).put("encoding", "string");
        if (partition != null) {
            record.put("partition", partition);
        }
        return record;
    }

    private void send(RestClient rest, String path, ArrayNode records) {
        ObjectNode body = RestClient.object();
        body.set("records", records);
        // The first failure ends the run: later batches would land after a gap the user must know about.
        JsonNode answer = rest.post(path, body);
        if (verbose) {
            for (JsonNode offset : answer.path("offsets")) {
                out().println("partition " + offset.path("partition").asInt() + " offset "
                        + offset.path("offset").asLong());
            }
            out().flush();
        }
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
