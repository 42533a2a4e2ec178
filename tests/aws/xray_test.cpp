// SPDX-License-Identifier: Apache-2.0
// X-Ray tracing of AWS calls: the trace header on every DynamoDB and SQS request of a sampled
// invocation, and one subsegment per call sent to a UDP "daemon" (a socket of this test),
// checked field by field: trace id, parent id, id (the Parent of the request's header), times,
// namespace aws, operation, table or queue, http status, error/fault/throttle flags.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "aws/dynamodb_table.h"
#include "aws/sqs_queue.h"
#include "aws/xray.h"
#include "local_server.h"

namespace cartflow::aws {
namespace {

using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

constexpr const char* kRoot = "1-5759e988-bd862e3fe1be46a994272793";
constexpr const char* kParent = "53995c3f42cd8ad8";
const std::string kSampled = std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=1";

// A UDP socket on 127.0.0.1 standing in for the X-Ray daemon.
class UdpDaemon {
 public:
  UdpDaemon() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    timeval guard{10, 0};  // a bound on a hang, not an assertion
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  }
  ~UdpDaemon() { ::close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The next datagram ("" when none came).
  std::string receive() {
    std::string buffer(65536, '\0');
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    buffer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buffer;
  }
  // The next datagram's document, after checking the daemon's header line.
  boost::json::object document() {
    const std::string datagram = receive();
    const std::string header = "{\"format\":\"json\",\"version\":1}\n";
    EXPECT_EQ(datagram.substr(0, header.size()), header) << datagram;
    if (datagram.size() <= header.size()) return {};
    return boost::json::parse(datagram.substr(header.size())).as_object();
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

std::string header_part(const std::string& header, const std::string& name) {
  auto parsed = parse_trace_header(header);
  if (!parsed) return {};
  if (name == "Root") return parsed->root;
  if (name == "Parent") return parsed->parent;
  return parsed->sampled ? "1" : "0";
}

struct Fixture {
  explicit Fixture(LocalServer::Handler handler) : server(std::move(handler)) {
    auto opened = Tracer::open(daemon.address());
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    tracer = std::move(opened.value());
    http.set_tracer(tracer.get());
    dynamodb.set_sleep([](std::chrono::milliseconds) {});
  }
  UdpDaemon daemon;
  LocalServer server;
  std::unique_ptr<Tracer> tracer;
  HttpClient http;
  StaticCredentialsProvider creds{Credentials{"test", "test", "", std::nullopt}};
  JsonClient dynamodb{http, creds, ServiceEndpoint{server.url(), "eu-west-1", "dynamodb"},
                      JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"}};
  JsonClient sqs{http, creds, ServiceEndpoint{server.url(), "eu-west-1", "sqs"}, sqs_protocol()};
  DynamoDbTable table{dynamodb, ports::TableDescription{"Orders", {"PK", std::nullopt}, {}, {}}};
};

TEST(TraceHeader, ParsesRootParentAndSampled) {
  auto h = parse_trace_header(kSampled);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->root, kRoot);
  EXPECT_EQ(h->parent, kParent);
  EXPECT_TRUE(h->sampled);
  h = parse_trace_header("Root=1-a-b; Sampled=0");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->root, "1-a-b");
  EXPECT_EQ(h->parent, "");
  EXPECT_FALSE(h->sampled);
  EXPECT_FALSE(parse_trace_header("").has_value());
  EXPECT_FALSE(parse_trace_header("Parent=1;Sampled=1").has_value());
}

TEST(TracerOpen, RejectsAddressesItCannotUse) {
  EXPECT_FALSE(Tracer::open("no-port").ok());
  EXPECT_FALSE(Tracer::open("tcp:127.0.0.1:2000 tcp:127.0.0.1:2001").ok());
  EXPECT_TRUE(Tracer::open("tcp:127.0.0.1:2000 udp:127.0.0.1:2001").ok());
  EXPECT_TRUE(Tracer::open("").ok());  // 127.0.0.1:2000
}

TEST(XRay, SampledDynamoDbCallCarriesHeaderAndSendsItsSubsegment) {
  std::mutex m;
  std::vector<std::string> headers;
  Fixture f([&](const LocalRequest& r) {
    std::lock_guard lock(m);
    auto it = r.headers.find("x-amzn-trace-id");
    headers.push_back(it == r.headers.end() ? "" : it->second);
    return LocalResponse{200, {{"x-amzn-RequestId", "REQ1"}}, R"({"Item":{"PK":{"S":"a"}}})"};
  });
  f.tracer->begin_invocation(kSampled);
  const double before = std::chrono::duration<double>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  auto got = f.table.get({{{"PK", "a"}}});
  ASSERT_TRUE(got.ok()) << got.error().message;

  const boost::json::object doc = f.daemon.document();
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(header_part(headers[0], "Root"), kRoot);
  EXPECT_EQ(header_part(headers[0], "Sampled"), "1");
  // The service sees our subsegment as its parent.
  EXPECT_EQ(header_part(headers[0], "Parent"), doc.at("id").as_string());
  EXPECT_EQ(doc.at("id").as_string().size(), 16u);
  EXPECT_NE(doc.at("id").as_string(), kParent);
  EXPECT_EQ(doc.at("trace_id").as_string(), kRoot);
  EXPECT_EQ(doc.at("parent_id").as_string(), kParent);
  EXPECT_EQ(doc.at("type").as_string(), "subsegment");
  EXPECT_EQ(doc.at("name").as_string(), "DynamoDB");
  EXPECT_EQ(doc.at("namespace").as_string(), "aws");
  const double start = doc.at("start_time").to_number<double>();
  const double end = doc.at("end_time").to_number<double>();
  EXPECT_GE(start, before - 1);  // printed to the microsecond
  EXPECT_LE(start, end);
  EXPECT_EQ(doc.at("http").at("response").at("status").as_int64(), 200);
  EXPECT_EQ(doc.at("aws").at("operation").as_string(), "GetItem");
  EXPECT_EQ(doc.at("aws").at("table_name").as_string(), "Orders");
  EXPECT_EQ(doc.at("aws").at("region").as_string(), "eu-west-1");
  EXPECT_EQ(doc.at("aws").at("request_id").as_string(), "REQ1");
  EXPECT_EQ(doc.at("aws").at("retries").as_int64(), 0);
  EXPECT_FALSE(doc.contains("error"));
  EXPECT_FALSE(doc.contains("fault"));
  EXPECT_FALSE(doc.contains("throttle"));
}

TEST(XRay, SqsCallNamesItsQueue) {
  Fixture f([](const LocalRequest&) { return LocalResponse{200, {}, "{}"}; });
  SqsQueue queue(f.sqs, "http://127.0.0.1:1/000000000000/UpdateCartProductsSQS");
  f.tracer->begin_invocation(kSampled);
  ASSERT_TRUE(queue.remove("handle-1").ok());
  const boost::json::object doc = f.daemon.document();
  EXPECT_EQ(doc.at("name").as_string(), "SQS");
  EXPECT_EQ(doc.at("aws").at("operation").as_string(), "DeleteMessage");
  EXPECT_EQ(doc.at("aws").at("queue_url").as_string(),
            "http://127.0.0.1:1/000000000000/UpdateCartProductsSQS");
  EXPECT_FALSE(doc.at("aws").as_object().contains("table_name"));
}

TEST(XRay, ErrorsFaultsAndThrottlesAreFlagged) {
  std::mutex m;
  std::string answer;
  Fixture f([&](const LocalRequest&) {
    std::lock_guard lock(m);
    if (answer == "conditional") {
      return LocalResponse{400, {}, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"no"})"};
    }
    if (answer == "throttled") {
      return LocalResponse{400, {}, R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow"})"};
    }
    return LocalResponse{500, {}, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})"};
  });
  f.tracer->begin_invocation(kSampled);
  auto set = [&](const char* a) {
    std::lock_guard lock(m);
    answer = a;
  };

  set("conditional");
  EXPECT_FALSE(f.table.get({{{"PK", "a"}}}).ok());
  boost::json::object doc = f.daemon.document();
  EXPECT_EQ(doc.at("http").at("response").at("status").as_int64(), 400);
  EXPECT_TRUE(doc.at("error").as_bool());
  EXPECT_FALSE(doc.contains("fault"));
  EXPECT_FALSE(doc.contains("throttle"));
  EXPECT_EQ(doc.at("cause").at("exceptions").at(0).at("type").as_string(),
            "ConditionalCheckFailedException");

  set("throttled");
  EXPECT_FALSE(f.table.get({{{"PK", "a"}}}).ok());
  doc = f.daemon.document();  // one subsegment for the call, its retries counted in it
  EXPECT_TRUE(doc.at("error").as_bool());
  EXPECT_TRUE(doc.at("throttle").as_bool());
  EXPECT_GT(doc.at("aws").at("retries").as_int64(), 0);

  set("fault");
  EXPECT_FALSE(f.table.get({{{"PK", "a"}}}).ok());
  doc = f.daemon.document();
  EXPECT_EQ(doc.at("http").at("response").at("status").as_int64(), 500);
  EXPECT_TRUE(doc.at("fault").as_bool());
  EXPECT_FALSE(doc.contains("error"));
}

TEST(XRay, UnsampledOrUntracedCallsSendNothingAndPropagateOnlyWhatCame) {
  std::mutex m;
  std::vector<std::string> headers;
  Fixture f([&](const LocalRequest& r) {
    std::lock_guard lock(m);
    auto it = r.headers.find("x-amzn-trace-id");
    headers.push_back(it == r.headers.end() ? "(none)" : it->second);
    return LocalResponse{200, {}, "{}"};
  });
  ASSERT_TRUE(f.table.get({{{"PK", "before"}}}).ok());  // no invocation yet
  f.tracer->begin_invocation(std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=0");
  ASSERT_TRUE(f.table.get({{{"PK", "unsampled"}}}).ok());
  f.tracer->end_invocation();
  ASSERT_TRUE(f.table.get({{{"PK", "after"}}}).ok());
  f.tracer->begin_invocation("");  // Lambda without a trace header
  ASSERT_TRUE(f.table.get({{{"PK", "none"}}}).ok());
  f.tracer->begin_invocation(kSampled);
  ASSERT_TRUE(f.table.get({{{"PK", "sampled"}}}).ok());

  ASSERT_EQ(headers.size(), 5u);
  EXPECT_EQ(headers[0], "(none)");
  EXPECT_EQ(headers[1], std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=0");
  EXPECT_EQ(headers[2], "(none)");
  EXPECT_EQ(headers[3], "(none)");
  // The first datagram the daemon gets is the sampled call's: the others sent none.
  const boost::json::object doc = f.daemon.document();
  EXPECT_EQ(header_part(headers[4], "Parent"), doc.at("id").as_string());
}

TEST(XRay, SubsegmentDocumentListsEveryTableOfATransaction) {
  AwsSubsegment s;
  s.name = "DynamoDB";
  s.id = "0123456789abcdef";
  s.trace_id = kRoot;
  s.parent_id = kParent;
  s.operation = "TransactWriteItems";
  s.table_names = {"A", "B"};
  const auto doc = boost::json::parse(subsegment_document(s)).as_object();
  EXPECT_EQ(doc.at("aws").at("table_names").as_array().size(), 2u);
  EXPECT_FALSE(doc.at("aws").as_object().contains("table_name"));
  EXPECT_FALSE(doc.at("http").as_object().contains("response"));  // no response: none written
}

}  // namespace
}  // namespace cartflow::aws
