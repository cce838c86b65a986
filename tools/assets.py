#!/usr/bin/env python3
"""Finishes the SPA build in frontend/dist: content-hashed asset names, precompressed copies, and
the two size budgets.

  assets.py DIST FIRST_VISIT_BUDGET ROUTE_BUDGET [ROUTES_RS]

DIST holds what `make frontend` made: the shell (trellis.js, trellis_bg.wasm), the route splitter's
loader and chunks (split/__wasm_split.js, split/split_*.wasm, split/chunk_*.wasm) and the static
files (index.html, boot.js, style.css, favicon.svg, favicon.ico).

Every asset moves to DIST/assets/<name>.<hash>.<ext> and every reference to it is rewritten
(index.html, boot.js, the loader's chunk names, the two modules that import each other). The two
modules, trellis.js and __wasm_split.js, import each other, so neither can carry a hash of its own
final bytes: both take one build hash over everything they refer to, which still changes whenever
any byte they could load changes. A brotli (quality 11) and a gzip (level 9) copy of every file is
written beside it.

Then the budgets, brotli as served:
- the first visit (index.html, css, icon, boot.js, both modules, the shell's wasm: the shell,
  sign-in and home pages) must stay within FIRST_VISIT_BUDGET: the build fails above it;
- each part of the app's extra download (its own file and every shared chunk it loads), which
  every route of the part pays on its first visit, is measured against ROUTE_BUDGET and reported;
  it becomes a gate once every part fits (issue 28).
ROUTES_RS (frontend/src/routes.rs) names each part's addresses.
DIST/sizes.json records the numbers for the benchmark. Sizes are deterministic for a given build.
"""

import gzip
import hashlib
import json
import os
import re
import sys

import brotli


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def hashed(name: str, data: bytes) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.{digest(data)}.{ext}"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def parts_of(routes_rs: str) -> dict:
    """Each part of the app and its addresses, from routes.rs's
    `delivery / __wasm_split_preload_delivery { Cohorts => pages::…, "/cohorts"; … }`."""
    if not routes_rs:
        return {}
    text = open(routes_rs).read()
    return {part: re.findall(r'=> [\w:]+, "([^"]+)";', body)
            for part, body in re.findall(r"^    (\w+) / __wasm_split_preload_\w+ \{(.*?)^    \}", text, re.M | re.S)}


def main() -> int:
    dist, first_budget, route_budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    parts = parts_of(sys.argv[4] if len(sys.argv) > 4 else "")
    assets = os.path.join(dist, "assets")
    split = os.path.join(dist, "split")
    os.makedirs(assets, exist_ok=True)
    read = lambda path: open(path, "rb").read()
    out = {}  # final asset name -> bytes

    # The chunks the loader fetches, named by their own content.
    loader = read(os.path.join(split, "__wasm_split.js")).decode()
    chunk_names = {}
    for name in sorted(os.listdir(split)):
        if name.endswith(".wasm"):
            data = read(os.path.join(split, name))
            chunk_names[name] = hashed(name, data)
            out[chunk_names[name]] = data
            if f'"./{name}"' not in loader:
                raise SystemExit(f"__wasm_split.js does not reference ./{name}")
            loader = loader.replace(f'"./{name}"', f'"./{chunk_names[name]}"')

    wasm = read(os.path.join(dist, "trellis_bg.wasm"))
    wasm_name = hashed("trellis_bg.wasm", wasm)
    out[wasm_name] = wasm
    app = read(os.path.join(dist, "trellis.js")).decode()
    build = digest((app + loader + wasm_name).encode())
    app_name, loader_name = f"trellis.{build}.js", f"__wasm_split.{build}.js"
    # Only the module specifiers: the wasm's import key './__wasm_split.js' stays as it is.
    app, n = re.subn(r"""(from\s*)(['"])\./__wasm_split\.js\2""", rf"\1\2./{loader_name}\2", app)
    if n == 0:
        raise SystemExit("trellis.js does not import ./__wasm_split.js: is the route splitter in the build?")
    loader, n = re.subn(r"""(from\s*)(['"])\./trellis\.js\2""", rf"\1\2./{app_name}\2", loader)
    if n != 1:
        raise SystemExit("__wasm_split.js does not import ./trellis.js once")
    out[app_name], out[loader_name] = app.encode(), loader.encode()

    names = {"trellis.js": app_name, "__wasm_split.js": loader_name, "trellis_bg.wasm": wasm_name}
    for name in ("style.css", "favicon.svg"):
        data = read(os.path.join(dist, name))
        names[name] = hashed(name, data)
        out[names[name]] = data
    # boot.js names the app's files, so it is hashed after they are renamed inside it.
    boot = read(os.path.join(dist, "boot.js")).decode()
    for old in ("trellis.js", "trellis_bg.wasm"):
        if f'"/{old}"' not in boot:
            raise SystemExit(f"boot.js does not reference /{old}")
        boot = boot.replace(f'"/{old}"', f'"/assets/{names[old]}"')
    names["boot.js"] = hashed("boot.js", boot.encode())
    out[names["boot.js"]] = boot.encode()

    index = read(os.path.join(dist, "index.html")).decode()
    for old, new in names.items():
        if f'"/{old}"' not in index:
            raise SystemExit(f"index.html does not reference /{old}")
        index = index.replace(f'"/{old}"', f'"/assets/{new}"')

    for name, data in out.items():
        with open(os.path.join(assets, name), "wb") as f:
            f.write(data)
    for name in ("trellis.js", "trellis_bg.wasm", "style.css", "favicon.svg", "boot.js"):
        os.remove(os.path.join(dist, name))
    for name in os.listdir(split):
        os.remove(os.path.join(split, name))
    os.rmdir(split)
    with open(os.path.join(dist, "index.html"), "w") as f:
        f.write(index)

    served = {}  # file as the browser asks for it -> (raw, gzip, brotli)
    for rel in [os.path.join("assets", n) for n in sorted(out)] + ["index.html", "favicon.ico"]:
        path = os.path.join(dist, rel)
        data = read(path)
        br = brotli.compress(data, quality=11)
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        open(path + ".br", "wb").write(br)
        open(path + ".gz", "wb").write(gz)
        served[rel] = (len(data), len(gz), len(br))

    def br(name: str) -> int:
        return served[os.path.join("assets", name)][2]

    first = ["index.html"] + [os.path.join("assets", names[n]) for n in
                              ("style.css", "favicon.svg", "boot.js", "trellis.js", "__wasm_split.js", "trellis_bg.wasm")]
    first_total = sum(served[f][2] for f in first)

    # Each route's loader: `export const __wasm_split_load_<split> = wrapAsyncCb(makeLoad(<fetch of
    # its own file>, [<shared chunks>]))`; each shared chunk: `const __chunk_N = makeLoad(<fetch>, [])`.
    chunk_vars = {v: f for v, f in re.findall(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([^"]+)"', loader)}
    routes = []
    for split_name, body, deps in re.findall(
        r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\((.*?)\n, \[([^\]]*)\]\)\);", loader, re.S
    ):
        own = re.search(r'new URL\("\./([^"]+)"', body)
        files = ([own.group(1)] if own else []) + [chunk_vars[d.strip()] for d in deps.split(",") if d.strip()]
        routes.append((split_name, sum(br(f) for f in files), len(files)))
    if parts and sorted(r for r, _, _ in routes) != sorted(parts):
        raise SystemExit(f"the splitter made {sorted(r for r, _, _ in routes)}, routes.rs names {sorted(parts)}")

    print(f"{'SPA file':<58} {'raw':>10} {'gzip':>9} {'brotli':>9}")
    for rel, (raw, gz, b) in sorted(served.items(), key=lambda kv: -kv[1][2]):
        print(f"{rel:<58} {raw:>10,} {gz:>9,} {b:>9,}")
    print(f"\n{'first visit (shell, sign-in, home), brotli':<58} {first_total:>30,}  budget {first_budget:,}")
    print(f"{'part of the app: extra download on its first page (files)':<58} {'':>20} {'brotli':>9}")
    for route, total, count in sorted(routes, key=lambda r: -r[1]):
        print(f"  {route:<56} {count:>20} {total:>9,}  ({', '.join(parts.get(route, []))})")
    everything = sum(b for _, _, b in served.values())
    print(f"{'everything, brotli':<58} {everything:>30,}")

    with open(os.path.join(dist, "sizes.json"), "w") as f:
        json.dump({"first_visit": first_total, "first_visit_budget": first_budget, "route_budget": route_budget,
                   "everything": everything, "parts": {r: {"brotli": t, "files": n, "routes": parts.get(r, [])} for r, t, n in routes},
                   "files": {k: v[2] for k, v in served.items()}}, f, indent=1, sort_keys=True)

    if first_total > first_budget:
        print(f"SPA first-visit budget exceeded: {first_total:,} B brotli > {first_budget:,} B (see BENCHMARKS.md)")
        return 1
    print(f"within the first-visit budget of {first_budget:,} B brotli")
    # Not yet a gate (issue 28 stays open): three parts are over it by their code's size, not by
    # how they are cut (BENCHMARKS.md). The number is the goal; it is never raised to fit.
    over = [(r, t) for r, t, _ in routes if t > route_budget]
    for route, total in over:
        print(f"SPA route budget NOT met: the {route} part ({', '.join(parts.get(route, []))}) "
              f"downloads {total:,} B brotli > {route_budget:,} B")
    if not over:
        print(f"every part within the route budget of {route_budget:,} B brotli")
    return 0


if __name__ == "__main__":
    sys.exit(main())
