package dev.sluice.pipelines;

import static dev.sluice.pipelines.Runs.detective;
import static dev.sluice.pipelines.Runs.extract;
import static dev.sluice.pipelines.Runs.json;
import static dev.sluice.pipelines.Runs.replace;
import static dev.sluice.pipelines.Runs.run;
import static dev.sluice.pipelines.Runs.step;
import static dev.sluice.pipelines.Runs.text;
import static dev.sluice.pipelines.Runs.transform;
import static dev.sluice.pipelines.Runs.truncate;
import static dev.sluice.pipelines.Runs.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every transform, on a path and on a detective's matches, on every kind of value. */
class TransformStepTest {
    private static final String ORDER = json("""
            {"id": 7, "user": {"name": "Ada", "email": "ada@example.com", "vip": true, "none": null},
             "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}, {"sku": "C-3", "qty": 5}],
             "note": "call me"}
            """);

    // mask --------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "mask {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "ada@example.com"        | "***************"
            "h\u00e9llo w\u00f6rld"  | "***********"
            "héllo wörld"            | "***********"
            "a😀b"                   | "***"
            "a\\"b"                  | "***"
            "\\u00e9t\\u00e9"        | "***"
            "\\ud83d\\ude00"         | "*"
            "tab\\there\\n"          | "*********"
            ""                       | ""
            4111                     | "****"
            -12.5e3                  | "*******"
            0                        | "*"
            true                     | true
            null                     | null
            {"a": "xy", "b": [1, "z", false, {"c": 22}], "d": null} | {"a": "**", "b": ["*", "*", false, {"c": "**"}], "d": null}
            []                       | []
            """)
    void masksEveryStringAndNumberKeepingTheirLength(String before, String after) {
        ChainResult result = run("{\"k\": 1, \"v\": " + before + "}", transform("mask", "v"));

        assertThat(value(result).get("v")).isEqualTo(Runs.parse(after));
        assertThat(value(result).get("k").asInt()).isEqualTo(1);
    }

    @Test
    void maskAnswersFalseWhenThereIsNothingItCanMask() {
        ChainResult result = run(ORDER, transform("mask", "user.vip"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.changed()).isFalse();
    }

    @Test
    void maskKeepsEveryOtherByteAsItWas() {
        String payload = "{ \"a\" : \"secret\" ,\n  \"b\":[ 1 ,2 ] }";

        ChainResult result = run(payload, transform("mask", "a"));

        assertThat(text(result)).isEqualTo("{ \"a\" : \"******\" ,\n  \"b\":[ 1 ,2 ] }");
    }

    @Test
    void maskActsOnEveryMatchOfTheDetective() {
        ChainResult result = run(ORDER, detective("regex", "items.1.sku", "^B"), transform("mask", null));

        assertThat(value(result).at("/items/1/sku").asText()).isEqualTo("***");
        assertThat(value(result).at("/items/0/sku").asText()).isEqualTo("A-1");
    }

    @Test
    void aSecondTransformFindsTheMatchesAgainInTheChangedPayload() {
        ChainResult result = run(ORDER, detective("pii_email", null), transform("mask", null),
                transform("obfuscate", null));

        assertThat(step(result, 2).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(value(result).at("/user/email").asText()).isEqualTo(sha256("*".repeat(15)));
    }

    @Test
    void withoutPathOrMatchesThereIsNothingToDo() {
        ChainResult result = run(ORDER, transform("mask", null));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(step(result, 0).detail()).isEqualTo("no path and nothing matched");
    }

    @Test
    void aMissingPathIsFalse() {
        ChainResult result = run(ORDER, transform("mask", "user.phone"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(step(result, 0).detail()).isEqualTo("no value at /user/phone");
        assertThat(result.changed()).isFalse();
    }

    // obfuscate ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "obfuscate {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "ada@example.com"  | ada@example.com
            "a\\"b"            | a"b
            "\\u00e9"          | é
            "é"                | é
            "😀"               | 😀
            42                 | 42
            -1.50              | -1.50
            """)
    void obfuscatesWithTheSha256OfTheText(String before, String hashedText) {
        ChainResult result = run("{\"v\": " + before + "}", transform("obfuscate", "v"));

        assertThat(value(result).get("v").asText()).isEqualTo(sha256(hashedText));
    }

    @Test
    void obfuscatesInsideObjectsAndArrays() {
        ChainResult result = run(ORDER, transform("obfuscate", "user"));

        assertThat(value(result).get("user")).isEqualTo(Runs.parse("{\"name\": \"" + sha256("Ada") + "\", \"email\": \""
                + sha256("ada@example.com") + "\", \"vip\": true, \"none\": null}"));
    }

    // truncate ----------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "truncate {0} length={1} percent={2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "abcdef"            | 3  |     | "abc"
            "abcdef"            | 0  |     | ""
            "abcdef"            |    | 50  | "abc"
            "abcde"             |    | 50  | "ab"
            "abcdef"            |    | 100 | "abcdef"
            "h😀llo"            | 2  |     | "h😀"
            "héllo"             | 2  |     | "hé"
            "a\\"bcd"           | 2  |     | "a\\""
            "\\u00e9\\u00e9\\u00e9" | 1 |   | "é"
            "x\\ny\\nz"         | 3  |     | "x\\ny"
            """)
    void truncatesToCodePoints(String before, Integer length, Integer percent, String after) {
        ChainResult result = run("{\"v\": " + before + "}", truncate("v", length, percent));

        assertThat(value(result).get("v")).isEqualTo(Runs.parse(after));
    }

    @Test
    void truncateLeavesAShortStringAndAnswersFalse() {
        ChainResult result = run(ORDER, truncate("note", 100, null));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.changed()).isFalse();
    }

    @ParameterizedTest(name = "truncate {0} is an error")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            id    | a number
            user  | an object
            items | an array
            """)
    void truncateOnlyTakesStrings(String path, String kind) {
        ChainResult result = run(ORDER, truncate(path, 1, null));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.ERROR);
        assertThat(step(result, 0).detail()).isEqualTo("truncate works on strings, not on " + kind + " at /" + path);
        assertThat(result.changed()).isFalse();
    }

    // replace_value -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "replace {0} with {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            user.email  | "redacted"          | /user/email
            user.email  | null                | /user/email
            id          | {"a": [1, "\\u00e9"]} | /id
            user        | 0                   | /user
            items.1     | "gone"              | /items/1
            /items/2/qty | 3.5                | /items/2/qty
            """)
    void replacesTheValueWithAnyJson(String path, String replacement, String pointer) {
        ChainResult result = run(ORDER, replace(path, replacement));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(value(result).at(pointer)).isEqualTo(Runs.parse(replacement));
        assertThat(value(result).at("/note").asText()).isEqualTo("call me");
    }

    @Test
    void replaceActsOnEveryMatch() {
        String payload = json("{'a': 'x@example.com', 'b': ['ok', 'y@example.org'], 'c': 'ok'}");

        ChainResult result = run(payload, detective("pii_email", null), replace(null, "\"[email]\""));

        assertThat(text(result)).isEqualTo(json("{'a': '[email]', 'b': ['ok', '[email]'], 'c': 'ok'}"));
    }

    @Test
    void replaceDoesNotCreateAMissingMember() {
        ChainResult result = run(ORDER, replace("user.phone", "\"x\""));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.changed()).isFalse();
    }

    // delete_field ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "delete {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            user.email | {"id":7,"user":{"name":"Ada","vip":true,"none":null},"items":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1},{"sku":"C-3","qty":5}],"note":"call me"}
            items.1    | {"id":7,"user":{"name":"Ada","email":"ada@example.com","vip":true,"none":null},"items":[{"sku":"A-1","qty":2},{"sku":"C-3","qty":5}],"note":"call me"}
            /items/0/sku | {"id":7,"user":{"name":"Ada","email":"ada@example.com","vip":true,"none":null},"items":[{"qty":2},{"sku":"B-2","qty":1},{"sku":"C-3","qty":5}],"note":"call me"}
            user       | {"id":7,"items":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1},{"sku":"C-3","qty":5}],"note":"call me"}
            """)
    void deletesMembersAndElements(String path, String expected) {
        ChainResult result = run(ORDER, transform("delete_field", path));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.TRUE);
        assertThat(value(result)).isEqualTo(Runs.parse(expected));
    }

    @Test
    void deletesEveryMatchedElementByItsIndexBeforeAnyMoves() {
        String payload = json("{'list': ['a@x.com', 'keep', 'b@x.com', 'c@x.com', 'keep too']}");

        ChainResult result = run(payload, detective("pii_email", "list"), transform("delete_field", null));

        assertThat(value(result)).isEqualTo(Runs.parse(json("{'list': ['keep', 'keep too']}")));
    }

    @Test
    void deleteOfAMissingMemberIsFalse() {
        ChainResult result = run(ORDER, transform("delete_field", "items.9"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.value()).isEqualTo(ORDER.getBytes(StandardCharsets.UTF_8));
    }

    // extract -----------------------------------------------------------------------------------------------------

    @Test
    void extractKeepsOnlyThePathsWhereTheyWere() {
        ChainResult result = run(ORDER, extract(false, "user.email", "items.2.sku", "id", "items.0.qty"));

        assertThat(value(result)).isEqualTo(Runs.parse(json(
                "{'user': {'email': 'ada@example.com'}, 'items': [{'qty': 2}, {'sku': 'C-3'}], 'id': 7}")));
    }

    @Test
    void extractFlattensToLastSegmentsJoiningOnlyThoseThatCollide() {
        String payload = json("{'user': {'id': 1, 'email': 'e'}, 'order': {'id': 2}, 'x': {'y': 'z'}}");

        ChainResult result = run(payload, extract(true, "user.id", "order.id", "user.email", "/x/y", "missing"));

        assertThat(text(result)).isEqualTo(json("{'user_id':1,'order_id':2,'email':'e','y':'z'}"));
    }

    @Test
    void extractOfNothingThatExistsLeavesThePayload() {
        ChainResult result = run(ORDER, extract(false, "a", "b.c"));

        assertThat(step(result, 0).outcome()).isEqualTo(StepOutcome.FALSE);
        assertThat(result.changed()).isFalse();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
