// SPDX-License-Identifier: Apache-2.0
#pragma once

// Result<T>: the value of an operation that can fail in an expected way. Errors are values;
// exceptions never cross a layer boundary.

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cartflow::model {

enum class ErrorCode {
  kNotFound,         // the addressed resource does not exist
  kConditionFailed,  // a condition expression (or a transaction's) evaluated to false
  kInvalidArgument,  // the request is malformed or violates a limit (DynamoDB ValidationException)
  kThrottled,        // try again later (provisioned throughput, rate limits)
  kUnavailable,      // the backend cannot be reached or is read-only/full; retryable
  kInternal,         // a bug or an unexpected state; not retryable
};

// Returns the stable upper-camel name of `code` ("NotFound", "ConditionFailed", ...).
const char* error_code_name(ErrorCode code);

// One entry of a cancelled transaction, index-aligned with its actions, as DynamoDB reports
// CancellationReasons: code is "None" for actions that did not cause the cancellation,
// "ConditionalCheckFailed", "ValidationError", "TransactionConflict", ...
struct CancellationReason {
  std::string code;
  std::string message;
  bool operator==(const CancellationReason&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Set only by transact writes cancelled by a condition or validation failure.
  std::vector<CancellationReason> cancellation_reasons;

  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m), {}}; }
  static Error condition_failed(std::string m) {
    return {ErrorCode::kConditionFailed, std::move(m), {}};
  }
  static Error invalid(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m), {}}; }
  static Error throttled(std::string m) { return {ErrorCode::kThrottled, std::move(m), {}}; }
  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m), {}}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m), {}}; }
};

// A value of T or an Error. Accessing the wrong alternative is a bug (asserted in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace cartflow::model
