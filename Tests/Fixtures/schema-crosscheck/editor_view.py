#!/usr/bin/env python3
"""Prints, for each YAML config given, how many errors an editor using the JSON Schema would
show: Python jsonschema's Draft202012Validator on the file as PyYAML reads it.

Usage: editor_view.py SCHEMA.json CONFIG.yaml [CONFIG.yaml ...]   → lines "COUNT PATH"
"""
import json
import sys

try:
    import jsonschema
    import yaml
except ImportError as missing:
    sys.exit(f"editor_view.py: {missing.name} is missing; run: pip install jsonschema pyyaml")

with open(sys.argv[1]) as f:
    validator = jsonschema.Draft202012Validator(json.load(f))
for path in sys.argv[2:]:
    with open(path) as f:
        document = yaml.safe_load(f)
    errors = list(validator.iter_errors(document))
    detail = "; ".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message[:80]}" for e in errors[:3])
    print(f"{len(errors)} {path} {detail}".rstrip())
