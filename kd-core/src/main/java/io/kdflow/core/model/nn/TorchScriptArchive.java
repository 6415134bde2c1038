package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module written in memory and loaded through DJL: the way kd-core reaches libtorch operators that DJL
 * 0.36 does not expose (oneDNN's packed products, bfloat16 arithmetic). The archive is the layout {@code
 * torch.jit.save} writes: the methods' source, the pickled module object, no constants and no weights.
 */
final class TorchScriptArchive {

    private TorchScriptArchive() {}

    /**
     * Loads, into {@code manager}, a module of class {@code className} without parameters or buffers whose methods are
     * {@code methods}: TorchScript as {@code torch.jit.save} stores it, typed, each {@code def} indented by two spaces.
     */
    static PtSymbolBlock load(PtNDManager manager, String name, String className, String methods) throws IOException {
        String source = "class " + className + "(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
                + methods;
        return JniUtils.loadModule(manager, new ByteArrayInputStream(bytes(name, className, source)), false, false);
    }

    /** The archive: its source, its pickled object (protocol 2), no constants. */
    private static byte[] bytes(String name, String className, String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, name + "/data.pkl", moduleObjectPickle(className));
            stored(zip, name + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, name + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, name + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** {@code __torch__.<className>} with state {training: False}, pickled. */
    private static byte[] moduleObjectPickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO
        out.write(2);
        out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        out.write(')'); // EMPTY_TUPLE: no constructor arguments
        out.write(0x81); // NEWOBJ
        out.write('}'); // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X'); // BINUNICODE, 4-byte little-endian length
        out.write(key.length);
        out.write(0);
        out.write(0);
        out.write(0);
        out.writeBytes(key);
        out.write(0x89); // NEWFALSE
        out.write('s'); // SETITEM
        out.write('b'); // BUILD: the dict becomes the object's state
        out.write('.'); // STOP
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
