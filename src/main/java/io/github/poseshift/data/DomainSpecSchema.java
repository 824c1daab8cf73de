package io.github.poseshift.data;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schema of a domain spec file ({@value #RESOURCE}) and the checks of a file as written, before it
 * is merged with the preset it extends: strict JSON (no comments, trailing commas, NaN or duplicate keys),
 * then the schema (types without conversion, bounds, spellings, no unknown fields, {@code name} present).
 * A problem becomes one line in the style of {@link Domains}: the field's path, what was expected and what
 * was found, e.g. {@code motion.subjects: expected an integer, found 2.5}.
 */
final class DomainSpecSchema {

    static final String RESOURCE = "/io/github/poseshift/data/domain-spec.schema.json";

    private static final JsonMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final JsonNode SCHEMA_JSON = readSchemaResource();

    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SCHEMA_JSON);

    private DomainSpecSchema() {}

    /** The schema as JSON. */
    static JsonNode json() {
        return SCHEMA_JSON.deepCopy();
    }

    /**
     * Checks one spec file as written.
     *
     * @param json   the file's text
     * @param source the file name for messages
     * @throws FormatException naming the source and the first problem
     */
    static void check(String json, String source) throws FormatException {
        JsonNode root = readStrict(json, source);
        if (!root.isObject()) {
            throw new FormatException(source, "a domain spec is a JSON object, found " + root);
        }
        requireFiniteNumbers(root, new ArrayList<>(), source);
        List<Error> errors = SCHEMA.validate(root);
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            throw new FormatException(source, describe(first, root));
        }
    }

    private static JsonNode readStrict(String json, String source) throws FormatException {
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(json);
        } catch (JacksonException e) {
            throw new FormatException(source, parseProblem(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new FormatException(source, "not valid JSON: the text is empty");
        }
        return root;
    }

    /** A parser's complaint as one line, without advice to relax the parser. */
    private static String parseProblem(JacksonException e) {
        String at = "";
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            at = " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        String message = e.getOriginalMessage();
        if (message.startsWith("Duplicate Object property") && e instanceof StreamReadException read
                && read.processor() != null) {
            return field(pathOf(read.processor().streamReadContext())) + ": duplicate key; a key may appear once in an"
                    + " object" + at;
        }
        if (message.startsWith("Trailing token")) {
            return "not valid JSON: more text after the spec's object" + at;
        }
        String plain = message
                .replaceAll(":? *enable `[^`]*` to allow", "")
                .replaceAll(" *\\(not recognized as one since Feature '[^']*' not enabled for parser\\)", "")
                .replaceAll("\\s+", " ").strip();
        return "not valid JSON: " + plain + at;
    }

    /** Where a parser stands: the keys and indices from the top. */
    private static List<Object> pathOf(TokenStreamContext context) {
        List<Object> path = new ArrayList<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            path.add(0, c.inObject() ? c.currentName() : (Object) c.getCurrentIndex());
        }
        return path;
    }

    /** Refuses numbers beyond the range of a double (JSON allows 1e400; Java would read infinity). */
    private static void requireFiniteNumbers(JsonNode node, List<Object> path, String source) throws FormatException {
        if (node.isNumber() && !Double.isFinite(node.numberValue().doubleValue())) {
            throw new FormatException(source, field(path) + ": expected a finite number, found one beyond the range"
                    + " of a double (about 1.8e308)");
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                path.add(e.getKey());
                requireFiniteNumbers(e.getValue(), path, source);
                path.remove(path.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                requireFiniteNumbers(node.get(i), path, source);
                path.remove(path.size() - 1);
            }
        }
    }

    /** One schema error as {@code field: what was expected, what was found}. */
    private static String describe(Error error, JsonNode root) {
        List<Object> path = elements(error.getInstanceLocation());
        JsonNode value = error.getInstanceNode();
        JsonNode rule = schemaNodeHolding(error);
        Class<?> type = javaTypeAt(path);
        if (type == null && !path.isEmpty() && path.get(path.size() - 1) instanceof Integer
                && javaTypeAt(path.subList(0, path.size() - 1)) == Range.class) {
            // An end of a range: report the range, as the spec holds it.
            path = path.subList(0, path.size() - 1);
            value = at(root, path);
            type = Range.class;
        }
        String field = field(path);
        String keyword = error.getKeyword();
        String title = rule != null && rule.get("title") != null ? rule.get("title").stringValue() : null;
        return switch (keyword) {
            case "required" -> field(append(path, error.getProperty())) + ": missing";
            case "additionalProperties" -> field(append(path, error.getProperty())) + ": unknown field; "
                    + (path.isEmpty() ? "a domain" : field) + " has " + String.join(", ", propertyNames(rule));
            case "type", "minItems", "maxItems" -> field + ": expected " + expectedKind(rule, title, type) + ", found "
                    + value;
            case "enum" -> field + ": " + enumProblem(rule, title, value);
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> field + ": "
                    + (title != null ? "must be " + title : bounds(rule, type)) + ", got " + shown(value, type);
            case "minLength" -> field + ": must not be empty";
            default -> field + ": " + error.getMessage() + ", found " + value;
        };
    }

    /** What kind of value a field takes: a range, the title of a kind such as a probability, or JSON types. */
    private static String expectedKind(JsonNode rule, String title, Class<?> type) {
        if (type == Range.class) {
            return SCHEMA_JSON.at("/$defs/range/title").stringValue();
        }
        return title != null && rule.get("enum") == null ? title : typeNames(rule);
    }

    private static String enumProblem(JsonNode rule, String title, JsonNode value) {
        List<String> allowed = new ArrayList<>();
        boolean strings = true;
        for (JsonNode v : rule.get("enum")) {
            allowed.add(v.isString() ? v.stringValue() : v.toString());
            strings &= v.isString();
        }
        String found = value.isString() ? "'" + value.stringValue() + "'" : value.toString();
        if (!strings) {
            return "must be one of " + allowed + ", got " + found;
        }
        if (title != null) {
            return "unknown " + title + " " + found + "; use " + String.join(", ", allowed);
        }
        String last = allowed.remove(allowed.size() - 1);
        return "use " + String.join(", ", allowed) + " or " + last + ", got " + found;
    }

    /** The bounds a number must keep, in the words of the field's type, e.g. {@code must be 0 to 4}. */
    private static String bounds(JsonNode rule, Class<?> type) {
        JsonNode min = rule.get("minimum");
        JsonNode exclusiveMin = rule.get("exclusiveMinimum");
        JsonNode max = rule.get("maximum");
        JsonNode exclusiveMax = rule.get("exclusiveMaximum");
        boolean upper = max != null || exclusiveMax != null;
        if (min != null && max != null) {
            String lo = number(min, type);
            String hi = number(max, type);
            if (type == Range.class) {
                return "must lie in [" + lo + ", " + hi + "]";
            }
            return type == Integer.class ? "must be " + lo + " to " + hi : "must be in [" + lo + ", " + hi + "]";
        }
        if (!upper && exclusiveMin != null && exclusiveMin.doubleValue() == 0) {
            return "must be positive";
        }
        if (!upper && min != null && min.doubleValue() == 0) {
            return "must be zero or positive";
        }
        List<String> parts = new ArrayList<>();
        if (min != null) {
            parts.add("at least " + number(min, type));
        }
        if (exclusiveMin != null) {
            parts.add("more than " + number(exclusiveMin, type));
        }
        if (max != null) {
            parts.add("at most " + number(max, type));
        }
        if (exclusiveMax != null) {
            parts.add("less than " + number(exclusiveMax, type));
        }
        return "must be " + String.join(" and ", parts);
    }

    /** A bound as the field's Java type prints it: 4 for an integer, 4.0 for a double or a range. */
    private static String number(JsonNode n, Class<?> type) {
        return type == Integer.class ? n.toString() : Double.toString(n.doubleValue());
    }

    /** A value as the spec would hold it: a range as {@link Range#toString()}, a double as a double. */
    private static String shown(JsonNode value, Class<?> type) {
        if (type == Range.class && value.isArray() && value.size() == 2 && value.get(0).isNumber()
                && value.get(1).isNumber()) {
            return "[" + value.get(0).doubleValue() + ", " + value.get(1).doubleValue() + "]";
        }
        if ((type == Range.class || type == Double.class) && value.isNumber()) {
            return Double.toString(value.doubleValue());
        }
        return value.toString();
    }

    private static String typeNames(JsonNode rule) {
        JsonNode t = rule.get("type");
        if (t == null) {
            return "another value";
        }
        List<String> names = new ArrayList<>();
        for (JsonNode one : t.isArray() ? t : List.of(t)) {
            names.add(switch (one.stringValue()) {
                case "integer" -> "an integer";
                case "number" -> "a number";
                case "boolean" -> "true or false";
                case "string" -> "a string";
                case "object" -> "an object";
                case "array" -> "an array";
                default -> one.stringValue();
            });
        }
        return String.join(" or ", names);
    }

    private static List<String> propertyNames(JsonNode rule) {
        return new ArrayList<>(rule.get("properties").propertyNames());
    }

    /** The schema object whose keyword failed, e.g. {@code #/properties/cameras} for its additionalProperties. */
    private static JsonNode schemaNodeHolding(Error error) {
        NodePath keyword = error.getSchemaLocation().getFragment();
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < keyword.getNameCount() - 1; i++) {
            pointer.append('/').append(String.valueOf(keyword.getElement(i)).replace("~", "~0").replace("/", "~1"));
        }
        JsonNode node = SCHEMA_JSON.at(pointer.toString());
        return node.isMissingNode() ? null : node;
    }

    private static List<Object> elements(NodePath path) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            out.add(path.getElement(i));
        }
        return out;
    }

    private static List<Object> append(List<Object> path, Object element) {
        List<Object> out = new ArrayList<>(path);
        out.add(element);
        return out;
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object e : path) {
            node = e instanceof Integer i ? node.get(i) : node.get((String) e);
        }
        return node;
    }

    /** A path as the messages write it: {@code split.trainSubjects[1]}. */
    private static String field(List<Object> path) {
        StringBuilder out = new StringBuilder();
        for (Object e : path) {
            if (e instanceof Integer i) {
                out.append('[').append(i).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(e);
            }
        }
        return out.length() == 0 ? "(top level)" : out.toString();
    }

    /**
     * The Java type the spec gives the value at {@code path} ({@link Range}, {@link Double}, {@link Integer},
     * a record...), or null where the path leaves the spec's records (e.g. {@code extends}).
     */
    private static Class<?> javaTypeAt(List<Object> path) {
        Type t = DomainSpec.class;
        for (Object e : path) {
            Class<?> raw = raw(t);
            if (raw.isRecord() && e instanceof String name) {
                t = null;
                for (RecordComponent c : raw.getRecordComponents()) {
                    if (c.getName().equals(name)) {
                        t = c.getGenericType();
                    }
                }
                if (t == null) {
                    return null;
                }
            } else if (Map.class.isAssignableFrom(raw) && e instanceof String) {
                t = ((ParameterizedType) t).getActualTypeArguments()[1];
            } else if (List.class.isAssignableFrom(raw) && e instanceof Integer) {
                t = ((ParameterizedType) t).getActualTypeArguments()[0];
            } else {
                return null;
            }
        }
        return raw(t);
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static JsonNode readSchemaResource() {
        try (InputStream in = DomainSpecSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + RESOURCE + " is missing from the build");
            }
            return STRICT_JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
