package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.testing.DirectBuffers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scalar operands survive a garbage collection between the forward and the backward pass (DJL's own Number
 * operands do not: with glibc, {@code x.div(4.0)} then gives infinite gradients), and the code on the autograd
 * graph uses no other.
 */
class ScalarOperandTest {

    /** The packages whose arithmetic autograd records: losses, objectives, trainer and the layers' helpers. */
    private static final List<String> GRAPH_PACKAGES = List.of("io/kdflow/core/distill", "io/kdflow/core/train",
            "io/kdflow/core/model/nn");
    /** Comparisons with a Number: their operand is not kept for the backward pass. */
    private static final Set<String> COMPARISONS = Set.of("eq", "neq", "gt", "gte", "lt", "lte", "contentEquals");
    private static final Set<String> ARRAY_TYPES = Set.of("ai/djl/ndarray/NDArray", "ai/djl/ndarray/NDArrays",
            "ai/djl/pytorch/engine/PtNDArray");

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT32", "FLOAT64"})
    void shouldKeepItsValueForABackwardPassAfterAGarbageCollection(DataType type) {
        try (NDManager manager = NDManager.newBaseManager();
                Autograd.Scope grad = Autograd.enabled()) {
            NDArray x = manager.ones(new Shape(2, 3), type);
            x.setRequiresGradient(true);
            NDArray operand = ScalarOperand.like(x, 4.0);
            NDArray loss = x.div(operand).sum(); // ()

            DirectBuffers.freeUnreachable();
            Autograd.backward(loss);

            assertThat(operand.getDataType()).isEqualTo(type);
            assertThat(operand.getShape()).isEqualTo(new Shape());
            assertThat(loss.getDataType()).isEqualTo(type);
            assertThat(loss.toType(DataType.FLOAT64, false).getDouble()).isEqualTo(1.5);
            assertThat(x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()).containsOnly(0.25);
        }
    }

    @Test
    void shouldBeTheOnlyScalarOperandOfTheCodeOnTheAutogradGraph() throws IOException, URISyntaxException {
        Path classes = Path.of(ScalarOperand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> numberOperands = new ArrayList<>();
        for (String graphPackage : GRAPH_PACKAGES) {
            try (Stream<Path> files = Files.walk(classes.resolve(graphPackage))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        for (String call : numberOperandCalls(new DataInputStream(in))) {
                            numberOperands.add(classes.relativize(file) + " calls " + call);
                        }
                    }
                }
            }
        }
        assertThat(numberOperands).as("NDArray arithmetic with a Number operand (use ScalarOperand)").isEmpty();
    }

    /** The class file's references to array methods that take a Number and are not comparisons. */
    private static List<String> numberOperandCalls(DataInputStream in) throws IOException {
        in.readInt(); // magic
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        List<int[]> methodRefs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // takes two entries
                }
                case 7, 8, 16, 19, 20 -> pool[i] = in.readUnsignedShort();
                case 9 -> in.readInt();
                case 10, 11 -> methodRefs.add(new int[] {in.readUnsignedShort(), in.readUnsignedShort()});
                case 12 -> pool[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> calls = new ArrayList<>();
        for (int[] ref : methodRefs) {
            String owner = (String) pool[(Integer) pool[ref[0]]];
            int[] nameAndType = (int[]) pool[ref[1]];
            String name = (String) pool[nameAndType[0]];
            String descriptor = (String) pool[nameAndType[1]];
            if (ARRAY_TYPES.contains(owner) && descriptor.contains("Ljava/lang/Number;")
                    && !COMPARISONS.contains(name)) {
                calls.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + name + descriptor);
            }
        }
        return calls;
    }
}
