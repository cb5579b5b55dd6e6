package dev.sluice.pipelines.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.sluice.pipelines.PipelineException;
import dev.sluice.pipelines.SchemaValidationSpec;
import dev.sluice.pipelines.internal.Step;
import dev.sluice.pipelines.internal.StepContext;
import dev.sluice.pipelines.internal.StepResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates the payload against a JSON Schema compiled once (networknt json-schema-validator). True when valid; false
 * with the first violations (where and what) when not; error when the payload is not JSON.
 *
 * <p>Schemas never reach the network: the registry's loader has remote fetching off (the 2.x default, set explicitly
 * here) and an allow-list that admits only json-schema.org IRIs, which the library maps to the meta-schemas bundled
 * in its jar. Any other {@code $ref} that is not inside the schema itself ({@code https://...}, {@code classpath:},
 * {@code file:}) fails when the pipeline is compiled. A schema gets its own registry so that one pipeline's
 * {@code $id}s cannot resolve another's.
 */
final class SchemaValidationStep implements Step {
    /** How many violations the false answer's detail lists. */
    static final int DETAIL_ERRORS = 5;

    private static final SpecificationVersion DEFAULT_DRAFT = SpecificationVersion.DRAFT_2020_12;
    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            // English messages whatever the JVM's locale, JSON Pointers ("/user/id") as in the rest of pipelines.
            .locale(Locale.ENGLISH)
            .pathType(PathType.JSON_POINTER)
            .build();
    /** The drafts' meta-schemas, to check user schemas against; loaded once from the library's jar. */
    private static final Map<SpecificationVersion, Schema> META_SCHEMAS = new ConcurrentHashMap<>();

    private final Schema schema;

    private SchemaValidationStep(Schema schema) {
        this.schema = schema;
    }

    static Step compile(SchemaValidationSpec spec, String label) {
        JsonNode node = spec == null ? null : spec.schema();
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new PipelineException(label + ": schemaValidation.schema is required");
        }
        if (!node.isObject() && !node.isBoolean()) {
            throw new PipelineException(label + ": schemaValidation.schema must be a JSON object (or true/false), "
                    + "not " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        SpecificationVersion draft = draft(node, label);
        try {
            List<Error> metaErrors = metaSchema(draft).validate(node);
            if (!metaErrors.isEmpty()) {
                throw new PipelineException(label + ": schemaValidation.schema is not a valid " + name(draft)
                        + " schema: " + describe(metaErrors));
            }
            Schema compiled = registry(draft).getSchema(node);
            // Builds every keyword's validator and resolves every $ref now rather than on the first record, so that
            // a bad pattern or an unresolvable reference fails the pipeline, not a record.
            compiled.initializeValidators();
            return new SchemaValidationStep(compiled);
        } catch (PipelineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PipelineException(label + ": schemaValidation.schema is invalid: " + message(e), e);
        }
    }

    @Override
    public StepResult run(StepContext context) {
        List<Error> errors = schema.validate(context.payload().tree());
        return errors.isEmpty() ? StepResult.TRUE : StepResult.falseBecause(describe(errors));
    }

    /** The draft named by {@code $schema}, 2020-12 when there is none. */
    private static SpecificationVersion draft(JsonNode node, String label) {
        JsonNode dialect = node.get("$schema");
        if (dialect == null || dialect.isNull()) {
            return DEFAULT_DRAFT;
        }
        return SpecificationVersion.fromDialectId(dialect.asText())
                .orElseThrow(() -> new PipelineException(label + ": schemaValidation.schema $schema '"
                        + dialect.asText() + "' is not one of drafts 4, 6, 7, 2019-09, 2020-12 "
                        + "(http://json-schema.org/draft-07/schema#, "
                        + "https://json-schema.org/draft/2020-12/schema, ...)"));
    }

    private static SchemaRegistry registry(SpecificationVersion draft) {
        return SchemaRegistry.withDefaultDialect(draft, builder -> builder
                .schemaRegistryConfig(CONFIG)
                .schemaLoader(loader -> loader.fetchRemoteResources(false).allow(SchemaValidationStep::isMetaSchema)));
    }

    private static Schema metaSchema(SpecificationVersion draft) {
        return META_SCHEMAS.computeIfAbsent(draft,
                d -> registry(d).getSchema(SchemaLocation.of(d.getDialectId())));
    }

    /** json-schema.org IRIs: the library maps the meta-schemas among them to copies in its jar. */
    private static boolean isMetaSchema(AbsoluteIri iri) {
        String text = iri.toString();
        return text.startsWith("https://json-schema.org/") || text.startsWith("http://json-schema.org/");
    }

    private static String name(SpecificationVersion draft) {
        return switch (draft) {
            case DRAFT_4 -> "draft 4";
            case DRAFT_6 -> "draft 6";
            case DRAFT_7 -> "draft 7";
            case DRAFT_2019_09 -> "draft 2019-09";
            case DRAFT_2020_12 -> "draft 2020-12";
        };
    }

    /** "2 violations: /id: string found, integer expected; /name: must be at most 3 characters long". */
    static String describe(List<Error> errors) {
        StringBuilder detail = new StringBuilder();
        detail.append(errors.size()).append(errors.size() == 1 ? " violation: " : " violations: ");
        int shown = Math.min(errors.size(), DETAIL_ERRORS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                detail.append("; ");
            }
            Error error = errors.get(i);
            String where = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
            detail.append(where.isEmpty() ? "(root)" : where).append(": ").append(error.getMessage());
        }
        if (errors.size() > shown) {
            detail.append("; and ").append(errors.size() - shown).append(" more");
        }
        return detail.toString();
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        if ((message == null || message.isBlank()) && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ').replace('\r', ' ');
    }
}
