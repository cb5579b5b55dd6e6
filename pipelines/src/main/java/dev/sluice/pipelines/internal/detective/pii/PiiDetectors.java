package dev.sluice.pipelines.internal.detective.pii;

import java.util.List;

/** The detectors behind each {@code pii_*} detective type that looks at values. */
public final class PiiDetectors {
    /** The value types, in the order {@code pii_any} tries them (cheap and specific first). */
    public static final List<String> TYPES = List.of("pii_email", "pii_credit_card", "pii_ssn", "pii_phone",
            "pii_iban", "pii_ip_address", "pii_jwt", "pii_bearer_token", "pii_aws_key", "pii_github_token",
            "pii_slack_token", "pii_stripe_key", "pii_private_key");

    public static final String ANY = "pii_any";

    private PiiDetectors() {
    }

    /** The detectors for a type ({@code pii_any}: all of them), or null when it is not a value PII type. */
    public static DetectorSet forType(String type) {
        if (type.equals(ANY)) {
            return new DetectorSet(TYPES.stream().map(PiiDetectors::create).toArray(TextDetector[]::new));
        }
        return TYPES.contains(type) ? new DetectorSet(new TextDetector[] {create(type)}) : null;
    }

    private static TextDetector create(String type) {
        return switch (type) {
            case "pii_email" -> new EmailDetector();
            case "pii_credit_card" -> new CardNumberDetector();
            case "pii_ssn" -> new SsnDetector();
            case "pii_phone" -> new PhoneDetector();
            case "pii_iban" -> new IbanDetector();
            case "pii_ip_address" -> new IpAddressDetector();
            case "pii_jwt" -> new JwtDetector();
            case "pii_bearer_token" -> new BearerTokenDetector();
            case "pii_aws_key" -> new AwsKeyDetector();
            case "pii_github_token" -> PrefixedTokenDetector.github();
            case "pii_slack_token" -> PrefixedTokenDetector.slack();
            case "pii_stripe_key" -> PrefixedTokenDetector.stripe();
            case "pii_private_key" -> new PrivateKeyDetector();
            default -> throw new IllegalArgumentException("no detector for " + type);
        };
    }
}
