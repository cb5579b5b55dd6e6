package dev.sluice.pipelines;

import static dev.sluice.pipelines.Runs.detective;
import static dev.sluice.pipelines.Runs.json;
import static dev.sluice.pipelines.Runs.negated;
import static dev.sluice.pipelines.Runs.run;
import static dev.sluice.pipelines.Runs.step;
import static dev.sluice.pipelines.Runs.transform;
import static dev.sluice.pipelines.Runs.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every non-PII detective type, on the value at a path: what it answers and what it hands the next step. */
class DetectiveStepTest {
    static final String DOC = json("""
            {'user': {'name': 'Ada Lovelace', 'email': 'ada@example.com', 'age': 36, 'vip': true, 'nick': '',
                      'tags': [], 'meta': {}, 'none': null, 'note': 'write to ada@example.com today'},
             'items': [{'sku': 'A-1', 'qty': 2, 'price': 9.5}, {'sku': 'B-2', 'qty': 1, 'price': 20}],
             'total': 39, 'big': 9007199254740993, 'ratio': 0.25, 'flag': false,
             'a.b': 'dotted', 'sl/ash': 'slash', 'ti~lde': 'tilde', 'n0': {'0': 'zero-key'}}
            """);

    private static String[] args(String joined) {
        return joined == null ? new String[0] : joined.split(";");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            has_field             | user.email       |                      | TRUE
            has_field             | /user/email      |                      | TRUE
            has_field             | user.missing     |                      | FALSE
            has_field             | user.none        |                      | TRUE
            has_field             | items.1.sku      |                      | TRUE
            has_field             | /items/1/sku     |                      | TRUE
            has_field             | items.5.sku      |                      | FALSE
            has_field             | items.sku        |                      | FALSE
            has_field             | user.name.first  |                      | FALSE
            has_field             | /a.b             |                      | TRUE
            has_field             | /sl~1ash         |                      | TRUE
            has_field             | /ti~0lde         |                      | TRUE
            has_field             | n0.0             |                      | TRUE
            is_empty              | user.nick        |                      | TRUE
            is_empty              | user.tags        |                      | TRUE
            is_empty              | user.meta        |                      | TRUE
            is_empty              | user.none        |                      | TRUE
            is_empty              | user.name        |                      | FALSE
            is_empty              | user             |                      | FALSE
            is_empty              | items            |                      | FALSE
            is_empty              | total            |                      | FALSE
            is_empty              | user.missing     |                      | FALSE
            is_type               | user.name        | string               | TRUE
            is_type               | total            | number               | TRUE
            is_type               | ratio            | number               | TRUE
            is_type               | total            | integer              | TRUE
            is_type               | ratio            | integer              | FALSE
            is_type               | user.vip         | boolean              | TRUE
            is_type               | user             | object               | TRUE
            is_type               | items            | array                | TRUE
            is_type               | user.none        | null                 | TRUE
            is_type               | user.name        | number               | FALSE
            is_type               | ''               | object               | TRUE
            string_equal          | user.name        | Ada Lovelace         | TRUE
            string_equal          | user.name        | ada lovelace         | FALSE
            string_equal          | total            | 39                   | FALSE
            string_contains_any   | user.note        | nobody;today         | TRUE
            string_contains_any   | user.note        | nobody;never         | FALSE
            string_contains_all   | user.note        | write;today          | TRUE
            string_contains_all   | user.note        | write;never          | FALSE
            regex                 | user.email       | ^[a-z]+@example\\.com$ | TRUE
            regex                 | user.email       | ^\\d+$               | FALSE
            regex                 | user.name        | Love                 | TRUE
            regex                 | user             | .*                   | FALSE
            string_length_min     | user.name        | 12                   | TRUE
            string_length_min     | user.name        | 13                   | FALSE
            string_length_max     | user.name        | 12                   | TRUE
            string_length_max     | user.name        | 11                   | FALSE
            string_length_range   | user.name        | 1;12                 | TRUE
            string_length_range   | user.nick        | 1;5                  | FALSE
            string_length_range   | total            | 0;5                  | FALSE
            numeric_equal_to      | total            | 39                   | TRUE
            numeric_equal_to      | total            | 39.0                 | TRUE
            numeric_equal_to      | big              | 9007199254740993     | TRUE
            numeric_equal_to      | big              | 9007199254740992     | FALSE
            numeric_greater_than  | total            | 38.5                 | TRUE
            numeric_greater_than  | total            | 39                   | FALSE
            numeric_greater_than  | big              | 1e15                 | TRUE
            numeric_greater_equal | total            | 39                   | TRUE
            numeric_greater_equal | total            | 40                   | FALSE
            numeric_less_than     | ratio            | 0.3                  | TRUE
            numeric_less_than     | ratio            | 0.25                 | FALSE
            numeric_less_equal    | ratio            | 0.25                 | TRUE
            numeric_less_equal    | total            | -1                   | FALSE
            numeric_range         | items.0.price    | 9;10                 | TRUE
            numeric_range         | items.1.price    | 9;10                 | FALSE
            numeric_range         | items.1.price    | 20;20                | TRUE
            numeric_greater_than  | user.name        | 1                    | FALSE
            numeric_greater_than  | user.missing     | 1                    | FALSE
            boolean_true          | user.vip         |                      | TRUE
            boolean_true          | flag             |                      | FALSE
            boolean_false         | flag             |                      | TRUE
            boolean_false         | user.none        |                      | FALSE
            """)
    void checksTheValueAtThePath(String type, String path, String args, StepOutcome expected) {
        String payloadPath = "''".equals(path) ? null : path;
        ChainResult result = run(DOC, detective(type, payloadPath, args(args)));

        assertThat(step(result, 0).outcome()).as(step(result, 0).detail()).isEqualTo(expected);
        assertThat(result.changed()).isFalse();
        assertThat(result.value()).isEqualTo(DOC.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            timestamp_rfc3339 |     | '2024-02-29T10:30:45.123Z'         | TRUE
            timestamp_rfc3339 |     | '2024-01-15T10:30:45+01:00'        | TRUE
            timestamp_rfc3339 |     | '2024-01-15t10:30:45z'             | TRUE
            timestamp_rfc3339 |     | '2024-01-15 10:30:45Z'             | TRUE
            timestamp_rfc3339 |     | '2023-02-29T10:30:45Z'             | FALSE
            timestamp_rfc3339 |     | '2024-13-01T00:00:00Z'             | FALSE
            timestamp_rfc3339 |     | '2024-01-15T24:00:00Z'             | FALSE
            timestamp_rfc3339 |     | '2024-01-15T10:30Z'                | FALSE
            timestamp_rfc3339 |     | '2024-01-15T10:30:45'              | FALSE
            timestamp_rfc3339 |     | '2024-01-15'                       | FALSE
            timestamp_rfc3339 |     | 1700000000                         | FALSE
            timestamp_unix    |     | 1700000000                         | TRUE
            timestamp_unix    |     | 1700000000123                      | TRUE
            timestamp_unix    |     | 1700000000.5                       | TRUE
            timestamp_unix    |     | '1700000000'                       | TRUE
            timestamp_unix    |     | '1700000000123'                    | TRUE
            timestamp_unix    |     | 42                                 | FALSE
            timestamp_unix    |     | -1700000000                        | FALSE
            timestamp_unix    |     | 17000000000                        | FALSE
            timestamp_unix    |     | '17e8'                             | FALSE
            timestamp_unix    |     | 'soon'                             | FALSE
            timestamp_unix    |     | true                               | FALSE
            uuid              |     | '123e4567-e89b-12d3-a456-426614174000' | TRUE
            uuid              |     | '123E4567-E89B-12D3-A456-426614174000' | TRUE
            uuid              |     | '123e4567e89b12d3a456426614174000' | FALSE
            uuid              |     | '123e4567-e89b-12d3-a456-42661417400g' | FALSE
            ipv4              |     | '192.168.1.20'                     | TRUE
            ipv4              |     | '0.0.0.0'                          | TRUE
            ipv4              |     | '256.1.1.1'                        | FALSE
            ipv4              |     | '01.2.3.4'                         | FALSE
            ipv4              |     | '1.2.3'                            | FALSE
            ipv4              |     | '1.2.3.4 '                         | FALSE
            ipv6              |     | '2001:db8::8a2e:370:7334'          | TRUE
            ipv6              |     | '2001:0db8:0000:0000:0000:ff00:0042:8329' | TRUE
            ipv6              |     | '::1'                              | TRUE
            ipv6              |     | '::'                               | TRUE
            ipv6              |     | '::ffff:192.0.2.1'                 | TRUE
            ipv6              |     | '1::2::3'                          | FALSE
            ipv6              |     | '12345::1'                         | FALSE
            ipv6              |     | '1:2:3:4:5:6:7'                    | FALSE
            ipv6              |     | '192.168.1.20'                     | FALSE
            mac_address       |     | '00:1A:2B:3C:4D:5E'                | TRUE
            mac_address       |     | '00-1a-2b-3c-4d-5e'                | TRUE
            mac_address       |     | '001a.2b3c.4d5e'                   | TRUE
            mac_address       |     | '00:1A-2B:3C:4D:5E'                | FALSE
            mac_address       |     | '00:1A:2B:3C:4D'                   | FALSE
            url               |     | 'https://example.com/a?b=c#d'      | TRUE
            url               |     | 'ftp://files.example.org/x'        | TRUE
            url               |     | 'http://[::1]:8080/'               | TRUE
            url               |     | 'example.com'                      | FALSE
            url               |     | 'mailto:ada@example.com'           | FALSE
            url               |     | 'http://exa mple.com'              | FALSE
            hostname          |     | 'api.example.com'                  | TRUE
            hostname          |     | 'localhost'                        | TRUE
            hostname          |     | 'example.com.'                     | TRUE
            hostname          |     | '-bad.example.com'                 | FALSE
            hostname          |     | 'a..b'                             | FALSE
            hostname          |     | 'under_score.com'                  | FALSE
            hostname          |     | '192.168.1.20'                     | FALSE
            semver            |     | '1.2.3'                            | TRUE
            semver            |     | '1.2.3-rc.1+build.5'               | TRUE
            semver            |     | '1.0.0-alpha-1.x'                  | TRUE
            semver            |     | '1.2'                              | FALSE
            semver            |     | '01.2.3'                           | FALSE
            semver            |     | '1.2.3-01'                         | FALSE
            semver            |     | 'v1.2.3'                           | FALSE
            """)
    void formats(String type, String args, String valueJson, StepOutcome expected) {
        ChainResult result = run(json("{'v': " + valueJson + "}"), detective(type, "v", args(args)));

        assertThat(step(result, 0).outcome()).as(step(result, 0).detail()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "negated {0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            has_field            | user.email   |              | FALSE
            has_field            | user.missing |              | TRUE
            string_equal         | user.name    | Ada Lovelace | FALSE
            string_equal         | user.name    | Grace Hopper | TRUE
            string_equal         | user.missing | Grace Hopper | FALSE
            numeric_greater_than | total        | 100          | TRUE
            numeric_greater_than | user.missing | 100          | FALSE
            is_empty             | user.tags    |              | FALSE
            is_empty             | items        |              | TRUE
            pii_email            | user.name    |              | TRUE
            pii_email            | user         |              | FALSE
            pii_email            | user.missing |              | FALSE
            """)
    void negateInvertsTheCheckButNotAMissingPath(String type, String path, String args, StepOutcome expected) {
        ChainResult result = run(DOC, negated(type, path, args(args)));

        assertThat(step(result, 0).outcome()).as(step(result, 0).detail()).isEqualTo(expected);
    }

    @Test
    void aMissingPathSaysWhichInTheTrace() {
        ChainResult result = run(DOC, detective("string_equal", "user.nickname", "x"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(step(result, 0).detail()).isEqualTo("no value at /user/nickname");
    }

    @Test
    void theMatchIsTheCheckedValueSoATransformWithoutPathActsOnIt() {
        ChainResult result = run(DOC, detective("numeric_greater_than", "items.1.price", "10"),
                transform("mask", null));

        assertThat(step(result, 1).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(value(result).at("/items/1/price").asText()).isEqualTo("**");
        assertThat(value(result).at("/items/0/price").asDouble()).isEqualTo(9.5);
    }

    @Test
    void aNegatedCheckMatchesTheValueThatFailedIt() {
        ChainResult result = run(DOC, negated("pii_email", "user.name"), transform("mask", null));

        assertThat(value(result).at("/user/name").asText()).isEqualTo("************");
        assertThat(value(result).at("/user/email").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void aFalseAnswerLeavesNothingForTheTransform() {
        ChainResult result = run(DOC, detective("string_equal", "user.name", "nobody"), transform("mask", null));

        assertThat(step(result, 1).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.changed()).isFalse();
    }

    @Test
    void aMemberNamedTwiceIsCheckedEachTime() {
        String payload = json("{'a': 'x', 'a': 'ada@example.com'}");

        ChainResult result = run(payload, detective("pii_email", "a"), transform("mask", null));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(Runs.text(result)).isEqualTo(json("{'a': 'x', 'a': '***************'}"));
    }

    @Test
    void typeNamesAreCaseInsensitive() {
        ChainResult result = run(DOC, detective("Has_Field", "user.email"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.TRUE);
    }

    @Test
    void thereAreFortyTwoTypes() {
        assertThat(dev.sluice.pipelines.internal.detective.DetectiveStep.TYPES).hasSize(42)
                .contains("has_field", "pii_any", "pii_keyword").doesNotHaveDuplicates();
    }
}
