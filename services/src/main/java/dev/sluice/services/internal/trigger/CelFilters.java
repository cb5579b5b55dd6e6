package dev.sluice.services.internal.trigger;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelException;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.stream.Collectors;

/**
 * Compiles {@code expr} filters: CEL over {@code attributes} (map of string to string: context attributes and
 * extensions) and {@code data} (dyn: JSON data as maps, lists and scalars, other data as bytes, none as null).
 * Thread-safe.
 */
final class CelFilters {
    static final String ATTRIBUTES = "attributes";
    static final String DATA = "data";

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(ATTRIBUTES, MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar(DATA, SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private CelFilters() {
    }

    /**
     * @return the program
     * @throws IllegalArgumentException with CEL's messages (no source excerpt: the path says where)
     */
    static Matcher.Expression compile(String expression) {
        if (expression.isBlank()) {
            throw new IllegalArgumentException("empty expression");
        }
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new Matcher.Expression(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getErrors().stream()
                    .map(CelFilters::describe)
                    .collect(Collectors.joining("; ")));
        } catch (CelException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String describe(CelIssue issue) {
        // The checker names the (empty) container in every reference error; it means nothing to a trigger's author.
        return issue.getMessage().replace(" (in container '')", "");
    }
}
