// SPDX-License-Identifier: Apache-2.0
#pragma once

// Events of the reference workshop's flow, written out as API Gateway (stage Dev) hands them to
// Lambda for a REST proxy integration (payload 1.0).

#include <optional>
#include <string>

#include "model/dynamo_json.h"

namespace cartflow::api_testing {

// A REST proxy v1 event, written out as Lambda receives it.
inline std::string workshop_event(const std::string& method, const std::string& resource,
                           const std::string& path, const std::string& path_parameters,
                           const std::optional<std::string>& body) {
  std::string body_json = "null";
  if (body) {
    body_json.clear();
    model::append_json_string(body_json, *body);
  }
  return R"ev({
  "resource": ")ev" + resource + R"ev(",
  "path": ")ev" + path + R"ev(",
  "httpMethod": ")ev" + method + R"ev(",
  "headers": {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate, br",
    "CloudFront-Forwarded-Proto": "https",
    "CloudFront-Is-Desktop-Viewer": "true",
    "CloudFront-Viewer-Country": "US",
    "Content-Type": "application/json",
    "Host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    "Postman-Token": "5f1c1f0e-8a7a-4f4e-9d6a-0d2a1b3c4d5e",
    "User-Agent": "PostmanRuntime/7.36.0",
    "Via": "1.1 7f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d.cloudfront.net (CloudFront)",
    "X-Amz-Cf-Id": "kXmpl3C5-0sVtQ8Hcz1JQbH2yF0m9O3eC1o2a3Lw4p5Q6r7S8t9U0v==",
    "X-Amzn-Trace-Id": "Root=1-65f1c2d3-4e5f6a7b8c9d0e1f2a3b4c5d",
    "x-api-key": "Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p",
    "X-Forwarded-For": "198.51.100.23, 130.176.0.1",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https"
  },
  "multiValueHeaders": {
    "Accept": ["*/*"],
    "Content-Type": ["application/json"],
    "Host": ["a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"],
    "User-Agent": ["PostmanRuntime/7.36.0"],
    "x-api-key": ["Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p"],
    "X-Forwarded-For": ["198.51.100.23, 130.176.0.1"],
    "X-Forwarded-Port": ["443"],
    "X-Forwarded-Proto": ["https"]
  },
  "queryStringParameters": null,
  "multiValueQueryStringParameters": null,
  "pathParameters": )ev" + path_parameters + R"ev(,
  "stageVariables": null,
  "requestContext": {
    "resourceId": "x1y2z3",
    "resourcePath": ")ev" + resource + R"ev(",
    "httpMethod": ")ev" + method + R"ev(",
    "extendedRequestId": "UvXmplFJIAMEbXg=",
    "requestTime": "01/May/2024:12:00:00 +0000",
    "path": "/Dev)ev" + path + R"ev(",
    "accountId": "123456789012",
    "protocol": "HTTP/1.1",
    "stage": "Dev",
    "domainPrefix": "a1b2c3d4e5",
    "requestTimeEpoch": 1714564800000,
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "identity": {
      "cognitoIdentityPoolId": null,
      "cognitoIdentityId": null,
      "apiKey": "Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p",
      "principalOrgId": null,
      "cognitoAuthenticationType": null,
      "userArn": null,
      "apiKeyId": "k9xmpl7d2e",
      "userAgent": "PostmanRuntime/7.36.0",
      "accountId": null,
      "caller": null,
      "sourceIp": "198.51.100.23",
      "accessKey": null,
      "cognitoAuthenticationProvider": null,
      "user": null
    },
    "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    "apiId": "a1b2c3d4e5"
  },
  "body": )ev" + body_json + R"ev(,
  "isBase64Encoded": false
})ev";
}

}  // namespace cartflow::api_testing
