package dev.sluice.pipelines;

import java.util.List;
import java.util.Map;

/**
 * What the pipelines of an audience made of one record.
 *
 * @param verdict       pass, drop or dead-letter
 * @param value         the value to write or deliver (the input array itself when nothing changed it)
 * @param changed       whether a step changed the value
 * @param headers       record headers the conditions added, or null when none did
 * @param deadLetter    the dead-letter topic for {@link Verdict#DEAD_LETTER}, else null
 * @param reason        for a drop or dead letter, which pipeline and step decided it and why
 * @param notifications notifications the conditions asked for, or null when none did
 * @param trace         every step's answer when the run was traced, else null
 * @param errors        how many steps answered error
 */
public record ChainResult(Verdict verdict, byte[] value, boolean changed, Map<String, String> headers,
                          String deadLetter, String reason, List<Notification> notifications,
                          List<StepReport> trace, int errors) {
}
