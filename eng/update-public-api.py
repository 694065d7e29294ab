#!/usr/bin/env python3
"""Adds the symbols that RS0016 reports as undeclared to each project's PublicAPI.Unshipped.txt.

Usage: python3 eng/update-public-api.py   (runs `dotnet build` on the solution and reads its diagnostics)
A new public API lands in Unshipped in the same commit that adds it; review the diff before committing.
"""
import collections, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = subprocess.run(["dotnet", "build", os.path.join(root, "SafetyLayers.sln"), "-c", "Release", "-nologo"],
                       capture_output=True, text=True)
# MSBuild ends each diagnostic with the project it belongs to: "... [/path/Project.csproj]" (also for generated files).
pattern = re.compile(r"error RS0016: Symbol '(?P<sym>.+)' is not part of the declared public API.*\[(?P<project>[^\]]+\.csproj)\]\s*$")
found = collections.defaultdict(set)
for line in build.stdout.splitlines():
    m = pattern.search(line.strip())
    if not m:
        continue
    found[os.path.dirname(m.group("project"))].add(m.group("sym"))
for project, symbols in found.items():
    path = os.path.join(project, "PublicAPI.Unshipped.txt")
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    header = [l for l in lines if l.startswith("#")]
    body = sorted(set(l for l in lines if not l.startswith("#")) | symbols, key=lambda s: s.lstrip("~").replace("static ", "").replace("override ", "").replace("abstract ", "").replace("virtual ", "").replace("const ", ""))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join((header or ["#nullable enable"]) + body) + "\n")
    print(f"{path}: +{len(symbols)}")
if not found:
    print("no undeclared public API")
