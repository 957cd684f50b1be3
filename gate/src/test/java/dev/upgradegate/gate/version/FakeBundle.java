package dev.upgradegate.gate.version;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A bundle's files by path, listed as a container lists them: for tests of what a bundle says of itself. */
public final class FakeBundle {

    private FakeBundle() {
    }

    public static BundleLabel.Files files(Map<String, String> files) {
        Map<String, String> all = new TreeMap<>(files);
        return new BundleLabel.Files() {
            @Override
            public InputStream resource(String path) {
                String text = all.get(path);
                return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Set<String> list(String folder) {
                Set<String> children = new TreeSet<>();
                for (String path : all.keySet()) {
                    if (path.startsWith(folder) && path.length() > folder.length()) {
                        int slash = path.indexOf('/', folder.length());
                        children.add(slash < 0 ? path : path.substring(0, slash + 1));
                    }
                }
                return children;
            }
        };
    }
}
