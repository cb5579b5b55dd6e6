package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedAndNumbersRightAligned() {
        String table = new Table("PARTITION", "START", "END", "TOPIC")
                .row(0, 0, 1234, "orders")
                .row(10, 5, 7, "a")
                .render();

        assertThat(table).isEqualTo("""
                PARTITION  START   END  TOPIC
                        0      0  1234  orders
                       10      5     7  a
                """);
    }

    @Test
    void rowsAloneLeaveOutTheHeaderButKeepItsWidth() {
        assertThat(new Table("FIELD", "VALUE").row("id", "a").row("version", 2).renderRows())
                .isEqualTo("id       a\nversion  2\n");
    }

    @Test
    void headerAloneWhenThereAreNoRows() {
        assertThat(new Table("A", "B").render()).isEqualTo("A  B\n");
    }
}
