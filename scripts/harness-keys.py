#!/usr/bin/env python3
"""Builds overlay's catalog of the Hermes harness's config keys from the harness's published
packages (Python wheels), so a new harness release is a data update, not code.

    scripts/harness-keys.py generate [--download] [WHEEL ...]   write the catalog
    scripts/harness-keys.py check    [--download] [WHEEL ...]   fail if the catalog is stale
    scripts/harness-keys.py fixture VERSION                     print a config carrying every key

The wheels are listed in scripts/harness-keys.sources.json ("sources"); --download fetches them
with `pip download --no-deps` into $HARNESS_WHEELS (default /tmp/harness-wheels). Nothing from a
wheel is executed beyond the literal assignments that build DEFAULT_CONFIG (and the small helper
functions it calls), evaluated in an empty namespace with no imports.

What is read from each wheel:
  - DEFAULT_CONFIG (hermes_cli/config_defaults.py, else hermes_cli/config.py): every key path,
    the JSON type of its default, and `_config_version`;
  - the top-level keys the harness knows besides its defaults (_EXTRA_KNOWN_ROOT_KEYS) and the
    fields of a custom_providers entry (_VALID_CUSTOM_PROVIDER_FIELDS), in hermes_cli/config.py;
  - the top-level keys GatewayConfig.from_dict reads (gateway/config.py).
Facts that no default carries (keys only loaders read, keys older configs carry, keys removed by
a migration, maps whose keys are names) come from the sources file; each one is checked against
the wheels (the key's name must occur in the harness's code, a removed key must be named in its
migrations and be gone from later defaults).
"""

import ast
import json
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = os.path.join(HERE, "harness-keys.sources.json")
CATALOG = os.path.join(ROOT, "policy", "harness-keys.json")
EMBEDDED = os.path.join(ROOT, "Sources", "OverlayCore", "Schema", "HarnessKeyData.swift")


def json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise ValueError(f"unexpected default of type {type(value).__name__}")


def literal_defaults(source, filename):
    """DEFAULT_CONFIG from a module's text: only top-level functions and plain assignments up to
    DEFAULT_CONFIG run, in an empty namespace (no imports), so the harness itself never runs."""
    tree = ast.parse(source, filename)
    namespace = {"__builtins__": {"dict": dict, "list": list, "tuple": tuple, "set": set, "len": len}}
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.Assign, ast.AnnAssign)):
            continue
        try:
            exec(compile(ast.Module(body=[node], type_ignores=[]), filename, "exec"), namespace)
        except Exception:
            continue  # an assignment that needs an import is not part of the defaults
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "DEFAULT_CONFIG" for t in targets):
            return namespace["DEFAULT_CONFIG"]
    raise ValueError(f"{filename}: no DEFAULT_CONFIG")


def literal_set(source, name):
    """The string members of a top-level `NAME = {...}` / frozenset({...}) literal."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return sorted({c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)})
    return []


def gateway_loader_keys(source):
    """Top-level config keys GatewayConfig.from_dict reads: data.get("k"), data["k"], pick("k"),
    "k" in data, and the names of _TOPLEVEL_BOOL_DEFAULTS."""
    tree = ast.parse(source)
    keys = set(literal_set(source, "_TOPLEVEL_BOOL_DEFAULTS"))
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "GatewayConfig"):
        for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "from_dict"):
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                    func = node.func
                    reader = (isinstance(func, ast.Attribute) and func.attr == "get" and isinstance(func.value, ast.Name)
                              and func.value.id == "data") or (isinstance(func, ast.Name) and func.id in ("pick", "stt_setting", "by_platform"))
                    if reader and isinstance(node.args[0].value, str):
                        keys.add(node.args[0].value)
                elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "data":
                    if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                        keys.add(node.slice.value)
                elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                    if any(isinstance(c, ast.Name) and c.id == "data" for c in node.comparators):
                        keys.add(node.left.value)
    keys.discard("gateway")
    return sorted(keys)


class Wheel:
    """One published harness package, read without installing it."""

    def __init__(self, path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        defaults_file = "hermes_cli/config_defaults.py" if "hermes_cli/config_defaults.py" in self.names else "hermes_cli/config.py"
        self.defaults = literal_defaults(self.text(defaults_file), defaults_file)
        self.version = int(self.defaults["_config_version"])
        config = self.text("hermes_cli/config.py")
        self.extra_roots = literal_set(config, "_EXTRA_KNOWN_ROOT_KEYS")
        self.custom_provider_fields = literal_set(config, "_VALID_CUSTOM_PROVIDER_FIELDS")
        self.gateway_keys = gateway_loader_keys(self.text("gateway/config.py")) if "gateway/config.py" in self.names else []
        self.migrations = self.text("hermes_cli/config_migrations.py") if "hermes_cli/config_migrations.py" in self.names else ""
        meta = next(n for n in self.names if n.endswith(".dist-info/METADATA"))
        fields = dict(line.split(": ", 1) for line in self.text(meta).splitlines() if ": " in line and not line.startswith(" "))
        self.package = f"{fields.get('Name', '?')} {fields.get('Version', '?')}"
        self._code = None

    def text(self, name):
        return self.zip.read(name).decode("utf-8")

    def code(self):
        """Every string literal's text in the wheel's Python files, for name checks."""
        if self._code is None:
            found = set()
            for name in self.names:
                if name.endswith(".py") and "/tests/" not in name and not name.startswith("tests/"):
                    found.update(re.findall(r"[\"']([A-Za-z_][A-Za-z0-9_.-]*)[\"']", self.text(name)))
            self._code = found
        return self._code


def walk(mapping, prefix=""):
    for key, value in mapping.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path, value
        if isinstance(value, dict):
            yield from walk(value, path)


def build(wheels, sources):
    problems = []
    wheels = sorted(wheels, key=lambda w: (w.version, w.package))
    keys = {}

    def entry(path):
        return keys.setdefault(path, {"path": path})

    for wheel in wheels:
        for path, value in walk(wheel.defaults):
            if path == "_config_version":
                continue
            e = entry(path)
            versions = e.setdefault("in", [])
            if wheel.version not in versions:
                versions.append(wheel.version)
            types = e.setdefault("types", [])
            if json_type(value) not in types:
                types.append(json_type(value))
            if isinstance(value, dict) and not value:
                e.setdefault("emptyDefault", True)
            elif isinstance(value, dict):
                e["emptyDefault"] = False
        for root in wheel.extra_roots + wheel.gateway_keys:
            if root not in keys or "in" not in keys[root]:
                e = entry(root)
                e["from"] = "loader"
        for field in wheel.custom_provider_fields:
            entry(f"custom_providers[].{field}")["from"] = "loader"

    newest = wheels[-1]
    all_code = set().union(*(w.code() for w in wheels))
    for path, fact in sources.get("loader", {}).items():
        e = entry(path)
        e.setdefault("from", "loader")
        if fact.get("types"):
            e["types"] = sorted(set(e.get("types", [])) | set(fact["types"]))
        name = path.rsplit(".", 1)[-1].replace("[]", "")
        if name not in all_code:
            problems.append(f"loader key {path}: no harness code names '{name}'")
    for path, note in sources.get("legacy", {}).items():
        e = entry(path)
        e.setdefault("from", "legacy")
        e["note"] = note
    for path, version in sources.get("removed", {}).items():
        e = entry(path)
        e["removed"] = version
        e.setdefault("from", "legacy")
        name = path.rsplit(".", 1)[-1]
        if name not in newest.migrations and name.split("_")[0] not in newest.migrations:
            problems.append(f"removed key {path}: the migrations of {newest.package} do not name it")
        later = [w.package for w in wheels if w.version >= version and path in dict(walk(w.defaults))]
        if later:
            problems.append(f"removed key {path}: still in the defaults of {', '.join(later)}")
    for path in sources.get("open", []):
        entry(path)["open"] = True

    # Below a map of user-chosen names (providers by name, resource attributes…) there is
    # nothing to check: its defaults are examples, not keys.
    open_paths = {p for p, e in keys.items() if e.get("open") or e.get("emptyDefault")}
    for path in list(keys):
        if any(path.startswith(o + ".") for o in open_paths):
            del keys[path]
    for e in keys.values():
        if e.pop("emptyDefault", False):
            e["open"] = True
        if "in" in e:
            e["in"].sort()
            e["from"] = "defaults"
        e["types"] = sorted(e.get("types", []))
        if not e["types"]:
            del e["types"]
    catalog = {
        "format": 1,
        "about": "Config keys of the Hermes harness by config version; generated by scripts/harness-keys.py, do not edit.",
        "snapshots": [{"version": w.version, "package": w.package} for w in wheels],
        "keys": [keys[p] for p in sorted(keys)],
    }
    return catalog, problems


def render(catalog):
    """One key a line, so a harness release shows as a readable diff."""
    head = {k: v for k, v in catalog.items() if k != "keys"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append('  "keys": [')
    rows = [f"    {json.dumps(e, ensure_ascii=False, separators=(', ', ': '))}" for e in catalog["keys"]]
    lines.append(",\n".join(rows))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def embedded(text):
    """The Swift file that compiles the catalog into the binary (no resource files at run time),
    indented as swift-format leaves it (the indentation is not part of the string)."""
    if '"""#' in text:
        raise ValueError("the catalog text cannot sit in a Swift raw string")
    return ("// Generated by scripts/harness-keys.py from policy/harness-keys.json; do not edit.\n"
            "// Compiled in, so the binary needs no resource files wherever it is copied.\n\n"
            "/// The harness key catalog's JSON text, byte for byte `policy/harness-keys.json`.\n"
            "enum HarnessKeyData {\n"
            "    static let json = #\"\"\"\n"
            + "".join("        " + line + "\n" for line in text.splitlines())
            + "        \"\"\"#\n}\n")


def wheel_paths(args, sources):
    paths = [a for a in args if a.endswith(".whl")]
    if paths:
        return paths
    folder = os.environ.get("HARNESS_WHEELS", "/tmp/harness-wheels")
    if "--download" in args:
        os.makedirs(folder, exist_ok=True)
        for spec in sources["sources"]:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", spec, "-d", folder], check=True)
    wanted = []
    for spec in sources["sources"]:
        name, version = spec.split("==")
        stem = f"{name.replace('-', '_')}-{version}-"
        match = [f for f in os.listdir(folder) if f.startswith(stem) and f.endswith(".whl")] if os.path.isdir(folder) else []
        if not match:
            sys.exit(f"harness-keys: no wheel for {spec} in {folder}; run with --download (or pass the .whl files)")
        wanted.append(os.path.join(folder, match[0]))
    return wanted


FIXTURE_VALUES = {"boolean": "true", "integer": "3", "number": "0.5", "string": "\"\"", "array": "[]", "null": "null"}


def fixture(catalog, version, schema_enums):
    """A config carrying every key the harness's defaults had at `version`, each with a value of
    the type the harness writes (the first enum value or the minimum of overlay's schema where it
    has one)."""
    present = [e for e in catalog["keys"] if version in e.get("in", [])]
    out = [f"# Every key of the harness's default config at config version {version}, with a value of",
           "# the type the harness writes. Generated by scripts/harness-keys.py fixture; values are overlay's.",
           f"_config_version: {version}"]
    children = {}
    for e in present:
        parent, _, name = e["path"].rpartition(".")
        children.setdefault(parent, []).append((name, e))

    def emit(parent, depth):
        for name, e in children.get(parent, []):
            indent = "  " * depth
            shown = json.dumps(name) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name) else name
            types = e.get("types", ["null"])
            if "object" in types and children.get(e["path"]):
                out.append(f"{indent}{shown}:")
                emit(e["path"], depth + 1)
            elif "object" in types:
                out.append(f"{indent}{shown}: {{}}")
            else:
                kind = next((t for t in types if t != "null"), "null")
                value = FIXTURE_VALUES[kind]
                if e["path"] in schema_enums and kind in ("string", "boolean", "integer", "number"):
                    value = schema_enums[e["path"]]
                out.append(f"{indent}{shown}: {value}")

    emit("", 0)
    return "\n".join(out) + "\n"


def schema_enums():
    """path → a value overlay's schema allows there: its first enum value, or its minimum."""
    with open(os.path.join(ROOT, "policy", "config.schema.json")) as f:
        schema = json.load(f)
    defs = schema.get("$defs", {})
    found = {}

    def visit(node, path):
        if not isinstance(node, dict):
            return
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            visit(defs.get(node["$ref"].split("/")[-1]), path)
        if path and "enum" in node and path not in found:
            found[path] = json.dumps(node["enum"][0])
        elif path and isinstance(node.get("minimum"), (int, float)) and node["minimum"] > 1 and path not in found:
            found[path] = json.dumps(node["minimum"])
        for branch in node.get("anyOf", []) + node.get("oneOf", []):
            visit(branch, path)
        for name, child in node.get("properties", {}).items():
            visit(child, f"{path}.{name}" if path else name)

    visit(schema, "")
    return found


def main(argv):
    if len(argv) < 2 or argv[1] not in ("generate", "check", "fixture"):
        sys.exit(__doc__)
    with open(SOURCES) as f:
        sources = json.load(f)
    if argv[1] == "fixture":
        with open(CATALOG) as f:
            catalog = json.load(f)
        sys.stdout.write(fixture(catalog, int(argv[2]), schema_enums()))
        return
    wheels = [Wheel(p) for p in wheel_paths(argv[2:], sources)]
    catalog, problems = build(wheels, sources)
    for p in problems:
        print(f"harness-keys: {p}", file=sys.stderr)
    text = render(catalog)
    if argv[1] == "generate":
        os.makedirs(os.path.dirname(CATALOG), exist_ok=True)
        with open(CATALOG, "w") as f:
            f.write(text)
        with open(EMBEDDED, "w") as f:
            f.write(embedded(text))
        print(f"harness-keys: wrote {len(catalog['keys'])} keys from {len(wheels)} packages to {os.path.relpath(CATALOG, ROOT)}", file=sys.stderr)
    else:
        for path, want in ((CATALOG, text), (EMBEDDED, embedded(text))):
            with open(path) as f:
                if f.read() != want:
                    sys.exit(f"harness-keys: {os.path.relpath(path, ROOT)} is stale; run scripts/harness-keys.py generate")
        print("harness-keys: the catalog matches the packages", file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
