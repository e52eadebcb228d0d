package dev.ringfork.ipc.internal.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/** An {@link ObjectInputStream} that resolves classes with a given loader first (the application's classes). */
public final class LoaderObjectInputStream extends ObjectInputStream {

    private final ClassLoader loader;

    public LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
        super(in);
        this.loader = loader;
    }

    /** The thread's context loader, or the system loader if it has none. */
    static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClassLoader.getSystemClassLoader();
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        if (loader != null) {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                // primitives and classes the loader does not see: the default way
            }
        }
        return super.resolveClass(desc);
    }
}
