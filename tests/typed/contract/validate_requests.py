#!/usr/bin/env python3
"""Checks HTTP requests against a NetBox OpenAPI schema with an independent validator
(openapi-schema-validator's OAS 3.0 write validator, with its format checker), for the typed
client's contract test.

    validate_requests.py SCHEMA.json REQUESTS.jsonl

Each line of REQUESTS.jsonl: {"method": "PATCH", "path": "/api/dcim/devices/7/",
"query": [["site", "a"], ...], "body": <JSON, absent when none>, "expect": "valid" | "invalid",
"label": "..."}. Prints one line per request; exits 1 when any verdict differs from its expectation
(a valid request refused, or a known-bad one accepted), 2 on bad input.
"""
import json
import re
import sys

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker

# Accepted by every NetBox list endpoint although 4.3-4.5 schemas do not declare them (4.7 does).
UNDECLARED_LIST_OPTIONS = {"brief", "fields", "omit", "exclude"}


def read_nullable_wrappers(node):
    """drf-spectacular writes a nullable foreign key as {"oneOf": [...], "nullable": true} and a
    nullable nested object as {"allOf": [{"$ref": ...}], "nullable": true}. OAS 3.0.3 says
    `nullable` has no effect without a `type` beside it, so a strict validator refuses the null
    that NetBox accepts there and that the schema means. Such a schema is read as "null, or what
    it says": {"anyOf": [<it without nullable>, {"enum": [null]}]}. Nothing else is changed."""
    if isinstance(node, list):
        return [read_nullable_wrappers(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: read_nullable_wrappers(v) for k, v in node.items()}
    if out.get("nullable") is True and "type" not in out and any(k in out for k in ("oneOf", "allOf", "anyOf", "$ref")):
        del out["nullable"]
        return {"anyOf": [out, {"enum": [None]}]}
    return out


def compile_paths(doc):
    out = []
    for template, item in doc["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
        names = re.findall(r"\{([^}]+)\}", template)
        out.append((re.compile(pattern), template, names, item))
    # A literal segment wins over a parameter (/api/extras/scripts/upload/ is no script id).
    out.sort(key=lambda p: len(p[2]))
    return out


def find_operation(paths, method, path):
    for pattern, template, names, item in paths:
        m = pattern.match(path)
        if m and method.lower() in item:
            return template, dict(zip(names, m.groups())), item, item[method.lower()]
    return None


class Validators:
    """One validator over the whole document; each schema is checked by an evolved copy of it, so
    references resolve against the document and nothing is set up twice."""

    def __init__(self, doc):
        self.root = OAS30WriteValidator(doc, format_checker=oas30_format_checker)

    def errors(self, schema, instance):
        return list(self.root.evolve(schema=schema).iter_errors(instance))


def message_of(error):
    """The most relevant error, also inside oneOf/anyOf (a create body is one of an object and a
    list of them)."""
    best = best_match([error])
    return "/%s: %s" % ("/".join(str(x) for x in best.absolute_path), best.message)


def typed_value(text, schema):
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "boolean":
            if text in ("true", "True", "1"):
                return True
            if text in ("false", "False", "0"):
                return False
            return text
    except ValueError:
        return text
    return text


def problems_of(validators, paths, request):
    found = find_operation(paths, request["method"], request["path"].split("?")[0])
    if not found:
        return ["no operation %s %s in the schema" % (request["method"], request["path"])]
    template, path_values, item, op = found
    problems = []
    parameters = list(item.get("parameters", [])) + list(op.get("parameters", []))
    by_place = {}
    for p in parameters:
        by_place[(p["in"], p["name"])] = p

    for name, text in path_values.items():
        p = by_place.get(("path", name))
        if p is None:
            continue
        errors = validators.errors(p["schema"], typed_value(text, p["schema"]))
        problems += ["path {%s}: %s" % (name, e.message) for e in errors]

    for name, text in request.get("query", []):
        if name in UNDECLARED_LIST_OPTIONS and request["method"] == "GET":
            continue
        p = by_place.get(("query", name))
        if p is None:
            problems.append("query parameter %r is not declared" % name)
            continue
        schema = p["schema"]
        item_schema = schema.get("items", {}) if schema.get("type") == "array" else schema
        errors = validators.errors(item_schema, typed_value(text, item_schema))
        problems += ["query %s=%s: %s" % (name, text, e.message) for e in errors]

    body_spec = op.get("requestBody")
    if "body" in request:
        if not body_spec:
            problems.append("the operation takes no body")
        else:
            content = body_spec.get("content", {})
            media = content.get("application/json") or next(iter(content.values()))
            errors = validators.errors(media["schema"], request["body"])
            problems += ["body " + message_of(e) for e in errors]
    elif body_spec and body_spec.get("required"):
        problems.append("the operation requires a body")
    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = read_nullable_wrappers(json.load(f))
    paths = compile_paths(doc)
    validators = Validators(doc)
    mismatches = 0
    total = 0
    with open(argv[2], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            request = json.loads(line)
            total += 1
            problems = problems_of(validators, paths, request)
            verdict = "invalid" if problems else "valid"
            expected = request.get("expect", "valid")
            ok = verdict == expected
            mismatches += not ok
            label = request.get("label", "")
            print("%s %s %s %s [%s]%s" % ("ok  " if ok else "FAIL", verdict, request["method"], request["path"], label,
                                           "" if not problems else ": " + "; ".join(problems[:3])))
    print("%d requests, %d verdicts as expected, %d not" % (total, total - mismatches, mismatches))
    return 1 if mismatches or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
