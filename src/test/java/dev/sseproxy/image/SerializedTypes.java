package dev.sseproxy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds, from the compiled classes alone, every application class that Jackson (JSON or XML) or
 * Hibernate reflects on, so a test can check the native image registers each of them. Nothing here
 * is a hand-kept list: a class is in the set because the bytecode says so.
 *
 * <ul>
 *   <li><b>annotated</b>: a class with a Jackson annotation on itself, a field, a method, a
 *       parameter or a record component;</li>
 *   <li><b>flows</b>: a class whose literal ({@code Foo.class}), instance ({@code new Foo},
 *       a cast to {@code Foo}, a call or field of type {@code Foo}) reaches an argument of a
 *       Jackson read or write ({@code readValue}, {@code treeToValue}, {@code convertValue},
 *       {@code writeValue*}, {@code valueToTree}, ...), also through the application's own
 *       wrappers (a method whose parameter reaches such an argument is a sink in turn, e.g.
 *       {@code S3Xml.read(byte[], Class)}); data flow inside a method follows locals, casts and
 *       copies (ASM's {@link SourceInterpreter});</li>
 *   <li><b>untyped writers</b>: a class that hands Jackson a value whose static type is lost
 *       ({@code Object} from a lambda or a {@code Uni<Object>}) contributes every application
 *       type named in the generic return types of the application methods it calls (e.g.
 *       {@code Uni<List<Account>>}) and every type its own lambdas return;</li>
 *   <li><b>shapes</b>: the nested types of a class that holds a Jackson mapper or whose nested
 *       types carry Jackson annotations (a codec's documents);</li>
 *   <li><b>entities</b>: {@code @Entity}, {@code @Embeddable} and {@code @IdClass} types;</li>
 *   <li>and, closed over: the application types of their fields and record components,
 *       generic arguments included.</li>
 * </ul>
 */
final class SerializedTypes {
    private static final String APP = "dev/sseproxy/";
    private static final Set<String> JACKSON_CALLS = Set.of("readValue", "readValues", "treeToValue", "convertValue",
            "updateValue", "readerFor", "forType", "writeValue", "writeValueAsString", "writeValueAsBytes",
            "valueToTree", "writerFor", "writerWithType");
    private static final Set<String> WRITES = Set.of("writeValue", "writeValueAsString", "writeValueAsBytes",
            "valueToTree");

    final Map<String, ClassNode> classes = new HashMap<>();
    /** Sinks: "owner.name desc" to the argument indexes (0 = first declared parameter) that reach Jackson. */
    private final Map<String, Set<Integer>> sinks = new HashMap<>();
    private final Set<String> writeSinks = new HashSet<>();
    private final Set<String> untypedWriters = new TreeSet<>();
    private final Map<String, Frame<SourceValue>[]> frames = new HashMap<>();

    final Set<String> annotated = new TreeSet<>();
    final Set<String> flows = new TreeSet<>();
    final Set<String> shapes = new TreeSet<>();
    final Set<String> entities = new TreeSet<>();
    final Set<String> fromUntypedWriters = new TreeSet<>();

    static SerializedTypes scan(Path classesDir) {
        SerializedTypes s = new SerializedTypes();
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(p)) {
                    ClassNode c = new ClassNode();
                    new ClassReader(in).accept(c, 0);
                    if (c.name.startsWith(APP)) {
                        s.classes.put(c.name, c);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.run();
        return s;
    }

    /** Why a class (binary name) is required. */
    String why(String binaryName) {
        return reasons.getOrDefault(binaryName.replace('.', '/'), "?");
    }

    /** Binary names (dots, {@code $} for nested) of every class that must be registered for reflection. */
    Set<String> required() {
        Set<String> roots = new TreeSet<>();
        roots.addAll(annotated);
        roots.addAll(flows);
        roots.addAll(shapes);
        roots.addAll(entities);
        roots.addAll(fromUntypedWriters);
        Set<String> out = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            ClassNode c = classes.get(n);
            if (c == null || !out.add(n)) {
                continue;
            }
            for (FieldNode f : c.fields) {
                if ((f.access & Opcodes.ACC_STATIC) == 0) {
                    for (String t : appTypes(f.desc, f.signature)) {
                        reasons.putIfAbsent(t, "field " + f.name + " of " + n);
                        todo.add(t);
                    }
                }
            }
        }
        Set<String> names = new TreeSet<>();
        out.forEach(n -> names.add(n.replace('/', '.')));
        return names;
    }

    /** Application classes that keep a {@link java.util.Random} (SecureRandom) in a static field. */
    Set<String> staticRandomHolders() {
        Set<String> out = new TreeSet<>();
        for (ClassNode c : classes.values()) {
            for (FieldNode f : c.fields) {
                if ((f.access & Opcodes.ACC_STATIC) != 0 && isRandom(Type.getType(f.desc))) {
                    out.add(c.name.replace('/', '.'));
                }
            }
            for (MethodNode m : c.methods) {
                if (m.name.equals("<clinit>")) {
                    for (AbstractInsnNode i : m.instructions) {
                        if (i instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW && isRandom(Type.getObjectType(t.desc))) {
                            out.add(c.name.replace('/', '.'));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean isRandom(Type t) {
        return t.getSort() == Type.OBJECT && List.of("java/util/Random", "java/security/SecureRandom",
                "java/util/SplittableRandom").contains(t.getInternalName());
    }

    private void run() {
        for (ClassNode c : classes.values()) {
            if (hasJackson(c.visibleAnnotations) || hasJackson(c.invisibleAnnotations)
                    || c.fields.stream().anyMatch(f -> hasJackson(f.visibleAnnotations))
                    || c.methods.stream().anyMatch(m -> hasJackson(m.visibleAnnotations) || anyParamJackson(m))
                    || (c.recordComponents != null
                        && c.recordComponents.stream().anyMatch(r -> hasJackson(r.visibleAnnotations)))) {
                note(annotated, Set.of(c.name), "carries a Jackson annotation");
            }
            if (has(c.visibleAnnotations, "Ljakarta/persistence/Entity;")
                    || has(c.visibleAnnotations, "Ljakarta/persistence/Embeddable;")) {
                note(entities, Set.of(c.name), "JPA entity");
            }
            if (c.visibleAnnotations != null) {
                for (AnnotationNode a : c.visibleAnnotations) {
                    if (a.desc.equals("Ljakarta/persistence/IdClass;") && a.values != null) {
                        note(entities, Set.of(((Type) a.values.get(1)).getInternalName()), "@IdClass of " + c.name);
                    }
                }
            }
        }
        for (ClassNode c : classes.values()) {
            boolean nestedAnnotated = c.innerClasses.stream()
                    .anyMatch(i -> c.name.equals(i.outerName) && annotated.contains(i.name));
            if (nestedAnnotated) {
                for (InnerClassNode i : c.innerClasses) {
                    if (c.name.equals(i.outerName) && classes.containsKey(i.name) && !isThrowable(i.name)) {
                        note(shapes, Set.of(i.name), "nested in " + c.name + ", whose nested types carry Jackson annotations");
                    }
                }
            }
        }
        // sinks and flows, to a fixpoint: a wrapper found in one pass is traced from its callers in the next
        int before;
        do {
            before = sinks.size() + flows.size() + untypedWriters.size();
            for (ClassNode c : classes.values()) {
                for (MethodNode m : c.methods) {
                    traceCalls(c, m);
                }
            }
        } while (before != sinks.size() + flows.size() + untypedWriters.size());
        for (String w : untypedWriters) {
            ClassNode c = classes.get(w);
            for (MethodNode m : c.methods) {
                Type ret = Type.getReturnType(m.desc);
                if (!m.name.startsWith("lambda$") || ret.getSort() != Type.OBJECT
                        || !(ret.getInternalName().equals("java/lang/Object") || ret.getInternalName().equals(UNI))) {
                    continue;
                }
                Frame<SourceValue>[] f = frames(c, m);
                for (AbstractInsnNode i : m.instructions) {
                    Frame<SourceValue> fr = f[m.instructions.indexOf(i)];
                    if (i.getOpcode() == Opcodes.ARETURN && fr != null) {
                        returned(c, m, fr.getStack(fr.getStackSize() - 1), 0);
                    }
                }
            }
        }
    }

    private static final String UNI = "io/smallrye/mutiny/Uni";

    /**
     * What an untyped writer's lambda returns: a static type, or for a {@code Uni} the item type the
     * application method that made it declares ({@code Uni<List<Account>>}), through Uni operators.
     */
    private void returned(ClassNode c, MethodNode m, SourceValue v, int depth) {
        if (depth > 8) {
            return;
        }
        Frame<SourceValue>[] f = frames(c, m);
        for (AbstractInsnNode i : v.insns) {
            if (i instanceof MethodInsnNode call) {
                if (call.owner.equals(UNI) || call.owner.startsWith("io/smallrye/mutiny/groups/")) {
                    Frame<SourceValue> fr = f[m.instructions.indexOf(i)];
                    if (call.getOpcode() == Opcodes.INVOKESTATIC || fr == null) {
                        continue;
                    }
                    int n = Type.getArgumentTypes(call.desc).length;
                    SourceValue receiver = fr.getStack(fr.getStackSize() - n - 1);
                    MethodNode mapper = n == 1 ? lambda(c, fr.getStack(fr.getStackSize() - 1)) : null;
                    boolean itemFromMapper = Set.of("map", "chain", "flatMap", "transform", "transformToUni",
                            "replaceWith").contains(call.name);
                    if (itemFromMapper && mapper != null && !returnsItsParameter(c, mapper)) {
                        for (AbstractInsnNode r : mapper.instructions) {
                            Frame<SourceValue> rf = frames(c, mapper)[mapper.instructions.indexOf(r)];
                            if (r.getOpcode() == Opcodes.ARETURN && rf != null) {
                                returned(c, mapper, rf.getStack(rf.getStackSize() - 1), depth + 1);
                            }
                        }
                    } else if (itemFromMapper && mapper == null && call.name.equals("replaceWith")) {
                        returned(c, m, fr.getStack(fr.getStackSize() - 1), depth + 1);
                    } else {
                        // the item goes through unchanged (identity mapper, onFailure, invoke, ...)
                        returned(c, m, receiver, depth + 1);
                    }
                    continue;
                }
                MethodNode target = call.owner.startsWith(APP) ? method(call.owner, call.name, call.desc) : null;
                if (target != null && target.signature != null) {
                    String sig = target.signature.substring(target.signature.indexOf(')') + 1);
                    note(fromUntypedWriters, appTypes(sig, sig), "returned by " + call.owner + "." + call.name
                            + " to the Jackson writer in " + c.name);
                    continue;
                }
            }
            Set<Object> found = new HashSet<>();
            trace(c, m, new SourceValue(1, i), found, 0);
            for (Object o : found) {
                if (o instanceof Type t) {
                    Set<String> one = new TreeSet<>();
                    addApp(t, one);
                    note(fromUntypedWriters, one, "returned by " + c.name + "." + m.name + " to a Jackson writer");
                }
            }
        }
    }

    /** The lambda body (a method of c) behind an invokedynamic value, or null. */
    private MethodNode lambda(ClassNode c, SourceValue v) {
        for (AbstractInsnNode i : v.insns) {
            if (i instanceof InvokeDynamicInsnNode indy && indy.bsmArgs.length > 1
                    && indy.bsmArgs[1] instanceof Handle h && h.getOwner().equals(c.name)) {
                for (MethodNode m : c.methods) {
                    if (m.name.equals(h.getName()) && m.desc.equals(h.getDesc())) {
                        return m;
                    }
                }
            }
        }
        return null;
    }

    /** True when every value the lambda returns is its last parameter (e.g. {@code l -> l}). */
    private boolean returnsItsParameter(ClassNode c, MethodNode m) {
        Frame<SourceValue>[] f = frames(c, m);
        int params = Type.getArgumentTypes(m.desc).length;
        boolean any = false;
        for (AbstractInsnNode r : m.instructions) {
            Frame<SourceValue> rf = f[m.instructions.indexOf(r)];
            if (r.getOpcode() == Opcodes.ARETURN && rf != null) {
                Set<Object> found = new HashSet<>();
                trace(c, m, rf.getStack(rf.getStackSize() - 1), found, 0);
                if (!found.contains(params - 1)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** Why each class is required (the first reason found). */
    final Map<String, String> reasons = new HashMap<>();

    private void note(Set<String> into, Set<String> names, String why) {
        for (String n : names) {
            into.add(n);
            reasons.putIfAbsent(n, why);
        }
    }

    private boolean isThrowable(String name) {
        ClassNode c = classes.get(name);
        while (c != null) {
            if (c.superName.equals("java/lang/Throwable") || c.superName.equals("java/lang/Exception")
                    || c.superName.equals("java/lang/RuntimeException")) {
                return true;
            }
            c = classes.get(c.superName);
        }
        return false;
    }

    private void traceCalls(ClassNode c, MethodNode m) {
        Frame<SourceValue>[] f = null;
        for (AbstractInsnNode i : m.instructions) {
            if (!(i instanceof MethodInsnNode call)) {
                continue;
            }
            Set<Integer> args;
            boolean write;
            if (call.owner.startsWith("com/fasterxml/jackson/") && JACKSON_CALLS.contains(call.name)) {
                int n = Type.getArgumentTypes(call.desc).length;
                args = new HashSet<>();
                for (int k = 0; k < n; k++) {
                    args.add(k);
                }
                write = WRITES.contains(call.name);
            } else {
                args = sinks.get(call.owner + "." + call.name + call.desc);
                write = writeSinks.contains(call.owner + "." + call.name + call.desc);
            }
            if (args == null) {
                continue;
            }
            if (f == null) {
                f = frames(c, m);
            }
            Frame<SourceValue> fr = f[m.instructions.indexOf(i)];
            if (fr == null) {
                continue; // unreachable code
            }
            int n = Type.getArgumentTypes(call.desc).length;
            for (int k : args) {
                SourceValue v = fr.getStack(fr.getStackSize() - n + k);
                Set<Object> found = new HashSet<>();
                trace(c, m, v, found, 0);
                boolean typed = false;
                for (Object o : found) {
                    if (o instanceof Integer param) {
                        String key = c.name + "." + m.name + m.desc;
                        sinks.computeIfAbsent(key, x -> new HashSet<>()).add(param);
                        if (write) {
                            writeSinks.add(key);
                        }
                        typed |= !m.name.startsWith("lambda$");
                    } else if (o instanceof Type t) {
                        if (t.getSort() == Type.OBJECT && t.getInternalName().equals("java/lang/Object")) {
                            continue;
                        }
                        typed = true;
                        ClassNode tc = t.getSort() == Type.OBJECT ? classes.get(t.getInternalName()) : null;
                        if (tc != null && "com/fasterxml/jackson/core/type/TypeReference".equals(tc.superName)) {
                            note(flows, appTypes("L" + tc.superName + ";", tc.signature), "TypeReference in " + c.name + "." + m.name);
                        } else {
                            Set<String> one = new TreeSet<>();
                            addApp(t, one);
                            note(flows, one, "reaches " + call.name + " in " + c.name + "." + m.name);
                        }
                    }
                }
                if (write && !typed) {
                    untypedWriters.add(c.name);
                }
            }
        }
    }

    private void addApp(Type t, Set<String> into) {
        if (t.getSort() == Type.ARRAY) {
            t = t.getElementType();
        }
        if (t.getSort() == Type.OBJECT && classes.containsKey(t.getInternalName())) {
            into.add(t.getInternalName());
        }
    }

    /** Where a value comes from: Types (static types / class literals) and Integers (parameters of m). */
    private void trace(ClassNode c, MethodNode m, SourceValue v, Set<Object> found, int depth) {
        if (depth > 12) {
            return;
        }
        Frame<SourceValue>[] f = frames(c, m);
        if (v.insns.isEmpty()) {
            return;
        }
        for (AbstractInsnNode i : v.insns) {
            int at = m.instructions.indexOf(i);
            if (i instanceof LdcInsnNode ldc && ldc.cst instanceof Type t) {
                found.add(t);
            } else if (i instanceof TypeInsnNode t && (t.getOpcode() == Opcodes.NEW || t.getOpcode() == Opcodes.CHECKCAST)) {
                found.add(Type.getObjectType(t.desc));
            } else if (i instanceof MethodInsnNode call) {
                found.add(Type.getReturnType(call.desc));
            } else if (i instanceof FieldInsnNode fi && (fi.getOpcode() == Opcodes.GETFIELD || fi.getOpcode() == Opcodes.GETSTATIC)) {
                found.add(Type.getType(fi.desc));
            } else if (i instanceof VarInsnNode var && var.getOpcode() == Opcodes.ALOAD && f[at] != null) {
                SourceValue local = f[at].getLocal(var.var);
                if (local.insns.isEmpty()) {
                    int param = parameter(m, var.var);
                    if (param >= 0) {
                        found.add(param);
                        if (m.name.startsWith("lambda$")) {
                            // nobody calls a lambda by name: its declared parameter type is what is known
                            found.add(Type.getArgumentTypes(m.desc)[param]);
                        }
                    } else if (param == -2) {
                        found.add(Type.getObjectType(c.name));
                    }
                } else {
                    for (AbstractInsnNode store : local.insns) {
                        Frame<SourceValue> sf = f[m.instructions.indexOf(store)];
                        if (sf != null && sf.getStackSize() > 0) {
                            trace(c, m, sf.getStack(sf.getStackSize() - 1), found, depth + 1);
                        }
                    }
                }
            } else if (i instanceof InsnNode && (i.getOpcode() == Opcodes.DUP || i.getOpcode() == Opcodes.DUP_X1
                    || i.getOpcode() == Opcodes.DUP_X2) && f[at] != null) {
                trace(c, m, f[at].getStack(f[at].getStackSize() - 1), found, depth + 1);
            }
        }
    }

    /** Index of the declared parameter in local slot {@code slot}; -2 for {@code this}; -1 for none. */
    private static int parameter(MethodNode m, int slot) {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        int s = isStatic ? 0 : 1;
        if (!isStatic && slot == 0) {
            return -2;
        }
        Type[] args = Type.getArgumentTypes(m.desc);
        for (int k = 0; k < args.length; k++) {
            if (s == slot) {
                return k;
            }
            s += args[k].getSize();
        }
        return -1;
    }

    private Frame<SourceValue>[] frames(ClassNode c, MethodNode m) {
        return frames.computeIfAbsent(c.name + "." + m.name + m.desc, k -> {
            try {
                return new Analyzer<>(new SourceInterpreter()).analyze(c.name, m);
            } catch (AnalyzerException e) {
                throw new IllegalStateException(k, e);
            }
        });
    }

    private MethodNode method(String owner, String name, String desc) {
        ClassNode c = classes.get(owner);
        while (c != null) {
            for (MethodNode m : c.methods) {
                if (m.name.equals(name) && m.desc.equals(desc)) {
                    return m;
                }
            }
            c = classes.get(c.superName);
        }
        return null;
    }

    /** Application types named by a descriptor and its generic signature (type arguments included). */
    Set<String> appTypes(String desc, String signature) {
        Set<String> out = new TreeSet<>();
        Type t = Type.getType(desc);
        addApp(t, out);
        if (signature != null) {
            new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
                @Override
                public void visitClassType(String name) {
                    if (classes.containsKey(name)) {
                        out.add(name);
                    }
                }

                @Override
                public void visitInnerClassType(String name) {
                    // nested generic type: Outer<..>.Inner; rare here
                }
            });
        }
        return out;
    }

    private static boolean hasJackson(List<AnnotationNode> as) {
        return as != null && as.stream().anyMatch(a -> a.desc.startsWith("Lcom/fasterxml/jackson/"));
    }

    private static boolean anyParamJackson(MethodNode m) {
        if (m.visibleParameterAnnotations == null) {
            return false;
        }
        for (List<AnnotationNode> p : m.visibleParameterAnnotations) {
            if (hasJackson(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(List<AnnotationNode> as, String desc) {
        return as != null && as.stream().anyMatch(a -> a.desc.equals(desc));
    }
}
