#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Embeds openapi.yaml into a C++ source as YAML and as JSON (converted here, at build time).

Usage: api_openapi_embed.py openapi.yaml out.cpp
"""
import json
import sys

import yaml


def as_array(name: str, data: bytes) -> str:
    lines = []
    for start in range(0, len(data), 24):
        lines.append("  " + ",".join(str(b) for b in data[start:start + 24]) + ",")
    return ("const unsigned char %s[] = {\n%s\n  0};\n" % (name, "\n".join(lines)))


def main() -> int:
    source, out = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        text = f.read()
    document = yaml.safe_load(text)
    as_json = json.dumps(document, indent=2, sort_keys=False).encode("utf-8")
    cpp = (
        "// SPDX-License-Identifier: Apache-2.0\n"
        "// Generated from openapi.yaml by src/functions/api_openapi_embed.py. Do not edit.\n"
        '#include "functions/api_openapi.h"\n\n'
        "namespace cartflow::functions {\n\nnamespace {\n"
        + as_array("kYaml", text)
        + as_array("kJson", as_json)
        + "}  // namespace\n\n"
        "std::string_view openapi_yaml() {\n"
        "  return {reinterpret_cast<const char*>(kYaml), sizeof(kYaml) - 1};\n}\n"
        "std::string_view openapi_json() {\n"
        "  return {reinterpret_cast<const char*>(kJson), sizeof(kJson) - 1};\n}\n\n"
        "}  // namespace cartflow::functions\n"
    )
    with open(out, "w") as f:
        f.write(cpp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
