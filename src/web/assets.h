// SPDX-License-Identifier: Apache-2.0
#pragma once

// The web pages' static files (src/web/pages), embedded in the binary at build time by
// embed_pages.py: no file is looked up at run time. Each has its Content-Type and an ETag (a
// SHA-256 prefix of its bytes, computed at build time).

#include <string_view>

namespace cartflow::web {

struct Asset {
  std::string_view path;          // the URL path it is served at: "/", "/console", "/static/..."
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view etag;          // quoted, as sent: "\"3f2a...\""
  std::string_view body;
};

// The asset served at `path` (no query string); nullptr when none. Thread-safe (constant data).
const Asset* find_asset(std::string_view path);

}  // namespace cartflow::web
