#!/usr/bin/env python3
"""Finds test code that Swift 6.3 compiles into the wrong closure.

Inside a closure, a closure written in the argument of an expression macro (`#expect`,
`#require`) and a later plain closure of the same type can be given the same discriminator.
They then get one mangled name, and the compiler emits one body for both: one of the two runs
the other's code. Seen here: after `try #require(all.first { $0.x == a })` inside
`rig.run { … }`, `all.filter { $0.y == b }` returned what the first predicate selected, and an
assertion over it passed or failed for the wrong reason. At a function's top level it does not
happen.

The check reads the compiler's own view, not the text: it asks the Swift frontend for the
type-checked AST (`-dump-ast`) of every module compiled from `Tests/`, with the arguments the
debug build used (from `.build/debug.yaml`, so run it after `swift build --build-tests` or
`swift test`), and lists every pair of emitted closures of one type with one discriminator in
one context, where one of them comes from a macro expansion. Exit status 1 when there is any.

Fix a reported place by taking the closure out of the macro:
    let sent = frames.contains { $0.mt == "X" }
    #expect(sent)

`--self-test` first runs the check on a small file that has the defect, and fails if it is not
found: a compiler whose AST output reads differently must not make the check pass silently.
"""
import collections
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

NODE = re.compile(r"\((?:\w+=)?(closure_expr|autoclosure_expr|func_decl|accessor_decl|constructor_decl|destructor_decl)\b(.*)$")
RANGE = re.compile(r"range=\[(\S+?):(\d+):(\d+) - line:(\d+):(\d+)\]")
DISCRIMINATOR = re.compile(r"discriminator=(\d+)")
TYPE = re.compile(r'type="([^"]*)"')
# A freestanding macro's buffer names the expansion site: ...<len><File>swift_...MX<line>_<column>_...
# (line and column counted from 0).
SITE = re.compile(r"MX(\d+)_(\d+)_")
SITE_FILE = re.compile(r"\d{4}([A-Za-z0-9_]+?)swift_")
# A freestanding expression macro's buffer ends in `fMf_`, `fMf0_`, …
FREESTANDING = re.compile(r"fMf\d*_\.swift$")
CONTEXTS = ("func_decl", "accessor_decl", "constructor_decl", "destructor_decl", "closure_expr", "autoclosure_expr")


def is_macro_buffer(name):
    return name.startswith("@__swiftmacro")


def collisions(ast_lines):
    """Pairs of emitted closures sharing type, discriminator and context, one from a macro."""
    nodes = {}
    macro_arguments = collections.defaultdict(list)
    for line in ast_lines:
        if "(macro_expansion_expr" in line:
            found = RANGE.search(line)
            if found:
                start = (int(found.group(2)), int(found.group(3)))
                end = (int(found.group(4)), int(found.group(5)))
                macro_arguments[found.group(1)].append((start, end))
            continue
        match = NODE.search(line)
        if not match:
            continue
        kind, rest = match.groups()
        found = RANGE.search(rest)
        if not found:
            continue
        buffer = found.group(1)
        start = (int(found.group(2)), int(found.group(3)))
        end = (int(found.group(4)), int(found.group(5)))
        discriminator = DISCRIMINATOR.search(rest)
        closure_type = TYPE.search(rest)
        nodes[(kind, buffer, start)] = (
            kind, buffer, start, end,
            int(discriminator.group(1)) if discriminator else None,
            closure_type.group(1) if closure_type else "",
        )

    by_buffer = collections.defaultdict(list)
    for node in nodes.values():
        by_buffer[node[1]].append(node)

    def innermost(candidates):
        return max(candidates, key=lambda n: (n[2], (-n[3][0], -n[3][1]))) if candidates else None

    def source_buffer(file_name):
        for buffer in by_buffer:
            if buffer == file_name or buffer.endswith("/" + file_name):
                return buffer
        return None

    unresolved = set()
    groups = collections.defaultdict(set)
    for kind, buffer, start, end, discriminator, closure_type in nodes.values():
        if kind not in ("closure_expr", "autoclosure_expr") or discriminator is None:
            continue
        # An argument as written inside a macro is replaced by the expansion and never emitted.
        if any(a <= start and end <= b for a, b in macro_arguments.get(buffer, [])):
            continue
        parent = innermost([n for n in by_buffer[buffer]
                            if n[0] in CONTEXTS and n[2] <= start and end <= n[3] and (n[2], n[3]) != (start, end)])
        if parent is None and is_macro_buffer(buffer):
            if not FREESTANDING.search(buffer):
                continue  # an attached macro's code (`@Test`, `@Suite`) stands beside declarations, not in a body
            site, site_file = SITE.search(buffer), SITE_FILE.search(buffer)
            source = source_buffer(site_file.group(1) + ".swift") if site and site_file else None
            if source is None:
                unresolved.add(buffer)
                continue
            point = (int(site.group(1)) + 1, int(site.group(2)) + 1)
            parent = innermost([n for n in by_buffer[source] if n[0] in CONTEXTS and n[2] <= point <= n[3]])
        if parent is None:
            continue
        groups[(parent[1], parent[2], kind, discriminator, closure_type)].add((buffer, start))

    found = []
    for key, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        buffers = [buffer for buffer, _ in members]
        from_macro = [b for b in buffers if is_macro_buffer(b)]
        if not from_macro or (len(from_macro) == len(buffers) and len(set(buffers)) == len(buffers)):
            continue  # closures in different macro expansions are named apart
        found.append((key, sorted(members)))
    return found, unresolved


def site_text(buffer, start):
    if not is_macro_buffer(buffer):
        return f"{os.path.relpath(buffer, ROOT)}:{start[0]}:{start[1]}"
    site, site_file = SITE.search(buffer), SITE_FILE.search(buffer)
    if site and site_file:
        return f"the macro at {site_file.group(1)}.swift:{int(site.group(1)) + 1}:{int(site.group(2)) + 1}"
    return buffer


def frontend_jobs(module, manifest):
    """The debug build's frontend invocations for `module`, each turned into an AST dump."""
    match = re.search(r'"C\.%s-[^"]*-debug\.module":\n(?:    .*\n)*?    args: (\[.*\])\n' % re.escape(module), manifest)
    if not match:
        return []
    driver = [a for a in json.loads(match.group(1))
              if a not in ("-emit-dependencies", "-emit-module", "-incremental", "-enable-batch-mode", "-parseable-output")]
    for flag in ("-emit-module-path", "-output-file-map", "-index-store-path", "-emit-objc-header-path"):
        while flag in driver:
            index = driver.index(flag)
            del driver[index:index + 2]
    planned = subprocess.run(driver + ["-###"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    jobs = []
    value_flags = {"-o", "-emit-module-doc-path", "-emit-module-source-info-path", "-emit-dependencies-path",
                   "-serialize-diagnostics-path", "-emit-reference-dependencies-path", "-index-store-path",
                   "-emit-const-values-path", "-index-unit-output-path"}
    for line in planned.splitlines():
        if " -frontend " not in line or " -c " not in line:
            continue
        arguments, skip = [], False
        for argument in shlex.split(line):
            if skip:
                skip = False
            elif argument in value_flags:
                skip = True
            else:
                arguments.append("-dump-ast" if argument == "-c" else argument)
        jobs.append(arguments)
    return jobs


def dump(arguments):
    process = subprocess.run(arguments, capture_output=True, text=True, cwd=ROOT)
    if process.returncode != 0:
        raise RuntimeError(f"the Swift frontend failed:\n{process.stderr[-2000:]}")
    return process.stdout


def report(module, found, unresolved):
    for (context_buffer, context_start, kind, discriminator, closure_type), members in found:
        print(f"{module}: two {closure_type} closures share discriminator {discriminator} "
              f"in the context at {site_text(context_buffer, context_start)}; one runs the other's body:")
        for buffer, start in members:
            print(f"    {site_text(buffer, start)}")
    for buffer in sorted(unresolved):
        print(f"{module}: cannot tell where the macro expansion {buffer} is; the check cannot vouch for it")
    return len(found) + len(unresolved)


def self_test():
    source = """import Testing
func body(_ run: () throws -> Void) rethrows { try run() }
@Test func defect() throws {
    try body {
        let all = [1, 2, 3, 4]
        #expect(all.contains { $0 == 2 })
        let larger = all.filter { $0 > 2 }
        #expect(larger == [3, 4])
    }
}
"""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "Defect.swift")
        with open(path, "w") as file:
            file.write(source)
        ast = dump(["swiftc", "-parse-as-library", "-dump-ast", path])
    found, _ = collisions(ast.splitlines())
    if not found:
        print("check-test-closures: the self-test's defect was not found; the check does not work with this compiler")
        return False
    return True


def main():
    if "--self-test" in sys.argv and not self_test():
        return 2
    try:
        manifest = open(os.path.join(ROOT, ".build", "debug.yaml")).read()
    except FileNotFoundError:
        print("check-test-closures: no .build/debug.yaml; run `swift build --build-tests` first")
        return 2
    modules = sorted(set(re.findall(r'"C\.(\w+)-[^"]*-debug\.module":\n    tool: shell\n    inputs: \["%s/Tests/' % re.escape(ROOT), manifest)))
    if not modules:
        print("check-test-closures: .build/debug.yaml names no module compiled from Tests/; has SwiftPM's manifest changed?")
        return 2
    problems = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for module in modules:
            lines = []
            for text in pool.map(dump, frontend_jobs(module, manifest)):
                lines.extend(text.splitlines())
            problems += report(module, *collisions(lines))
    if problems:
        print(f"check-test-closures: {problems} place(s) above; take each closure out of its macro (see this script's header)")
        return 1
    print(f"check-test-closures: no closure shares its name with another in {len(modules)} test modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
