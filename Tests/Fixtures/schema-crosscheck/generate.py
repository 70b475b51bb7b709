#!/usr/bin/env python3
"""Emits random JSON Schema instances with the verdict of Python's jsonschema.

Usage: generate.py SEED COUNT SCHEMA.json [SCHEMA.json ...]

For each schema it builds COUNT instances: some generated to fit the schema, most of
them then mutated (wrong types, out-of-range numbers, misspelled enum values, unknown
or missing keys, duplicated list items). Each output line is one JSON object:
{"schema": PATH, "instance": VALUE, "valid": BOOL, "mutation": NAME}. The verdict comes
from jsonschema.Draft202012Validator, the oracle overlay's validator is checked against.
Floats are rounded so JSON text never needs an exponent.
"""
import copy
import json
import random
import re
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("generate.py: the Python package jsonschema is missing; run: pip install jsonschema")

PATTERN_SAMPLES = ["${MODEL_API_KEY}", "120", " 7 ", "-1", "0.6", "1e3", "unlimited", "x${A}y", "${}", "12a"]
WORDS = ["alpha", "beta", "gamma", "delta", "local", "auto", "queue", "x", "", "wal", "5m", "piper", "1h", "é", "日本"]


def resolve(root, ref):
    node = root
    for part in ref.lstrip("#").split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def number(rng, schema, integer):
    lo = schema.get("minimum", schema.get("exclusiveMinimum", -1000))
    hi = schema.get("maximum", schema.get("exclusiveMaximum", 1000))
    if "exclusiveMinimum" in schema and "minimum" not in schema:
        lo = lo + (1 if integer else 0.001)
    if "exclusiveMaximum" in schema and "maximum" not in schema:
        hi = hi - (1 if integer else 0.001)
    lo, hi = min(lo, hi), max(lo, hi)
    if integer:
        lo, hi = int(lo), int(hi)
        return rng.randint(lo, hi) if rng.random() < 0.9 else float(rng.randint(lo, hi))
    return round(rng.uniform(lo, hi), 3)


def generate(rng, schema, root, depth=0):
    """A value meant to fit `schema` (the oracle decides whether it does)."""
    if schema is True or schema == {}:
        return rng.choice([1, "free", None, True])
    if schema is False:
        return None
    if "$ref" in schema and depth < 12:
        return generate(rng, resolve(root, schema["$ref"]), root, depth + 1)
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if "enum" in schema:
        return copy.deepcopy(rng.choice(schema["enum"]))
    if "examples" in schema and rng.random() < 0.8:
        return copy.deepcopy(rng.choice(schema["examples"]))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return generate(rng, rng.choice(schema[key]), root, depth + 1)
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            part = resolve(root, part["$ref"]) if "$ref" in part else part
            for k, v in part.items():
                if k == "properties":
                    merged.setdefault("properties", {}).update(v)
                elif k == "required":
                    merged.setdefault("required", []).extend(v)
                else:
                    merged[k] = v
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        merged.update({k: v for k, v in rest.items() if k not in merged})
        return generate(rng, merged, root, depth + 1)
    types = schema.get("type")
    if isinstance(types, list):
        types = rng.choice(types)
    if types is None:
        types = "object" if "properties" in schema else "string"
    if types == "null":
        return None
    if types == "boolean":
        return rng.random() < 0.5
    if types == "integer":
        return number(rng, schema, True)
    if types == "number":
        return number(rng, schema, False)
    if types == "string" and "pattern" in schema:
        # Coercions in overlay's schema: numbers written as strings, ${VAR} references.
        fitting = [s for s in PATTERN_SAMPLES if re.search(schema["pattern"], s)]
        if fitting and rng.random() < 0.8:
            return rng.choice(fitting)
    if types == "string":
        lo = schema.get("minLength", 0)
        hi = max(lo, schema.get("maxLength", lo + 8))
        return "".join(rng.choice("abcdefgh-é") for _ in range(rng.randint(lo, min(hi, lo + 8))))
    if types == "array":
        out = [generate(rng, s, root, depth + 1) for s in schema.get("prefixItems", [])]
        lo = schema.get("minItems", 0)
        hi = schema.get("maxItems", lo + 3)
        if "items" in schema and schema["items"] is not False and depth < 8:
            while len(out) < rng.randint(lo, max(lo, hi)):
                out.append(generate(rng, schema["items"], root, depth + 1))
        if schema.get("uniqueItems"):
            seen, unique = set(), []
            for item in out:
                key = json.dumps(item, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    unique.append(item)
            out = unique
        return out
    out = {}
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        if name in required or (depth < 6 and rng.random() < 0.45):
            out[name] = generate(rng, sub, root, depth + 1)
    extra = schema.get("additionalProperties", True)
    if extra is not False and rng.random() < 0.2:
        out["extra_" + rng.choice(WORDS)] = generate(rng, extra if isinstance(extra, dict) else {}, root, depth + 1)
    return out


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))


def typo(word):
    if not word:
        return "x"
    i = len(word) // 2
    return word[:i] + word[i + 1:] if len(word) > 2 else word + "z"


def mutate(rng, instance):
    """Changes one random node; returns (instance, mutation name)."""
    all_paths = list(paths(instance))
    path = rng.choice(all_paths)
    parent, key = None, None
    node = instance
    for step in path:
        parent, key, node = node, step, node[step]

    def put(value):
        nonlocal instance
        if parent is None:
            instance = value
        else:
            parent[key] = value

    if isinstance(node, bool) or node is None:
        put(rng.choice([1, "yes", 2.5, [], {}]))
        return instance, "wrong-type"
    if isinstance(node, (int, float)):
        choice = rng.randrange(4)
        if choice == 0:
            put(node + rng.choice([1, -1, 100000, -100000]))
            return instance, "off-by-range"
        if choice == 1:
            put(round(node + 0.5, 3))
            return instance, "fraction"
        if choice == 2:
            put(str(node))
            return instance, "quoted-number"
        put(0)
        return instance, "zero"
    if isinstance(node, str):
        choice = rng.randrange(4)
        if choice == 0:
            put(typo(node))
            return instance, "typo"
        if choice == 1:
            put(node * 20)
            return instance, "long-string"
        if choice == 2:
            put(rng.choice([7, True, None]))
            return instance, "wrong-type"
        put("")
        return instance, "empty-string"
    if isinstance(node, list):
        choice = rng.randrange(3)
        if choice == 0 and node:
            node.append(node[0])
            return instance, "duplicate-item"
        if choice == 1:
            node.append(rng.choice([1, "x", None, {"k": 1}]))
            return instance, "extra-item"
        put({"was": "list"})
        return instance, "wrong-type"
    choice = rng.randrange(4)
    if choice == 0 and node:
        k = rng.choice(list(node))
        node[typo(k)] = node.pop(k)
        return instance, "misspelled-key"
    if choice == 1:
        node["unknown_" + rng.choice(WORDS)] = rng.choice([1, "x", True])
        return instance, "unknown-key"
    if choice == 2 and node:
        node.pop(rng.choice(list(node)))
        return instance, "missing-key"
    put(rng.choice(["mapping?", 3, []]))
    return instance, "wrong-type"


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(schema)
        for i in range(count):
            instance = generate(rng, schema, schema)
            mutation = "none"
            for _ in range(rng.choice([0, 1, 1, 2])):
                instance, mutation = mutate(rng, instance)
            valid = validator.is_valid(instance)
            print(json.dumps({"schema": path, "instance": instance, "valid": valid, "mutation": mutation}, ensure_ascii=False))


if __name__ == "__main__":
    main()
