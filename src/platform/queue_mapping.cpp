// SPDX-License-Identifier: Apache-2.0
#include "platform/queue_mapping.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>
#include <utility>

#include "events/batch_response.h"
#include "events/sqs.h"
#include "util/thread_name.h"

namespace cartflow::platform {

using model::Error;
using model::Result;
using model::Status;

Result<std::unique_ptr<QueueMapping>> QueueMapping::create(QueueMappingConfig config,
                                                           ports::Queue& queue,
                                                           functions::Handler& handler,
                                                           const functions::Logger* logger) {
  if (auto s = validate(config); !s) return std::move(s).error();
  return std::unique_ptr<QueueMapping>(
      new QueueMapping(std::move(config), queue, handler, logger));
}

QueueMapping::~QueueMapping() { stop(); }

void QueueMapping::start() {
  std::lock_guard lock(threads_mutex_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < config_.maximum_concurrency; ++i) {
    threads_.emplace_back([this] {
      util::name_this_thread("cf-queue-poll");
      run();
    });
  }
}

void QueueMapping::stop() {
  stopping_ = true;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(threads_mutex_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

void QueueMapping::run() {
  while (!stopping_) {
    auto n = poll_once();
    if (!n) {
      MappingStats::add(stats_.source_errors);
      logger_.log(functions::LogLevel::kError, nullptr, "queue mapping cannot receive",
                  {{"queue", queue_.name()},
                   {"error", n.error().message},
                   {"error_type", model::error_code_name(n.error().code)}});
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

Result<std::size_t> QueueMapping::poll_once() {
  const auto limit = static_cast<std::size_t>(config_.batch_size);
  ports::ReceiveRequest request;
  request.max_messages = config_.batch_size;
  request.wait = config_.poll_wait;
  auto received = queue_.receive(request);
  if (!received) return std::move(received).error();
  std::vector<ports::Message> messages = std::move(received).value();
  if (messages.empty()) return std::size_t{0};

  if (config_.maximum_batching_window_seconds > 0) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(config_.maximum_batching_window_seconds);
    while (messages.size() < limit && !stopping_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      request.max_messages = static_cast<int>(limit - messages.size());
      request.wait = std::min(left, config_.poll_wait);
      auto more = queue_.receive(request);
      if (!more) break;  // deliver what we have
      for (auto& m : *more) messages.push_back(std::move(m));
    }
  }

  events::SqsEvent event;
  event.records.reserve(messages.size());
  for (const auto& m : messages) {
    event.records.push_back(events::to_lambda_record(m, config_.sender_id,
                                                     config_.event_source_arn, config_.aws_region));
  }
  functions::InvocationContext ctx;
  ctx.request_id = "local-sqs-" + std::to_string(request_counter_.fetch_add(1) + 1);
  ctx.invoked_function_arn = config_.function_arn;
  MappingStats::add(stats_.batches);
  MappingStats::add(stats_.records, messages.size());
  auto response = handler_.invoke(events::to_json(event), ctx);
  const std::vector<std::size_t> ok = successes(messages, response);
  if (ok.size() != messages.size()) {
    MappingStats::add(stats_.errors);
    MappingStats::add(stats_.retries, messages.size() - ok.size());
  }
  // Delete in chunks of 10 (DeleteMessageBatch's limit); a failed delete means the message
  // comes back, which at-least-once delivery allows.
  for (std::size_t start = 0; start < ok.size(); start += 10) {
    std::vector<ports::DeleteEntry> entries;
    for (std::size_t k = start; k < ok.size() && k < start + 10; ++k) {
      entries.push_back({"m" + std::to_string(k), messages[ok[k]].receipt_handle});
    }
    auto deleted = queue_.remove_batch(entries);
    if (!deleted) {
      MappingStats::add(stats_.source_errors);
    } else if (!deleted->failed.empty()) {
      MappingStats::add(stats_.source_errors, deleted->failed.size());
    }
  }
  return messages.size();
}

std::vector<std::size_t> QueueMapping::successes(const std::vector<ports::Message>& messages,
                                                 const Result<std::string>& response) {
  std::vector<std::size_t> all;
  if (!response) return all;  // function error: the whole batch comes back
  std::unordered_set<std::string> failed;
  if (config_.report_batch_item_failures) {
    auto parsed = events::parse_batch_response(*response);
    if (!parsed) return all;  // unreadable response: the whole batch failed
    std::unordered_set<std::string> ids;
    for (const auto& m : messages) ids.insert(m.message_id);
    for (const auto& f : parsed->batch_item_failures) {
      if (ids.count(f.item_identifier) == 0) return all;  // unknown id: whole batch failed
      failed.insert(f.item_identifier);
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (failed.count(messages[i].message_id) == 0) all.push_back(i);
  }
  return all;
}

}  // namespace cartflow::platform
