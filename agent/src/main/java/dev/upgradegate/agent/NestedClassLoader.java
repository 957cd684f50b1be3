package dev.upgradegate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the classes and resources stored under one folder of the agent jar, such as {@code upgradegate/core/}.
 * Nothing under that folder is visible to any other class loader, so the agent's Liquibase and Byte Buddy
 * never meet a webapp's. Classes named {@code dev.upgradegate.*} are its own (or, when not under its folder,
 * {@code sibling}'s); everything else comes from {@code parent}.
 */
public final class NestedClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String folder;
    private final String jarUrl;
    private final ClassLoader sibling;
    private final ProtectionDomain domain;

    public NestedClassLoader(JarFile jar, URL jarLocation, String folder, ClassLoader parent, ClassLoader sibling) {
        super("upgradegate-" + folder.replace('/', '-'), parent);
        this.jar = jar;
        this.folder = folder;
        this.jarUrl = "jar:" + jarLocation + "!/";
        this.sibling = sibling;
        this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.upgradegate.") || name.startsWith("dev.upgradegate.agent.bridge.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                JarEntry entry = jar.getJarEntry(folder + name.replace('.', '/') + ".class");
                if (entry != null) {
                    loaded = define(name, entry);
                } else if (sibling != null) {
                    return sibling.loadClass(name);
                } else {
                    throw new ClassNotFoundException(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(folder + name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        return define(name, entry);
    }

    private Class<?> define(String name, JarEntry entry) throws ClassNotFoundException {
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            definePackageOf(name);
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private void definePackageOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException definedMeanwhile) {
                    // another thread defined it first
                }
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        return jar.getJarEntry(folder + name) == null ? null : url(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = jar.getJarEntry(folder + name);
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return jar.getInputStream(entry);
        } catch (IOException e) {
            return null;
        }
    }

    private URL url(String name) {
        try {
            return new URL(jarUrl + folder + name);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
