package dev.sluice.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class StdoutLoggingTest {

    @Test
    void logsInfoAndAboveToStdoutOneLinePerEventAndStopsLogbackLookingForXml() {
        LoggerContext context = new LoggerContext();

        ExecutionStatus status = new StdoutLogging().configure(context);

        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka.clients.consumer.ConsumerConfig").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        ConsoleAppender<ILoggingEvent> stdout = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(stdout.isStarted()).isTrue();
        assertThat(stdout.getTarget()).isEqualTo("System.out");
        assertThat(((PatternLayoutEncoder) stdout.getEncoder()).getPattern()).isEqualTo(StdoutLogging.PATTERN);
    }

    @Test
    void stepsAsideForAConfigurationFileTheUserNames() {
        String previous = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "/etc/sluice/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            assertThat(new StdoutLogging().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (previous == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }
}
