package io.gridsync.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The account's state, held in memory by the parts that register here, and optionally saved to
 * one JSON file (written to a temporary file and moved, so a crash never leaves half a file).
 */
public final class EmulatorState {

    private final List<Persistable> parts = new ArrayList<>();

    public synchronized void register(Persistable part) {
        parts.add(part);
    }

    public synchronized void clear() {
        parts.forEach(Persistable::clearState);
    }

    public synchronized void save(Path file) throws IOException {
        ObjectNode root = Json.object();
        root.put("format", "gridsync-emulator-state/1");
        for (Persistable p : parts) {
            root.set(p.stateKey(), p.saveState());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            // the state holds contacts: readable by its owner only, like the hub's own files
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system
        }
        Json.MAPPER.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public synchronized void load(Path file) throws IOException {
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        if (root == null || !root.isObject() || !"gridsync-emulator-state/1".equals(root.path("format").asText())) {
            throw new IOException(file + " is not an emulator state file (expected \"format\": \"gridsync-emulator-state/1\")");
        }
        for (Persistable p : parts) {
            JsonNode node = root.get(p.stateKey());
            p.clearState();
            if (node != null && !node.isNull()) {
                p.loadState(node);
            }
        }
    }
}
