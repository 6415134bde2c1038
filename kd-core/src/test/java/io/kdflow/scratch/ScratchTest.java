package io.kdflow.scratch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void probe() {
        long t0 = System.nanoTime();
        try (NDManager base = NDManager.newBaseManager()) {
            System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion() + " in " + (System.nanoTime() - t0) / 1e6 + " ms");
            ByteBuffer buf = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            buf.putFloat(0, 1f).putFloat(4, 2f).putFloat(8, 3f).putFloat(12, 4f);
            NDArray a = base.create(buf, new Shape(2, 2), DataType.FLOAT32);
            buf.putFloat(0, 99f);
            System.out.println("shares buffer? " + a.toFloatArray()[0]);
            NDManager sub = base.newSubManager();
            NDArray x = sub.randomNormal(new Shape(2, 3, 2));
            NDArray y = Linear.linear(x, a, base.create(new float[] {1, 1})).singletonOrThrow();
            System.out.println("linear 3d shape " + y.getShape() + " manager sub? " + (y.getManager() == sub));
            NDArray z = a.matMul(x.get(0).transpose());
            System.out.println("a.matMul -> manager base? " + (z.getManager() == base));
            NDArray cache = sub.zeros(new Shape(1, 2, 4));
            cache.set(new NDIndex(":, :, 1:3"), sub.ones(new Shape(1, 2, 2)));
            System.out.println("cache " + java.util.Arrays.toString(cache.toFloatArray()));
            NDArray view = cache.get(new NDIndex(":, :, :2"));
            System.out.println("view " + view.getShape());
            System.out.println("grad mode on this thread: " + JniUtils.isGradMode());
            NDArray w = base.randomNormal(new Shape(3, 2));
            w.setRequiresGradient(true);
            JniUtils.setGradMode(true);
            NDArray ids = sub.create(new long[] {0, 2, 2});
            NDArray emb = ai.djl.nn.core.Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
            NDArray loss = emb.sum();
            NDArray ones = sub.ones(loss.getShape());
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
            JniUtils.setGradMode(false);
            try (NDArray g = w.getGradient()) {
                System.out.println("grad " + java.util.Arrays.toString(g.toFloatArray()) + " mgr " + (g.getManager() == base));
            }
            JniUtils.zeroGrad((PtNDArray) w);
            try (NDArray g = w.getGradient()) {
                System.out.println("after zero " + java.util.Arrays.toString(g.toFloatArray()));
            }
            NDArray logits = sub.randomNormal(new Shape(2, 3, 5));
            NDArray labels = sub.create(new long[] {1, 2, 3, 4, 0, 1}, new Shape(2, 3));
            NDArray picked = logits.logSoftmax(-1).gather(labels.expandDims(-1), -1);
            System.out.println("gather " + picked.getShape());
            com.sun.jna.NativeLibrary libm = com.sun.jna.NativeLibrary.getInstance("m");
            com.sun.jna.Memory env = new com.sun.jna.Memory(32);
            int rc = libm.getFunction("fegetenv").invokeInt(new Object[] {env});
            int mxcsr = env.getInt(28);
            System.out.println("fegetenv rc=" + rc + " mxcsr=" + Integer.toHexString(mxcsr));
            env.setInt(28, mxcsr | 0x8040);
            rc = libm.getFunction("fesetenv").invokeInt(new Object[] {env});
            libm.getFunction("fegetenv").invokeInt(new Object[] {env});
            System.out.println("after rc=" + rc + " mxcsr=" + Integer.toHexString(env.getInt(28)));
            NDArray den = sub.create(1e-20f).mul(sub.create(1e-20f));
            System.out.println("denormal product " + den.toFloatArray()[0]);
            NDList parts = sub.randomNormal(new Shape(2, 3, 12)).split(new long[] {4, 8}, 2);
            System.out.println("split " + parts.get(0).getShape() + parts.get(2).getShape());
            NDArray big = sub.randomNormal(new Shape(2, 5, 4, 3));
            System.out.println("swap " + big.transpose(0, 2, 3, 1).getShape());
            NDArray sc = sub.create(0.5f);
            System.out.println("scalar dtype " + sc.getDataType() + " shape " + sc.getShape());
            System.out.println("gelu " + x.getNDArrayInternal().gelu().getShape());
            NDArray ln = ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(2), base.ones(new Shape(2)), base.zeros(new Shape(2)), 1e-5f).singletonOrThrow();
            System.out.println("ln " + ln.getShape() + " " + (ln.getManager() == sub));
            NDArray bigA = sub.randomNormal(new Shape(64, 256, 256)).mul(sub.create(1e-38f));
            System.out.println("big denormal matmul sum " + bigA.matMul(bigA).sum().toFloatArray()[0]);
            java.util.concurrent.atomic.AtomicReference<String> other = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> other.set("other thread grad mode " + JniUtils.isGradMode()));
            t.start();
            try { t.join(); } catch (InterruptedException e) { throw new RuntimeException(e); }
            System.out.println(other.get());
            sub.close();
        }
    }
}
