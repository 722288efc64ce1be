#!/usr/bin/env python3
"""Generates src/http/protobuf/messages.txt: the protobuf layout of the built-in kinds.

Kubernetes' protobuf encoding (gogo, proto2) is defined by the Go types: each field's
`protobuf:"<wire>,<number>,<opt|rep>,name=..."` tag gives its number, its `json:"..."` tag the
JSON name (`,inline` fields are flattened into the parent in JSON but are nested messages on the
wire), and the Go type tells what Go's JSON encoder does with a zero value: gogo writes every
non-pointer scalar, so a zero scalar is only kept when the field is a pointer or has no
`omitempty` (flag `z`). Those facts are in no .proto file nor in the OpenAPI schemas, hence this
table, read from the Go sources of the release the server emulates.

Usage: gen-protobuf-table.py K8S_API_DIR APIMACHINERY_DIR > ../src/http/protobuf/messages.txt
(checkouts of k8s.io/api and k8s.io/apimachinery at the same tag, e.g. v0.33.9).
"""

import os
import re
import sys

API, MACHINERY = sys.argv[1], sys.argv[2]
TAG = sys.argv[3] if len(sys.argv) > 3 else "v0.33.9"

PACKAGES = {
    "k8s.io/api/core/v1": f"{API}/core/v1",
    "k8s.io/api/apps/v1": f"{API}/apps/v1",
    "k8s.io/api/autoscaling/v2": f"{API}/autoscaling/v2",
    "k8s.io/api/batch/v1": f"{API}/batch/v1",
    "k8s.io/api/coordination/v1": f"{API}/coordination/v1",
    "k8s.io/api/discovery/v1": f"{API}/discovery/v1",
    "k8s.io/api/events/v1": f"{API}/events/v1",
    "k8s.io/api/networking/v1": f"{API}/networking/v1",
    "k8s.io/api/policy/v1": f"{API}/policy/v1",
    "k8s.io/api/rbac/v1": f"{API}/rbac/v1",
    "k8s.io/api/scheduling/v1": f"{API}/scheduling/v1",
    "k8s.io/api/storage/v1": f"{API}/storage/v1",
    "k8s.io/apimachinery/pkg/apis/meta/v1": f"{MACHINERY}/pkg/apis/meta/v1",
    "k8s.io/apimachinery/pkg/types": f"{MACHINERY}/pkg/types",
}

# Types with their own JSON form (and a small message on the wire).
SPECIAL = {
    "k8s.io/apimachinery/pkg/apis/meta/v1.Time": "time",
    "k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime": "microtime",
    "k8s.io/apimachinery/pkg/apis/meta/v1.Duration": "duration",
    "k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1": "rawjson",
    "k8s.io/apimachinery/pkg/runtime.RawExtension": "rawjson",
    "k8s.io/apimachinery/pkg/api/resource.Quantity": "quantity",
    "k8s.io/apimachinery/pkg/util/intstr.IntOrString": "intorstring",
}

SCALARS = {"string": "string", "int32": "int32", "int64": "int64", "bool": "bool",
           "float64": "double", "int": "int64"}

# The kinds served by the server (group path, kind), the roots of the table.
ROOTS = [
    ("core/v1", k) for k in ["Binding", "ComponentStatus", "ConfigMap", "Endpoints", "Event",
                             "LimitRange", "Namespace", "Node", "PersistentVolumeClaim",
                             "PersistentVolume", "Pod", "PodTemplate", "ReplicationController",
                             "ResourceQuota", "Secret", "ServiceAccount", "Service"]
] + [
    ("apps/v1", k) for k in ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet",
                             "StatefulSet"]
] + [
    ("autoscaling/v2", "HorizontalPodAutoscaler"), ("batch/v1", "CronJob"), ("batch/v1", "Job"),
    ("coordination/v1", "Lease"), ("discovery/v1", "EndpointSlice"), ("events/v1", "Event"),
    ("networking/v1", "IngressClass"), ("networking/v1", "Ingress"),
    ("networking/v1", "NetworkPolicy"), ("policy/v1", "PodDisruptionBudget"),
    ("rbac/v1", "ClusterRoleBinding"), ("rbac/v1", "ClusterRole"), ("rbac/v1", "RoleBinding"),
    ("rbac/v1", "Role"), ("scheduling/v1", "PriorityClass"), ("storage/v1", "StorageClass"),
]


def definition(pkg, name):
    """io.k8s.api.apps.v1.Deployment, as OpenAPI names definitions."""
    parts = pkg.split("/")
    return ".".join(["io", "k8s"] + parts[1:] + [name])


def parse_package(pkg, path):
    """(structs, named types) of a Go package: struct name -> [(name, type, tags)]."""
    structs, named = {}, {}
    for f in sorted(os.listdir(path)):
        if not f.endswith(".go") or f.endswith("_test.go") or f.startswith("zz_"):
            continue
        src = open(os.path.join(path, f)).read()
        imports = {"": pkg}
        for alias, ipath in re.findall(r'^\s*(\w+)?\s*"(k8s\.io/[^"]+)"', src, re.M):
            imports[alias or ipath.rsplit("/", 1)[1]] = ipath
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.M | re.S):
            fields = []
            for line in m.group(2).splitlines():
                line = line.split("//", 1)[0].strip() if "`" not in line else line.strip()
                fm = re.match(r"^(\w+\s+)?([\w\.\*\[\]]+)\s+`([^`]*)`", line)
                if fm:
                    fields.append((fm.group(1), fm.group(2), fm.group(3), imports))
            structs[m.group(1)] = fields
        for m in re.finditer(r"^type (\w+) ([\w\.\*\[\]]+)\s*$", src, re.M):
            named[m.group(1)] = (m.group(2), imports)
    return structs, named


PKGS = {pkg: parse_package(pkg, path) for pkg, path in PACKAGES.items()}


def qualify(name, imports, pkg):
    if "." in name:
        alias, base = name.split(".", 1)
        return imports[alias], base
    return pkg, name


def resolve(gotype, imports, pkg):
    """A Go type as the table writes it, and whether it is a pointer."""
    ptr = gotype.startswith("*")
    t = gotype.lstrip("*")
    if t == "[]byte":
        return "bytes", ptr
    if t.startswith("[]"):
        inner, _ = resolve(t[2:], imports, pkg)
        return "[]" + inner, ptr
    if t.startswith("map["):
        value = t[t.index("]") + 1:]
        inner, _ = resolve(value, imports, pkg)
        return "map:" + inner, ptr
    if t in SCALARS:
        return SCALARS[t], ptr
    tpkg, base = qualify(t, imports, pkg)
    if f"{tpkg}.{base}" in SPECIAL:
        return SPECIAL[f"{tpkg}.{base}"], ptr
    structs, named = PKGS[tpkg]
    if base in structs:
        return definition(tpkg, base), ptr
    under, nimports = named[base]
    inner, _ = resolve(under, nimports, tpkg)
    return inner, ptr


def tag(tags, key):
    m = re.search(key + r':"([^"]*)"', tags)
    return m.group(1) if m else None


def fields_of(pkg, name):
    out = []
    for fname, gotype, tags, imports in PKGS[pkg][0][name]:
        proto, js = tag(tags, "protobuf"), tag(tags, "json")
        if proto is None or js is None or js == "-":
            continue
        pparts = proto.split(",")
        number = int(pparts[1])
        jparts = js.split(",")
        kind, ptr = resolve(gotype, imports, pkg)
        json_name = "-" if "inline" in jparts[1:] else jparts[0]
        scalar = kind in ("string", "int32", "int64", "bool", "double", "bytes")
        keep_zero = scalar and (ptr or "omitempty" not in jparts[1:])
        out.append((number, json_name, kind, keep_zero))
    return sorted(out)


def main():
    todo = [definition(f"k8s.io/api/{p}", k) for p, k in ROOTS]
    by_def = {}
    for pkg, (structs, _) in PKGS.items():
        for s in structs:
            by_def[definition(pkg, s)] = (pkg, s)
    done = {}
    while todo:
        d = todo.pop()
        if d in done:
            continue
        pkg, name = by_def[d]
        done[d] = fields_of(pkg, name)
        for _, _, kind, _ in done[d]:
            base = kind.removeprefix("[]").removeprefix("map:")
            if base.startswith("io.k8s.") and base not in done:
                todo.append(base)
    print(f"# generated by tools/gen-protobuf-table.py from k8s.io/api and apimachinery {TAG};")
    print("# do not edit. `definition` lines, then `number json-name type [z]` per field:")
    print("# json-name `-` is an inline struct; type `[]T` repeated, `map:T` a map with string")
    print("# keys; `z`: a zero value is kept (pointer or no omitempty).")
    for d in sorted(done):
        print(d)
        for number, json_name, kind, keep in done[d]:
            print(f" {number} {json_name} {kind}{' z' if keep else ''}")


main()
