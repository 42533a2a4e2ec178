#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Embeds the web pages (src/web/pages) into a C++ source: each file with the URL path it is
served at, its Content-Type and an ETag computed here from its bytes (see web/assets.h).

Usage: embed_pages.py out.cpp URL=FILE...
"""
import hashlib
import os
import sys

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def as_array(name: str, data: bytes) -> str:
    lines = []
    for start in range(0, len(data), 24):
        lines.append("  " + ",".join(str(b) for b in data[start:start + 24]) + ",")
    return "const unsigned char %s[] = {\n%s\n  0};\n" % (name, "\n".join(lines))


def main() -> int:
    out, pairs = sys.argv[1], sys.argv[2:]
    arrays, entries = [], []
    for i, pair in enumerate(sorted(pairs)):
        url, path = pair.split("=", 1)
        ext = os.path.splitext(path)[1]
        if ext not in TYPES:
            print("embed_pages.py: no Content-Type for %s" % path, file=sys.stderr)
            return 1
        with open(path, "rb") as f:
            data = f.read()
        etag = '\\"%s\\"' % hashlib.sha256(data).hexdigest()[:20]
        arrays.append(as_array("kFile%d" % i, data))
        entries.append('  {"%s", "%s", "%s", {reinterpret_cast<const char*>(kFile%d), %d}},'
                       % (url, TYPES[ext], etag, i, len(data)))
    cpp = (
        "// SPDX-License-Identifier: Apache-2.0\n"
        "// Generated from src/web/pages by src/web/embed_pages.py. Do not edit.\n"
        '#include "web/assets.h"\n\n'
        "namespace cartflow::web {\n\nnamespace {\n"
        + "".join(arrays)
        + "const Asset kAssets[] = {\n" + "\n".join(entries) + "\n};\n"
        "}  // namespace\n\n"
        "const Asset* find_asset(std::string_view path) {\n"
        "  for (const Asset& asset : kAssets) {\n"
        "    if (asset.path == path) return &asset;\n"
        "  }\n"
        "  return nullptr;\n}\n\n"
        "}  // namespace cartflow::web\n"
    )
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(cpp)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
