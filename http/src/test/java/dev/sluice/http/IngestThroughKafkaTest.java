package dev.sluice.http;

/**
 * Every ingestion behaviour again, with records going through the HTTP component's Kafka producer: the path of an
 * HTTP component whose broker runs in another process.
 */
class IngestThroughKafkaTest extends IngestTest {
    @Override
    HttpConfig path(HttpConfig config) {
        return config.withLocalBroker(null);
    }
}
