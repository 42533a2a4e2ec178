// SPDX-License-Identifier: Apache-2.0
// The OpenAPI document describes exactly the routes the router serves, and is served.
#include <set>

#include "api_fixture.h"
#include "functions/api_openapi.h"

namespace cartflow::api_testing {
namespace {

using RouteSet = std::set<std::pair<std::string, std::string>>;

RouteSet documented_routes(std::string_view json) {
  RouteSet routes;
  auto doc = model::parse_plain_json(json);
  EXPECT_TRUE(doc.ok());
  if (!doc.ok() || doc->as_m() == nullptr) return routes;
  const auto& paths = *doc->as_m()->at("paths").as_m();
  for (const auto& [path, operations] : paths) {
    for (const auto& [method, op] : *operations.as_m()) {
      static const std::set<std::string> kMethods{"get", "put", "post", "delete", "patch",
                                                  "head", "options", "trace"};
      if (kMethods.count(method) == 0) continue;
      std::string upper = method;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      routes.emplace(upper, path);
    }
  }
  return routes;
}

TEST(ApiOpenApi, DocumentsExactlyTheRouterRoutes) {
  RouteSet served;
  for (const auto& route : functions::api_routes()) {
    served.emplace(std::string(route.method), std::string(route.path_template));
  }
  EXPECT_EQ(documented_routes(functions::openapi_json()), served);
  EXPECT_EQ(served.size(), 13u);
}

TEST(ApiOpenApi, EmbeddedYamlIsTheRepositoryFile) {
  std::string path = std::string(CARTFLOW_SOURCE_DIR) + "/openapi.yaml";
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  EXPECT_EQ(functions::openapi_yaml(), text);
}

TEST_F(ApiTest, ServesOpenApiJsonAndYaml) {
  auto json = get("/openapi.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.str("openapi").substr(0, 2), "3.");
  EXPECT_EQ(json.raw.header("Content-Type"), "application/json");
  auto yaml = get("/openapi.yaml");
  ASSERT_EQ(yaml.status, 200);
  EXPECT_EQ(yaml.raw.header("Content-Type"), "application/yaml");
  EXPECT_NE(yaml.raw.body.find("openapi: 3."), std::string::npos);
}

}  // namespace
}  // namespace cartflow::api_testing
