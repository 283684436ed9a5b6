package org.rnnsuite.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.rnnsuite.core.UserInputException;
import org.rnnsuite.core.config.Configs;

/**
 * A trained model as one file: network (DL4J's own zip format, optionally with updater state) + the task's typed
 * config + named artifacts (vocabulary, normalizer, trainer state) + {@link Provenance}.
 *
 * <p>Layout of the zip: {@code bundle.json} (format version, task, network type, config, provenance),
 * {@code network.zip}, {@code artifacts/<name>}. Saving is atomic (see {@link AtomicFiles}).
 */
public final class ModelBundle {
    /** Incremented when the layout changes incompatibly. */
    public static final int FORMAT_VERSION = 1;
    /** File name of a bundle inside a model directory. */
    public static final String MODEL_FILE = "model.zip";

    private static final String META = "bundle.json";
    private static final String NETWORK = "network.zip";
    private static final String ARTIFACTS = "artifacts/";

    private final String task;
    private final Model network;
    private final JsonNode config;
    private final Map<String, byte[]> artifacts;
    private final Provenance provenance;

    private ModelBundle(String task, Model network, JsonNode config, Map<String, byte[]> artifacts,
                        Provenance provenance) {
        this.task = Objects.requireNonNull(task, "task");
        this.network = Objects.requireNonNull(network, "network");
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("network must be a MultiLayerNetwork or ComputationGraph, got "
                    + network.getClass().getName());
        }
        this.config = Objects.requireNonNull(config, "config");
        this.artifacts = Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    /** A bundle for {@code task} holding {@code network} and the task's {@code config} record. */
    public static ModelBundle of(String task, Model network, Object config, Provenance provenance) {
        return new ModelBundle(task, network, Configs.mapper().valueToTree(config), Map.of(), provenance);
    }

    /** A copy with one more artifact (bytes stored as given). */
    public ModelBundle withArtifact(String name, byte[] content) {
        Map<String, byte[]> a = new LinkedHashMap<>(artifacts);
        a.put(name, content.clone());
        return new ModelBundle(task, network, config, a, provenance);
    }

    /** A copy with one more artifact, stored as indented JSON. */
    public ModelBundle withJsonArtifact(String name, Object value) {
        return withArtifact(name, Configs.toJson(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String task() {
        return task;
    }

    public Model network() {
        return network;
    }

    /** The network, which must be a MultiLayerNetwork. */
    public MultiLayerNetwork multiLayerNetwork() {
        if (network instanceof MultiLayerNetwork m) {
            return m;
        }
        throw new IllegalStateException("bundle of task " + task + " holds a ComputationGraph");
    }

    /** The network, which must be a ComputationGraph. */
    public ComputationGraph computationGraph() {
        if (network instanceof ComputationGraph g) {
            return g;
        }
        throw new IllegalStateException("bundle of task " + task + " holds a MultiLayerNetwork");
    }

    public JsonNode configTree() {
        return config;
    }

    /** The task config as its record type. */
    public <T> T config(Class<T> type) {
        return Configs.fromTree(type, config, "config stored in the " + task + " bundle");
    }

    public Provenance provenance() {
        return provenance;
    }

    public Map<String, byte[]> artifacts() {
        return artifacts;
    }

    /** An artifact's bytes; throws naming the missing artifact. */
    public byte[] artifact(String name) {
        byte[] b = artifacts.get(name);
        if (b == null) {
            throw new UserInputException("model bundle of task " + task + " has no artifact '" + name + "'");
        }
        return b.clone();
    }

    /** An artifact parsed from JSON into {@code type}. */
    public <T> T jsonArtifact(String name, Class<T> type) {
        try {
            return Configs.mapper().readValue(artifact(name), type);
        } catch (IOException e) {
            throw new UserInputException("artifact '" + name + "' of the " + task + " bundle is not readable: "
                    + e.getMessage(), e);
        }
    }

    /** Saves atomically; {@code withUpdater} keeps optimizer state so training can resume exactly. */
    public void save(Path file, boolean withUpdater) throws IOException {
        ByteArrayOutputStream net = new ByteArrayOutputStream(1 << 20);
        ModelSerializer.writeModel(network, net, withUpdater);
        ObjectNode meta = Configs.mapper().createObjectNode();
        meta.put("format", FORMAT_VERSION);
        meta.put("task", task);
        meta.put("networkType", network instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph");
        meta.put("withUpdater", withUpdater);
        meta.set("config", config);
        meta.set("provenance", Configs.mapper().valueToTree(provenance));
        meta.putArray("artifacts").addAll(
                artifacts.keySet().stream().map(k -> meta.textNode(k)).toList());
        byte[] metaBytes = Configs.mapper().writeValueAsBytes(meta);
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, META, metaBytes);
            put(zip, NETWORK, net.toByteArray());
            for (Map.Entry<String, byte[]> e : artifacts.entrySet()) {
                put(zip, ARTIFACTS + e.getKey(), e.getValue());
            }
            zip.finish();
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    /** The bundle file for a path that is either the file itself or a model directory holding {@value #MODEL_FILE}. */
    public static Path resolve(Path fileOrDir) {
        return Files.isDirectory(fileOrDir) ? fileOrDir.resolve(MODEL_FILE) : fileOrDir;
    }

    /**
     * Loads a bundle and checks it was made for {@code expectedTask} (null accepts any task).
     *
     * @throws UserInputException naming the file if it is missing, corrupt, or of another task
     */
    public static ModelBundle load(Path fileOrDir, String expectedTask, boolean withUpdater) {
        Path file = resolve(fileOrDir);
        byte[] metaBytes = null;
        byte[] netBytes = null;
        Map<String, byte[]> artifacts = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] content = zip.readAllBytes();
                if (META.equals(e.getName())) {
                    metaBytes = content;
                } else if (NETWORK.equals(e.getName())) {
                    netBytes = content;
                } else if (e.getName().startsWith(ARTIFACTS)) {
                    artifacts.put(e.getName().substring(ARTIFACTS.length()), content);
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserInputException("model bundle " + file + " does not exist"
                    + (Files.isDirectory(fileOrDir) ? " (the directory holds no " + MODEL_FILE + ")" : ""));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserInputException("cannot read model bundle " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new UserInputException("model bundle " + file + " is corrupt (" + e.getMessage() + ")", e);
        }
        if (metaBytes == null || netBytes == null) {
            throw new UserInputException("model bundle " + file + " is corrupt or not an rnnsuite bundle (missing "
                    + (metaBytes == null ? META : NETWORK) + ")");
        }
        JsonNode meta;
        try {
            meta = Configs.mapper().readTree(metaBytes);
        } catch (IOException e) {
            throw new UserInputException("model bundle " + file + " is corrupt: unreadable " + META, e);
        }
        int format = meta.path("format").asInt(-1);
        if (format != FORMAT_VERSION) {
            throw new UserInputException("model bundle " + file + " has format " + format + "; this rnnsuite reads "
                    + "format " + FORMAT_VERSION);
        }
        String task = meta.path("task").asText("");
        if (expectedTask != null && !expectedTask.equals(task)) {
            throw new UserInputException("model bundle " + file + " was made for task '" + task
                    + "', not '" + expectedTask + "'");
        }
        Model network;
        try {
            String type = meta.path("networkType").asText();
            boolean updater = withUpdater && meta.path("withUpdater").asBoolean(false);
            network = "ComputationGraph".equals(type)
                    ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(netBytes), updater)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(netBytes), updater);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("model bundle " + file + " is corrupt: its network does not load ("
                    + e.getMessage() + ")", e);
        }
        Provenance provenance;
        try {
            provenance = Configs.mapper().treeToValue(meta.path("provenance"), Provenance.class);
        } catch (IOException e) {
            throw new UserInputException("model bundle " + file + " is corrupt: bad provenance", e);
        }
        return new ModelBundle(task, network, meta.path("config"), artifacts, provenance);
    }

    /** Reads just the metadata of a bundle, without loading the network. */
    public static JsonNode readMetadata(Path fileOrDir) {
        Path file = resolve(fileOrDir);
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (META.equals(e.getName())) {
                    return Configs.mapper().readTree(zip.readAllBytes());
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserInputException("model bundle " + file + " does not exist");
        } catch (IOException e) {
            throw new UserInputException("cannot read model bundle " + file + ": " + e.getMessage(), e);
        }
        throw new UserInputException("model bundle " + file + " is corrupt or not an rnnsuite bundle");
    }
}
