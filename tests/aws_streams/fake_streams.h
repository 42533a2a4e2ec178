// SPDX-License-Identifier: Apache-2.0
#pragma once

// FakeStreams: a scripted DynamoDB Streams endpoint (DescribeStream one shard per page,
// GetShardIterator, GetRecords) on a LocalServer, with faults: expired iterators and trimmed
// records. Iterators are "it|<shard>|<index>"; sequence numbers are 21-digit decimals of one
// counter. Thread-safe.

#include <simdjson.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "local_server.h"

namespace cartflow::aws::testing {

class FakeStreams {
 public:
  struct Shard {
    std::string id;
    std::string parent;
    std::vector<std::string> seqs;
    bool closed = false;
    std::size_t trimmed = 0;  // records [0, trimmed) are gone
  };

  FakeStreams() : server_([this](const LocalRequest& r) { return handle(r); }) {}

  std::string url() const { return server_.url(); }

  void add_shard(std::string id, std::string parent = "") {
    std::lock_guard lock(mutex_);
    shards_.push_back({std::move(id), std::move(parent), {}, false, 0});
  }
  // Appends a record to shard `id`; returns its sequence number.
  std::string put(const std::string& id) {
    std::lock_guard lock(mutex_);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%021d", ++counter_);
    find(id).seqs.push_back(buf);
    return buf;
  }
  void close(const std::string& id) {
    std::lock_guard lock(mutex_);
    find(id).closed = true;
  }
  void remove_shard(const std::string& id) {
    std::lock_guard lock(mutex_);
    std::erase_if(shards_, [&](const Shard& s) { return s.id == id; });
  }
  void trim(const std::string& id, std::size_t count) {
    std::lock_guard lock(mutex_);
    find(id).trimmed = count;
  }
  // The next `n` GetRecords calls answer ExpiredIteratorException.
  void expire_next(int n) {
    std::lock_guard lock(mutex_);
    expire_ = n;
  }
  int calls(const std::string& op) {
    std::lock_guard lock(mutex_);
    return calls_[op];
  }
  std::vector<std::string> requests(const std::string& op) {
    std::lock_guard lock(mutex_);
    return bodies_[op];
  }

 private:
  Shard& find(const std::string& id) {
    for (auto& s : shards_) {
      if (s.id == id) return s;
    }
    std::abort();
  }
  static LocalResponse error(const std::string& type) {
    return {400, {}, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"scripted\"}"};
  }
  static std::string record(const Shard& s, std::size_t i) {
    const std::string& seq = s.seqs[i];
    return R"({"eventID":"e)" + seq + R"(","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"ddblocal","dynamodb":{"ApproximateCreationDateTime":1700000000.25,"Keys":{"PK":{"S":")" +
           s.id + "#" + seq + R"("}},"NewImage":{"PK":{"S":")" + s.id + "#" + seq +
           R"("},"n":{"N":"1"}},"SequenceNumber":")" + seq + R"(","SizeBytes":20,"StreamViewType":"NEW_IMAGE"}})";
  }

  LocalResponse handle(const LocalRequest& r) {
    std::lock_guard lock(mutex_);
    std::string target = r.headers.count("x-amz-target") ? r.headers.at("x-amz-target") : "";
    std::string op = target.substr(target.find('.') + 1);
    ++calls_[op];
    bodies_[op].push_back(r.body);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(r.body)).get(doc) != simdjson::SUCCESS) {
      return error("SerializationException");
    }
    auto str = [&](const char* key) {
      std::string_view v;
      if (doc[key].get(v) != simdjson::SUCCESS) return std::string();
      return std::string(v);
    };
    if (op == "DescribeStream") {
      std::string start = str("ExclusiveStartShardId");
      std::size_t i = 0;
      if (!start.empty()) {
        while (i < shards_.size() && shards_[i].id != start) ++i;
        ++i;
      }
      std::string out = R"({"StreamDescription":{"StreamArn":"arn","StreamStatus":"ENABLED","Shards":[)";
      if (i < shards_.size()) {
        const Shard& s = shards_[i];
        out += R"({"ShardId":")" + s.id + "\"";
        if (!s.parent.empty()) out += R"(,"ParentShardId":")" + s.parent + "\"";
        out += R"(,"SequenceNumberRange":{"StartingSequenceNumber":"1")";
        if (s.closed) out += R"(,"EndingSequenceNumber":"9")";
        out += "}}";
      }
      out += "]";
      if (i + 1 < shards_.size()) out += R"(,"LastEvaluatedShardId":")" + shards_[i].id + "\"";
      return {200, {}, out + "}}"};
    }
    if (op == "GetShardIterator") {
      Shard& s = find(str("ShardId"));
      std::string type = str("ShardIteratorType");
      std::size_t index = s.seqs.size();
      if (type == "TRIM_HORIZON") {
        index = s.trimmed;
      } else if (type == "AFTER_SEQUENCE_NUMBER") {
        std::string seq = str("SequenceNumber");
        index = 0;
        while (index < s.seqs.size() && s.seqs[index] <= seq) ++index;
        if (index < s.trimmed) return error("TrimmedDataAccessException");
      }
      return {200, {}, R"({"ShardIterator":"it|)" + s.id + "|" + std::to_string(index) + "\"}"};
    }
    if (op == "GetRecords") {
      if (expire_ > 0) {
        --expire_;
        return error("ExpiredIteratorException");
      }
      std::string it = str("ShardIterator");
      std::string shard = it.substr(3, it.rfind('|') - 3);
      std::size_t index = std::stoul(it.substr(it.rfind('|') + 1));
      std::int64_t limit = 1000;
      if (doc["Limit"].get(limit) != simdjson::SUCCESS) limit = 1000;
      Shard& s = find(shard);
      if (index < s.trimmed) return error("TrimmedDataAccessException");
      std::string out = R"({"Records":[)";
      std::size_t end = std::min(s.seqs.size(), index + static_cast<std::size_t>(limit));
      for (std::size_t i = index; i < end; ++i) {
        if (i > index) out += ",";
        out += record(s, i);
      }
      out += "]";
      if (!s.closed || end < s.seqs.size()) {
        out += R"(,"NextShardIterator":"it|)" + s.id + "|" + std::to_string(end) + "\"";
      }
      return {200, {}, out + "}"};
    }
    return error("UnknownOperationException");
  }

  std::mutex mutex_;
  std::vector<Shard> shards_;
  int counter_ = 0;
  int expire_ = 0;
  std::map<std::string, int> calls_;
  std::map<std::string, std::vector<std::string>> bodies_;
  LocalServer server_;  // last: stops before the members it uses go
};

}  // namespace cartflow::aws::testing
