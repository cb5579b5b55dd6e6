package dev.sluice.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What compiling refuses, and that the message names the step and what is wrong. */
class CompileErrorTest {
    private static Arguments detective(String type, String path, List<String> args, String message) {
        return Arguments.of(StepSpec.detective("find", new DetectiveSpec(type, path, args, null)), message);
    }

    private static Arguments transform(TransformSpec spec, String message) {
        return Arguments.of(StepSpec.transform("change", spec), message);
    }

    private static TransformSpec spec(String type, String path, Integer length, Integer percent, List<String> paths,
                                      Boolean flatten) {
        return new TransformSpec(type, path, null, length, percent, paths, flatten);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                detective("pii_emial", null, null, "step 'find': detective type 'pii_emial' is not one of has_field, "
                        + "is_empty, is_type, string_equal"),
                detective("pii_emial", null, null, "pii_email, pii_credit_card"),
                detective("pii_emial", null, null, "pii_any, pii_keyword"),
                detective(null, null, null, "step 'find': detective type is missing; it is one of has_field"),
                detective("string_equal", "a", null, "step 'find': string_equal takes 1 arg (the string to compare "
                        + "with), got 0"),
                detective("string_equal", "a", List.of("x", "y"), "string_equal takes 1 arg"),
                detective("string_contains_any", "a", null, "string_contains_any takes at least 1 arg"),
                detective("regex", "a", List.of("(unclosed"), "step 'find': regex '(unclosed' is not a valid regular "
                        + "expression: Unclosed group near index 9"),
                detective("numeric_greater_than", "a", List.of("ten"), "numeric_greater_than arg 'ten' is not a number"),
                detective("numeric_range", "a", List.of("5"), "numeric_range takes 2 args"),
                detective("numeric_range", "a", List.of("5", "1"), "numeric_range min 5 is more than max 1"),
                detective("string_length_min", "a", List.of("-1"), "arg '-1' is not a whole number of 0 or more"),
                detective("string_length_range", "a", List.of("5", "1"), "min 5 is more than max 1"),
                detective("is_type", "a", List.of("float"), "is_type type 'float' is not one of array, boolean"),
                detective("is_type", "a", null, "is_type takes 1 arg"),
                detective("has_field", null, null, "step 'find': has_field needs a path"),
                detective("has_field", "a", List.of("x"), "has_field takes no args, got 1"),
                detective("pii_email", null, List.of("x"), "step 'find': pii_email takes no args, got 1"),
                detective("uuid", "a", List.of("x"), "uuid takes no args"),
                detective("pii_keyword", null, List.of("--"), "pii_keyword keyword '--' has no letters or digits"),
                detective("has_field", "a..b", null, "step 'find': path 'a..b' has an empty segment"),
                detective("has_field", "a.", null, "has an empty segment"),
                detective("has_field", "/a~2b", null, "JSON Pointer '/a~2b' has '~' at 2 not followed by 0 or 1"),
                detective("string_equal", "a", Arrays.asList("x", null).subList(1, 2), "args[0] is null"),
                transform(spec("maks", null, null, null, null, null), "step 'change': transform type 'maks' is not "
                        + "one of replace_value, delete_field, mask, obfuscate, truncate, extract"),
                transform(spec(null, null, null, null, null, null), "transform type is missing"),
                transform(spec("replace_value", "a", null, null, null, null), "step 'change': replace_value needs a "
                        + "value"),
                transform(spec("mask", "a", 3, null, null, null), "step 'change': mask does not take length (only "
                        + "truncate does)"),
                transform(new TransformSpec("mask", "a", TextNode.valueOf("x"), null, null, null, null),
                        "mask does not take value"),
                transform(spec("obfuscate", "a", null, null, List.of("b"), null), "obfuscate does not take paths"),
                transform(spec("truncate", "a", null, null, null, null), "step 'change': truncate needs exactly one "
                        + "of length"),
                transform(spec("truncate", "a", 3, 50, null, null), "not both"),
                transform(spec("truncate", "a", -1, null, null, null), "length -1 is negative"),
                transform(spec("truncate", "a", null, 0, null, null), "percent 0 is not between 1 and 100"),
                transform(spec("truncate", "a", null, 101, null, null), "percent 101 is not between 1 and 100"),
                transform(spec("extract", null, null, null, null, null), "step 'change': extract needs paths"),
                transform(spec("extract", null, null, null, List.of(), null), "extract needs paths"),
                transform(spec("extract", "a", null, null, List.of("a"), null), "extract takes paths (a list), not "
                        + "path"),
                transform(spec("extract", null, null, null, List.of("a", "/a"), null), "paths lists /a twice"),
                transform(spec("extract", null, null, null, List.of("a", " "), null), "paths[1] is empty"),
                transform(spec("extract", null, null, null, List.of("a.b.c", "a_b.c"), true),
                        "flattened, two paths would both be named 'a_b_c'"),
                transform(spec("delete_field", "x..y", null, null, null, null), "path 'x..y' has an empty segment"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void refusesWithAMessageNamingTheStepAndTheMistake(StepSpec step, String message) {
        PipelineSpec spec = new PipelineSpec("p", null, 1, List.of(step));

        assertThatThrownBy(() -> Pipeline.compile(spec, WasmModules.NONE))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theErrorSaysWhichStepIsWrongByIndexAndName() {
        PipelineSpec spec = new PipelineSpec("p", null, 1, List.of(
                StepSpec.detective("fine", new DetectiveSpec("pii_email", null, null, null)),
                StepSpec.detective("broken", new DetectiveSpec("pii_emial", null, null, null))));

        assertThatThrownBy(() -> Pipeline.compile(spec, WasmModules.NONE))
                .isInstanceOfSatisfying(PipelineException.class, e -> {
                    assertThat(e.stepIndex()).isEqualTo(1);
                    assertThat(e.stepName()).isEqualTo("broken");
                });
        assertThat(new PipelineException("steps must list at least one step").stepIndex()).isEqualTo(-1);
    }
}
