#!/usr/bin/env python3
"""Check YAML files against roadmap's JSON Schemas.

usage: python3 docs/schemas/validate_yaml.py SCHEMA FILE...

YAML is read the way roadmap reads it (YAML 1.2 core schema): dates stay text, only true/false (in any of
their three spellings) are booleans, numbers may have '_' separators, and there are no merge keys. PyYAML
alone reads YAML 1.1, where 'start: 2027-01-04' is a date and 'yes' a boolean, which no JSON Schema expects.

Prints 'FILE: ok' or 'FILE: invalid: MESSAGE (at PATH)' for each file. Exits 0 when every file is valid,
1 when any is not, 2 when jsonschema or PyYAML is missing (pip install jsonschema pyyaml).
"""
import json
import re
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError as error:  # pragma: no cover
    print(f"validate_yaml: {error}; install with: pip install jsonschema pyyaml", file=sys.stderr)
    sys.exit(2)


class CoreLoader(yaml.SafeLoader):
    """A safe loader with the YAML 1.2 core schema's implicit types instead of YAML 1.1's."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9][0-9_]*$", "-+0123456789"),
    ("float", r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    CoreLoader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))
CoreLoader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node).replace("_", "")))
CoreLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: float(loader.construct_scalar(node).replace("_", "")))
CoreLoader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node).lower() == "true")


def plain(value):
    """Mapping keys as text, the way roadmap reads them."""
    if isinstance(value, dict):
        return {(str(key).lower() if isinstance(key, bool) else str(key)): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def main(arguments):
    if len(arguments) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    failed = False
    for path in arguments[1:]:
        try:
            with open(path, encoding="utf-8-sig") as handle:
                document = plain(yaml.load(handle, Loader=CoreLoader))
        except (OSError, yaml.YAMLError) as error:
            print(f"{path}: invalid: cannot read: {str(error).splitlines()[0]}")
            failed = True
            continue
        error = best_match(validator.iter_errors(document))
        if error is None:
            print(f"{path}: ok")
        else:
            where = "/".join(str(part) for part in error.absolute_path) or "(top)"
            message = error.message.replace("\n", " ")
            if len(message) > 300:
                message = message[:300] + "..."
            print(f"{path}: invalid: {message} (at {where})")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
