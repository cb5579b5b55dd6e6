package dev.sluice.broker.internal;

import java.util.List;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The consumer-group APIs (classic protocol) and the group coordinator behind them, started with the broker and
 * closed with it.
 */
final class GroupApis implements AutoCloseable {

    private GroupApis() {
    }

    static GroupApis start(BrokerContext context) {
        return new GroupApis();
    }

    List<ApiHandler<? extends ApiMessage>> handlers() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
