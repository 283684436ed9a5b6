package org.rnnsuite.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rnnsuite.core.UserInputException;

/**
 * Loads typed configs: defaults, then an optional JSON file, then {@code key=value} overrides with dotted keys
 * ({@code trainer.batchSize=64}). Every key must exist in the defaults: a misspelt key is an error, never silently
 * ignored. Validation happens in the record's compact constructor and is reported as a {@link UserInputException}.
 */
public final class Configs {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Configs() {
    }

    /** The mapper used for configs and bundle metadata (indented output, strict input). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Builds a config of {@code type} from {@code defaults}, the JSON file {@code file} (may be null) and the
     * overrides (each {@code dotted.key=value}).
     */
    public static <T> T load(Class<T> type, T defaults, Path file, List<String> overrides) {
        ObjectNode tree = MAPPER.valueToTree(defaults);
        if (file != null) {
            JsonNode fromFile;
            try {
                fromFile = MAPPER.readTree(Files.readString(file));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UserInputException("config file " + file + " does not exist");
            } catch (JsonProcessingException e) {
                throw new UserInputException("config file " + file + " is not valid JSON: "
                        + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
            } catch (IOException e) {
                throw new UserInputException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            if (!fromFile.isObject()) {
                throw new UserInputException("config file " + file + " must hold a JSON object");
            }
            merge(tree, (ObjectNode) fromFile, "", "config file " + file);
        }
        if (overrides != null) {
            for (String o : overrides) {
                applyOverride(tree, o);
            }
        }
        return fromTree(type, tree, file != null ? "config file " + file : "config");
    }

    /** Reads a config from a JSON tree, as stored in a bundle. */
    public static <T> T fromTree(Class<T> type, JsonNode tree, String source) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException) {
                throw new UserInputException("invalid " + source + ": " + root.getMessage(), e);
            }
            throw new UserInputException("invalid " + source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The config as indented JSON. */
    public static String toJson(Object config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config not serializable: " + config.getClass().getName(), e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source, String prefix, String where) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                throw new UserInputException("unknown key '" + key + "' in " + where + "; known keys: "
                        + knownKeys(target, prefix));
            }
            if (existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), key + ".", where);
            } else if (existing.isObject()) {
                throw new UserInputException("key '" + key + "' in " + where + " must be an object");
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UserInputException("override '" + override + "' must look like key=value");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            path.append(parts[i]).append('.');
            if (child == null || !child.isObject()) {
                throw new UserInputException("unknown config key '" + key + "'; known keys: "
                        + knownKeys(node, path.substring(0, path.length() - parts[i].length() - 1)));
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        JsonNode existing = node.get(leaf);
        if (existing == null) {
            throw new UserInputException("unknown config key '" + key + "'; known keys: "
                    + knownKeys(node, path.toString()));
        }
        if (existing.isObject()) {
            throw new UserInputException("config key '" + key + "' is a group; set one of: "
                    + knownKeys((ObjectNode) existing, key + "."));
        }
        JsonNode parsed;
        if (existing.isTextual() || existing.isNull()) {
            parsed = TextNode.valueOf(value);
        } else {
            try {
                parsed = MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                throw new UserInputException("bad value '" + value + "' for config key '" + key + "': expected "
                        + describe(existing));
            }
            boolean ok = (existing.isNumber() && parsed.isNumber())
                    || (existing.isBoolean() && parsed.isBoolean())
                    || (existing.isArray() && parsed.isArray());
            if (!ok || (existing.isIntegralNumber() && !parsed.isIntegralNumber())) {
                throw new UserInputException("bad value '" + value + "' for config key '" + key + "': expected "
                        + describe(existing));
            }
        }
        node.set(leaf, parsed);
    }

    private static String describe(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "an integer";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "true or false";
        }
        if (n.isArray()) {
            return "a JSON array";
        }
        return "a string";
    }

    private static String knownKeys(ObjectNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> keys.add(prefix + k));
        return String.join(", ", keys);
    }
}
