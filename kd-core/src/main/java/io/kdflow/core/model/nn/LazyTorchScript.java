package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory TorchScript module ({@link TorchScriptArchive}) loaded on first use, once per process, for an
 * operator DJL does not expose. A libtorch that cannot load it gets one warning and the caller's fallback.
 */
public final class LazyTorchScript {

    private static final Logger LOG = LoggerFactory.getLogger(LazyTorchScript.class);

    private final String archive;
    private final String className;
    private final String methods;
    private final String fallback;
    private final Object lock = new Object();
    private volatile PtSymbolBlock module;
    private volatile boolean unavailable;

    /**
     * @param methods the module's methods: TorchScript as {@code torch.jit.save} stores it, each {@code def} indented by
     *     two spaces
     * @param fallback what runs instead when the module cannot load, for the warning ("updating in Java")
     */
    public LazyTorchScript(String archive, String className, String methods, String fallback) {
        this.archive = archive;
        this.className = className;
        this.methods = methods;
        this.fallback = fallback;
    }

    /** The module, loaded on the first call; null when it cannot load here. */
    public PtSymbolBlock get() {
        PtSymbolBlock known = module;
        if (known != null || unavailable) {
            return known;
        }
        synchronized (lock) {
            if (module == null && !unavailable) {
                OneDnnLinear.limitPrimitiveCache(); // before any oneDNN primitive the module may create
                try {
                    module = TorchScriptArchive.load((PtNDManager) NDManager.newBaseManager(), archive, className,
                            methods);
                } catch (IOException | RuntimeException e) {
                    unavailable = true;
                    LOG.warn("{} unavailable, {}: {}", className, fallback, e.toString());
                }
            }
            return module;
        }
    }
}
