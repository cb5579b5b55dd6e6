package dev.sluice.pipelines;

import static dev.sluice.pipelines.Runs.detective;
import static dev.sluice.pipelines.Runs.json;
import static dev.sluice.pipelines.Runs.run;
import static dev.sluice.pipelines.Runs.step;
import static dev.sluice.pipelines.Runs.transform;
import static dev.sluice.pipelines.Runs.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The PII detectives: what each finds in free text, what it must not take for PII, and where it reports it. */
class PiiDetectiveTest {
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0."
            + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    private static final String JWT_WITHOUT_ALG = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln";
    private static final String GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

    static Stream<Arguments> values() {
        return Stream.of(
                // pii_email: an address anywhere in the text
                Arguments.of("pii_email", "'ada@example.com'", true),
                Arguments.of("pii_email", "'write to a.b+c@mail.example.co.uk today'", true),
                Arguments.of("pii_email", "'<ADA@EXAMPLE.ORG>'", true),
                Arguments.of("pii_email", "'ada\\u0040example.com'", true),
                Arguments.of("pii_email", "'ada@localhost'", false),
                Arguments.of("pii_email", "'@example.com'", false),
                Arguments.of("pii_email", "'ada@'", false),
                Arguments.of("pii_email", "'ada@example.c'", false),
                Arguments.of("pii_email", "'ada@-bad.com'", false),
                Arguments.of("pii_email", "'.ada@example.com'", true),
                Arguments.of("pii_email", "'ada.@example.com'", false),
                Arguments.of("pii_email", "'version 1.2@3.4'", false),
                // pii_credit_card: 13-19 digits, Luhn, a card network's prefix
                Arguments.of("pii_credit_card", "'4111111111111111'", true),
                Arguments.of("pii_credit_card", "'4111 1111 1111 1111'", true),
                Arguments.of("pii_credit_card", "'4111-1111-1111-1111'", true),
                Arguments.of("pii_credit_card", "'card 5500 0000 0000 0004 exp 12/29'", true),
                Arguments.of("pii_credit_card", "'378282246310005'", true),
                Arguments.of("pii_credit_card", "'6011111111111117'", true),
                Arguments.of("pii_credit_card", "'2223003122003222'", true),
                Arguments.of("pii_credit_card", "'30569309025904'", true),
                Arguments.of("pii_credit_card", "4111111111111111", true),
                Arguments.of("pii_credit_card", "'4111111111111112'", false),
                Arguments.of("pii_credit_card", "4111111111111112", false),
                Arguments.of("pii_credit_card", "'1700000000004'", false),
                Arguments.of("pii_credit_card", "1700000000004", false),
                Arguments.of("pii_credit_card", "'9000000000000001'", false),
                Arguments.of("pii_credit_card", "'41111111111111111111'", false),
                Arguments.of("pii_credit_card", "'4111  1111 1111 1111'", false),
                Arguments.of("pii_credit_card", "'x4111111111111111'", false),
                Arguments.of("pii_credit_card", "'411111111111'", false),
                Arguments.of("pii_credit_card", "4111111111111111.0", false),
                // pii_ssn: ddd-dd-dddd, never-issued numbers excluded
                Arguments.of("pii_ssn", "'123-45-6789'", true),
                Arguments.of("pii_ssn", "'SSN: 078-05-1120.'", true),
                Arguments.of("pii_ssn", "'000-12-3456'", false),
                Arguments.of("pii_ssn", "'666-12-3456'", false),
                Arguments.of("pii_ssn", "'912-34-5678'", false),
                Arguments.of("pii_ssn", "'123-00-4567'", false),
                Arguments.of("pii_ssn", "'123-45-0000'", false),
                Arguments.of("pii_ssn", "'123456789'", false),
                Arguments.of("pii_ssn", "'1123-45-6789'", false),
                Arguments.of("pii_ssn", "'123-45-67890'", false),
                Arguments.of("pii_ssn", "123456789", false),
                // pii_phone: E.164 or a common national grouping; never a bare run of digits
                Arguments.of("pii_phone", "'+1 (555) 123-4567'", true),
                Arguments.of("pii_phone", "'+44 20 7946 0958'", true),
                Arguments.of("pii_phone", "'+4915112345678'", true),
                Arguments.of("pii_phone", "'+1(555)123-4567'", true),
                Arguments.of("pii_phone", "'(555) 123-4567'", true),
                Arguments.of("pii_phone", "'call 555-123-4567 now'", true),
                Arguments.of("pii_phone", "'555.123.4567'", true),
                Arguments.of("pii_phone", "'1-555-123-4567'", true),
                Arguments.of("pii_phone", "'020 7946 0958'", true),
                Arguments.of("pii_phone", "'01 23 45 67 89'", true),
                Arguments.of("pii_phone", "'5551234567'", false),
                Arguments.of("pii_phone", "15551234567", false),
                Arguments.of("pii_phone", "'2024-01-15 10:30:45'", false),
                Arguments.of("pii_phone", "'192.168.100.200'", false),
                Arguments.of("pii_phone", "'+12'", false),
                Arguments.of("pii_phone", "'+0123456789'", false),
                Arguments.of("pii_phone", "'order 42, qty 12345'", false),
                Arguments.of("pii_phone", "'4111 1111 1111 1111'", false),
                Arguments.of("pii_phone", "'123-45-6789'", false),
                Arguments.of("pii_phone", "'2-555-123-4567'", false),
                // pii_iban: country, check digits, mod-97
                Arguments.of("pii_iban", "'DE89370400440532013000'", true),
                Arguments.of("pii_iban", "'DE89 3704 0044 0532 0130 00'", true),
                Arguments.of("pii_iban", "'GB82WEST12345698765432'", true),
                Arguments.of("pii_iban", "'GB82 WEST 1234 5698 7654 32'", true),
                Arguments.of("pii_iban", "'NL91ABNA0417164300'", true),
                Arguments.of("pii_iban", "'FR1420041010050500013M02606'", true),
                Arguments.of("pii_iban", "'pay to DE89370400440532013000 by Friday'", true),
                Arguments.of("pii_iban", "'IBAN DE89 3704 0044 0532 0130 00 THANKS'", true),
                Arguments.of("pii_iban", "'DE89370400440532013001'", false),
                Arguments.of("pii_iban", "'DE89 3704 0044 0532 0130 01'", false),
                Arguments.of("pii_iban", "'XDE89370400440532013000'", false),
                Arguments.of("pii_iban", "'DE8937040044'", false),
                // pii_ip_address: v4 or v6, standing alone
                Arguments.of("pii_ip_address", "'192.168.1.1'", true),
                Arguments.of("pii_ip_address", "'from 10.0.0.1:8080'", true),
                Arguments.of("pii_ip_address", "'2001:db8::1'", true),
                Arguments.of("pii_ip_address", "'client fe80::1.'", true),
                Arguments.of("pii_ip_address", "'http://[::1]:8080/'", true),
                Arguments.of("pii_ip_address", "'1.2.3.4.5'", false),
                Arguments.of("pii_ip_address", "'256.1.1.1'", false),
                Arguments.of("pii_ip_address", "'std::vector'", false),
                Arguments.of("pii_ip_address", "'12:30:45'", false),
                Arguments.of("pii_ip_address", "'version 1.2.3'", false),
                Arguments.of("pii_ip_address", "'00:1A:2B:3C:4D:5E'", false),
                // pii_jwt: three base64url parts, a header with alg
                Arguments.of("pii_jwt", "'" + JWT + "'", true),
                Arguments.of("pii_jwt", "'token=" + JWT + ";'", true),
                Arguments.of("pii_jwt", "'" + JWT_WITHOUT_ALG + "'", false),
                Arguments.of("pii_jwt", "'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'", false),
                Arguments.of("pii_jwt", "'eyJub3QganNvbg.eyJzdWIiOiIxIn0.c2ln'", false),
                Arguments.of("pii_jwt", "'a.b.c'", false),
                // pii_bearer_token
                Arguments.of("pii_bearer_token", "'Bearer abcDEF123456ghiJKL'", true),
                Arguments.of("pii_bearer_token", "'authorization: bearer " + JWT + "'", true),
                Arguments.of("pii_bearer_token", "'the bearer of bad news'", false),
                Arguments.of("pii_bearer_token", "'Bearer short1'", false),
                Arguments.of("pii_bearer_token", "'Bearer onlylettersinthisword'", false),
                // pii_aws_key
                Arguments.of("pii_aws_key", "'AKIAIOSFODNN7EXAMPLE'", true),
                Arguments.of("pii_aws_key", "'key ASIAY34FZKBOKMUTVV7A here'", true),
                Arguments.of("pii_aws_key", "'AKIAIOSFODNN7EXAMPL'", false),
                Arguments.of("pii_aws_key", "'XAKIAIOSFODNN7EXAMPLE'", false),
                Arguments.of("pii_aws_key", "'AKIAIOSFODNN7EXAMPLEX'", false),
                Arguments.of("pii_aws_key", "'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'", false),
                // pii_github_token, pii_slack_token, pii_stripe_key
                Arguments.of("pii_github_token", "'" + GITHUB + "'", true),
                Arguments.of("pii_github_token", "'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz01234'", true),
                Arguments.of("pii_github_token", "'ghp_short'", false),
                Arguments.of("pii_github_token", "'x" + GITHUB + "'", false),
                Arguments.of("pii_slack_token", "'xoxb-1234567890-abcdefghij'", true),
                Arguments.of("pii_slack_token", "'hook xoxp-1234567890-0987654321-abcdef'", true),
                Arguments.of("pii_slack_token", "'xoxq-1234567890-abcdefghij'", false),
                Arguments.of("pii_slack_token", "'xoxb-123'", false),
                Arguments.of("pii_stripe_key", "'sk_live_4eC39HqLyjWDarjtT1zdp7dc'", true),
                Arguments.of("pii_stripe_key", "'pk_test_TYooMQauvdEDq54NiTphI7jx'", true),
                Arguments.of("pii_stripe_key", "'rk_live_4eC39HqLyjWDarjtT1zdp7dc'", true),
                Arguments.of("pii_stripe_key", "'sk_live_short'", false),
                Arguments.of("pii_stripe_key", "'task_live_4eC39HqLyjWDarjtT1zdp7dc'", false),
                // pii_private_key
                Arguments.of("pii_private_key", "'-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA'", true),
                Arguments.of("pii_private_key", "'-----BEGIN PRIVATE KEY-----'", true),
                Arguments.of("pii_private_key", "'-----BEGIN OPENSSH PRIVATE KEY-----'", true),
                Arguments.of("pii_private_key", "'-----BEGIN PGP PRIVATE KEY BLOCK-----'", true),
                Arguments.of("pii_private_key", "'-----BEGIN PUBLIC KEY-----\\nMIIB'", false),
                Arguments.of("pii_private_key", "'-----BEGIN CERTIFICATE-----'", false),
                // pii_any: any of them
                Arguments.of("pii_any", "'ada@example.com'", true),
                Arguments.of("pii_any", "'4111 1111 1111 1111'", true),
                Arguments.of("pii_any", "4111111111111111", true),
                Arguments.of("pii_any", "'" + GITHUB + "'", true),
                Arguments.of("pii_any", "'DE89370400440532013000'", true),
                Arguments.of("pii_any", "'hello world, order 42 shipped 2024-01-15'", false),
                Arguments.of("pii_any", "42", false),
                Arguments.of("pii_any", "true", false));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("values")
    void findsPiiAnywhereInThePayload(String type, String valueJson, boolean found) {
        String payload = json("{'id': 7, 'v': " + valueJson + ", 'tags': ['x']}");

        ChainResult result = run(payload, detective(type, null), transform("mask", null));

        assertThat(step(result, 0).outcome()).as(step(result, 0).detail())
                .isEqualTo(found ? StepOutcome.TRUE : StepOutcome.FALSE);
        JsonNode after = value(result);
        assertThat(after.get("id").asInt()).isEqualTo(7);
        assertThat(after.get("tags").get(0).asText()).isEqualTo("x");
        if (found) {
            assertThat(after.get("v").asText()).matches("\\*+");
        } else {
            assertThat(result.changed()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("values")
    void findsTheSameOnAPathInsideNestedArrays(String type, String valueJson, boolean found) {
        String payload = json("{'a': [{'b': [1, " + valueJson + "]}]}");

        ChainResult result = run(payload, detective(type, "a.0.b"), transform("mask", null));

        assertThat(step(result, 0).outcome()).isEqualTo(found ? StepOutcome.TRUE : StepOutcome.FALSE);
        if (found) {
            assertThat(value(result).at("/a/0/b/1").asText()).matches("\\*+");
            assertThat(value(result).at("/a/0/b/0").asInt()).isEqualTo(1);
        }
    }

    @Test
    void matchesAreJsonPointersThatATreeStepCanFollow() {
        String payload = json("""
                {'a/b': {'~x': ['keep', {'': 'ada@example.com'}]}, 'list': [[0, 'b@example.org']], 'n': 'keep'}
                """);

        ChainResult result = run(payload, detective("pii_email", null), transform("delete_field", null));

        assertThat(value(result)).isEqualTo(Runs.parse(json("{'a/b': {'~x': ['keep', {}]}, 'list': [[0]], 'n': 'keep'}")));
    }

    @Test
    void anAwsSecretKeyCountsUnderAMemberNamedForIt() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String payload = json("{'aws_secret_access_key': '" + secret + "', 'other': '" + secret + "'}");

        ChainResult result = run(payload, detective("pii_aws_key", null), transform("mask", null));

        assertThat(value(result).get("aws_secret_access_key").asText()).hasSize(40).matches("\\*+");
        assertThat(value(result).get("other").asText()).isEqualTo(secret);
    }

    @Test
    void matchesAreTheStringsThatContainPiiWherverTheyAre() {
        String payload = json("""
                {'user': {'name': 'Ada', 'contact': {'emails': ['ada@example.com', 'n/a'],
                          'note': 'or call +44 20 7946 0958'}},
                 'orders': [{'card': '4111 1111 1111 1111', 'qty': 1}], 'total': 4111111111111111}
                """);

        ChainResult result = run(payload, detective("pii_any", null), transform("mask", null));

        JsonNode after = value(result);
        assertThat(after.at("/user/name").asText()).isEqualTo("Ada");
        assertThat(after.at("/user/contact/emails/0").asText()).isEqualTo("*".repeat(15));
        assertThat(after.at("/user/contact/emails/1").asText()).isEqualTo("n/a");
        assertThat(after.at("/user/contact/note").asText()).isEqualTo("*".repeat(24));
        assertThat(after.at("/orders/0/card").asText()).isEqualTo("*".repeat(19));
        assertThat(after.at("/orders/0/qty").asInt()).isEqualTo(1);
        assertThat(after.at("/total").asText()).isEqualTo("*".repeat(16));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            password            | true
            Password            | true
            userPassword        | true
            user_password_hash  | true
            x-api-key           | true
            apiKey              | true
            APIKey              | true
            APIKEY              | true
            api_key             | true
            accessToken         | true
            refresh-token       | true
            client_secret       | true
            Authorization       | true
            auth                | true
            creditCardNumber    | true
            card_number         | true
            ssn                 | true
            email               | true
            phoneNumber         | true
            IBAN                | true
            privateKey          | true
            aws_access_key_id   | true
            author              | false
            prompt_tokens       | false
            tokenizer           | false
            name                | false
            passing             | false
            keyboard            | false
            """)
    void keywordsMatchMemberNamesWordByWord(String name, boolean sensitive) {
        String payload = json("{'" + name + "': 'v', 'other': 1}");

        ChainResult result = run(payload, detective("pii_keyword", null));

        assertThat(step(result, 0).outcome()).isEqualTo(sensitive ? StepOutcome.TRUE : StepOutcome.FALSE);
    }

    @Test
    void aKeywordMatchIsTheWholeValueAndTheMaskReachesInsideIt() {
        String payload = json("""
                {'id': 1, 'credentials': {'user': 'ada', 'pin': 1234, 'active': true},
                 'items': [{'secret': 'x', 'qty': 2}]}
                """);

        ChainResult result = run(payload, detective("pii_keyword", null), transform("mask", null));

        JsonNode after = value(result);
        assertThat(after.at("/credentials/user").asText()).isEqualTo("***");
        assertThat(after.at("/credentials/pin").asText()).isEqualTo("****");
        assertThat(after.at("/credentials/active").asBoolean()).isTrue();
        assertThat(after.at("/items/0/secret").asText()).isEqualTo("*");
        assertThat(after.at("/items/0/qty").asInt()).isEqualTo(2);
        assertThat(after.at("/id").asInt()).isEqualTo(1);
    }

    @Test
    void keywordArgsReplaceTheDefaultsUnlessTheyNameThem() {
        String payload = json("{'customerRef': 'c-1', 'password': 'p'}");

        ChainResult only = run(payload, detective("pii_keyword", null, "customer_ref"), transform("delete_field", null));
        ChainResult both = run(payload, detective("pii_keyword", null, "defaults", "customer_ref"),
                transform("delete_field", null));

        assertThat(Runs.text(only)).isEqualTo(json("{'password':'p'}"));
        assertThat(Runs.text(both)).isEqualTo("{}");
    }

    @Test
    void keywordsOnAPathLookOnlyUnderIt() {
        String payload = json("{'a': {'token': 't'}, 'b': {'token': 't'}}");

        ChainResult result = run(payload, detective("pii_keyword", "b"), transform("mask", null));

        assertThat(Runs.text(result)).isEqualTo(json("{'a': {'token': 't'}, 'b': {'token': '*'}}"));
    }
}
