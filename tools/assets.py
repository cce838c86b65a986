#!/usr/bin/env python3
"""Finishes the SPA build in frontend/dist: content-hashed asset names, precompressed copies, and
the size budget.

  assets.py DIST BUDGET_BYTES

Moves trellis.js, trellis_bg.wasm, boot.js and style.css to DIST/assets/<name>.<hash>.<ext>,
rewrites the references in boot.js and index.html, writes a brotli (quality 11) and a gzip
(level 9) copy of every file, prints what a browser downloads, and fails when everything a first
visit downloads (index.html, wasm, js, css), brotli-compressed as served, exceeds BUDGET_BYTES.
Sizes are deterministic for a given build.
"""

import gzip
import hashlib
import os
import sys

import brotli


def hashed(name: str, data: bytes) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:16]}.{ext}"


def main() -> int:
    dist, budget = sys.argv[1], int(sys.argv[2])
    assets = os.path.join(dist, "assets")
    os.makedirs(assets, exist_ok=True)
    read = lambda n: open(os.path.join(dist, n), "rb").read()

    names = {}
    for name in ("trellis_bg.wasm", "trellis.js", "style.css"):
        names[name] = hashed(name, read(name))
    # boot.js names the other two, so it is hashed after they are renamed inside it.
    boot = read("boot.js").decode()
    for old in ("trellis.js", "trellis_bg.wasm"):
        boot = boot.replace(f"/{old}", f"/assets/{names[old]}")
    names["boot.js"] = hashed("boot.js", boot.encode())

    index = read("index.html").decode()
    for old, new in names.items():
        if f'"/{old}"' not in index:
            raise SystemExit(f"index.html does not reference /{old}")
        index = index.replace(f'"/{old}"', f'"/assets/{new}"')

    for old, new in names.items():
        data = boot.encode() if old == "boot.js" else read(old)
        with open(os.path.join(assets, new), "wb") as f:
            f.write(data)
        os.remove(os.path.join(dist, old))
    with open(os.path.join(dist, "index.html"), "w") as f:
        f.write(index)

    rows, total = [], 0
    files = [os.path.join("assets", n) for n in names.values()] + ["index.html"]
    for rel in files:
        path = os.path.join(dist, rel)
        data = open(path, "rb").read()
        br = brotli.compress(data, quality=11)
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        open(path + ".br", "wb").write(br)
        open(path + ".gz", "wb").write(gz)
        rows.append((rel, len(data), len(gz), len(br)))
        total += len(br)
    print(f"{'SPA file':<46} {'raw':>10} {'gzip':>9} {'brotli':>9}")
    for rel, raw, gz, br in rows:
        print(f"{rel:<46} {raw:>10,} {gz:>9,} {br:>9,}")
    print(f"{'total as served (brotli)':<46} {'':>10} {'':>9} {total:>9,}")
    if total > budget:
        print(f"SPA size budget exceeded: {total:,} B brotli > {budget:,} B (see BENCHMARKS.md)")
        return 1
    print(f"within the SPA budget of {budget:,} B brotli")
    return 0


if __name__ == "__main__":
    sys.exit(main())
