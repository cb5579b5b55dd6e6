package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyedLineTest {

    @Test
    void withoutSeparatorTheWholeLineIsTheValue() {
        assertThat(KeyedLine.split("a:b", Optional.empty())).isEqualTo(new KeyedLine(Optional.empty(), "a:b"));
    }

    @Test
    void splitsAtTheFirstSeparatorOnly() {
        assertThat(KeyedLine.split("user-1:{\"a\":\"b:c\"}", Optional.of(":")))
                .isEqualTo(new KeyedLine(Optional.of("user-1"), "{\"a\":\"b:c\"}"));
    }

    @Test
    void multiCharacterSeparator() {
        assertThat(KeyedLine.split("k::v::w", Optional.of("::")))
                .isEqualTo(new KeyedLine(Optional.of("k"), "v::w"));
    }

    @Test
    void lineWithoutTheSeparatorHasNoKey() {
        assertThat(KeyedLine.split("just a value", Optional.of("\t")))
                .isEqualTo(new KeyedLine(Optional.empty(), "just a value"));
    }

    @Test
    void separatorAtTheEdgesGivesAnEmptyKeyOrValue() {
        assertThat(KeyedLine.split(":v", Optional.of(":"))).isEqualTo(new KeyedLine(Optional.of(""), "v"));
        assertThat(KeyedLine.split("k:", Optional.of(":"))).isEqualTo(new KeyedLine(Optional.of("k"), ""));
    }

    @Test
    void utf8LengthCountsBytesNotChars() {
        assertThat(ProduceCommand.utf8Length("abc")).isEqualTo(3);
        assertThat(ProduceCommand.utf8Length("é")).isEqualTo(2);
        assertThat(ProduceCommand.utf8Length("€")).isEqualTo(3);
        assertThat(ProduceCommand.utf8Length("😀")).isEqualTo(4);
    }
}
