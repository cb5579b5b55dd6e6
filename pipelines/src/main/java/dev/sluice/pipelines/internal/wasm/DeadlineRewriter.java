package dev.sluice.pipelines.internal.wasm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Points the interruption check of the classes Chicory's compiler generated for a module at {@link WasmDeadline}.
 *
 * <p>Chicory 1.7's compiler emits, with each module's classes, a copy of its helper class {@code Shaded} named
 * {@code <machine class>Shaded}, and every backward jump and call in the generated code calls its
 * {@code public static void checkInterruption()}, which throws when the thread is interrupted. The compiler's cache
 * hands out the generated classes as a jar; this replaces that one method's body with a call to
 * {@link WasmDeadline#check()} and nothing else. When the jar has no such method (another Chicory version), it
 * answers null and the module runs on {@link WasmWorkers}, where the interrupt check still works.
 */
final class DeadlineRewriter {
    private static final String METHOD = "checkInterruption";
    private static final String DESCRIPTOR = "()V";
    private static final String CHECK_OWNER = Type.getInternalName(WasmDeadline.class);

    private DeadlineRewriter() {
    }

    /** The jar with the check rewritten, or null when it has no {@code *Shaded.checkInterruption()}. */
    static byte[] rewrite(byte[] jar) {
        boolean rewritten = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length + 256);
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar));
             JarOutputStream rewrittenJar = new JarOutputStream(out)) {
            JarEntry entry;
            while ((entry = in.getNextJarEntry()) != null) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith("Shaded.class")) {
                    byte[] changed = rewriteClass(bytes);
                    if (changed != null) {
                        bytes = changed;
                        rewritten = true;
                    }
                }
                rewrittenJar.putNextEntry(new JarEntry(entry.getName()));
                rewrittenJar.write(bytes);
                rewrittenJar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rewritten ? out.toByteArray() : null;
    }

    private static byte[] rewriteClass(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean[] found = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.equals(METHOD) || !descriptor.equals(DESCRIPTOR) || (access & Opcodes.ACC_STATIC) == 0) {
                    return method;
                }
                found[0] = true;
                method.visitCode();
                method.visitMethodInsn(Opcodes.INVOKESTATIC, CHECK_OWNER, "check", DESCRIPTOR, false);
                method.visitInsn(Opcodes.RETURN);
                method.visitMaxs(0, 0);
                method.visitEnd();
                // The original body is dropped: nothing visits it.
                return null;
            }
        }, 0);
        return found[0] ? writer.toByteArray() : null;
    }
}
