package dev.sluice.broker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A bare Kafka protocol client for tests: sends one request in exactly the version asked for and reads its response,
 * as old or unusual clients would, with none of kafka-clients' retries and heartbeats. Not thread-safe: one request
 * at a time per connection.
 */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    WireClient(KafkaBroker broker) {
        try {
            this.socket = new Socket(broker.boundAddress().getAddress(), broker.boundAddress().getPort());
            socket.setSoTimeout(60_000);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    <R extends ApiMessage> R send(ApiMessage request, int version) {
        short v = (short) version;
        ApiKeys key = ApiKeys.forId(request.apiKey());
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(v)
                .setCorrelationId(++correlationId).setClientId("wire-client");
        short headerVersion = key.requestHeaderVersion(v);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + request.size(cache, v);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerVersion);
        request.write(writer, cache, v);
        try {
            out.write(frame.array());
            out.flush();
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(body));
            ResponseHeaderData responseHeader = new ResponseHeaderData();
            responseHeader.read(reader, key.responseHeaderVersion(v));
            if (responseHeader.correlationId() != correlationId) {
                throw new IllegalStateException("response to " + responseHeader.correlationId() + ", expected "
                        + correlationId);
            }
            ApiMessage response = ApiMessageType.fromApiKey(key.id).newResponse();
            response.read(reader, v);
            return (R) response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
