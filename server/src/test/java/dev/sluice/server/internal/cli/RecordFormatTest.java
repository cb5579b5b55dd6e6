package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private final RecordFormat valueOnly = new RecordFormat(false, "\t");

    @Test
    void jsonValueIsPrintedCompact() throws Exception {
        assertThat(valueOnly.format(record("{\"value\": {\"a\": [1, 2],  \"b\": null}, \"encoding\": \"json\"}")))
                .isEqualTo("{\"a\":[1,2],\"b\":null}");
    }

    @Test
    void jsonStringKeepsItsQuotesButAStringValueIsRaw() throws Exception {
        assertThat(valueOnly.format(record("{\"value\": \"hi\", \"encoding\": \"json\"}"))).isEqualTo("\"hi\"");
        assertThat(valueOnly.format(record("{\"value\": \"hi\", \"encoding\": \"string\"}"))).isEqualTo("hi");
    }

    @Test
    void base64IsPrintedAsReceived() throws Exception {
        assertThat(valueOnly.format(record("{\"value\": \"AAEC\", \"encoding\": \"base64\"}"))).isEqualTo("AAEC");
    }

    @Test
    void tombstoneAndMissingKeyPrintAsNullLikeKafkasConsoleConsumer() throws Exception {
        assertThat(valueOnly.format(record("{\"key\": \"k\", \"value\": null, \"encoding\": \"json\"}")))
                .isEqualTo("null");
        assertThat(new RecordFormat(true, "\t").format(record("{\"key\": null, \"value\": null}")))
                .isEqualTo("null\tnull");
    }

    @Test
    void keyAndSeparatorBeforeTheValue() throws Exception {
        RecordFormat withKey = new RecordFormat(true, " => ");

        assertThat(withKey.format(record("{\"key\": \"user-1\", \"value\": 42, \"encoding\": \"json\"}")))
                .isEqualTo("user-1 => 42");
        assertThat(withKey.format(record("{\"key\": null, \"value\": \"x\", \"encoding\": \"string\"}")))
                .isEqualTo("null => x");
    }

    private static JsonNode record(String json) throws Exception {
        return RestClient.JSON.readTree(json);
    }
}
