// SPDX-License-Identifier: Apache-2.0
#include "domain/order_message.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/keys.h"
#include "domain/money.h"
#include "model/dynamo_json.h"

namespace cartflow::domain {
namespace {

using model::AttributeType;
using model::Error;
using model::Status;

// "order_items[2]": the order line at `index`, as error messages name it.
std::string line_where(std::size_t index) {
  return std::string(kAttrOrderItems) + "[" + std::to_string(index) + "]";
}

// A whole number from N text (or the reference consumer's S text).
bool whole_number(std::string_view text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc() && end == text.data() + text.size()) return true;
  auto number = model::Number::parse(text);  // 2.0, 2E0, " 2": same number, other spelling
  if (!number.ok()) return false;
  auto integer = number->to_int64();
  if (!integer.ok()) return false;
  out = *integer;
  return true;
}

// The rules of an order image, fed attribute by attribute, from text (scan_item) or from an
// item (order_from_item): one reader for both.
class OrderReader final : public model::ItemScanner {
 public:
  Status attribute(std::string_view name, AttributeType type, std::string_view text) override {
    if (name == kAttrOrderId) return required_s(name, type, text, order_.order_id);
    if (name == kAttrOrderUserId) return required_s(name, type, text, order_.user_id);
    if (name == kAttrOrderStatus) {
      if (type == AttributeType::kS) order_.status.assign(text);
      return {};
    }
    if (name == kAttrOrderDate) {
      if (type == AttributeType::kS) order_.order_date.assign(text);
      return {};
    }
    if (name == kAttrOrderTotal) {
      if (type == AttributeType::kN) (void)whole_number(text, order_.total);
      return {};
    }
    if (name == kAttrOrderItems) {
      if (type != AttributeType::kL) return Error::invalid("order_items missing or not a list");
      has_items_ = true;
    }
    return {};
  }

  Status list_element(std::string_view list, std::size_t index, AttributeType type) override {
    if (list != kAttrOrderItems) return {};
    if (type != AttributeType::kM) return Error::invalid(line_where(index) + " is not a map");
    order_.lines.emplace_back();
    seen_.push_back(0);
    return {};
  }

  Status element_member(std::string_view list, std::size_t index, std::string_view name,
                        AttributeType type, std::string_view text) override {
    if (list != kAttrOrderItems) return {};
    OrderLine& line = order_.lines.back();
    std::uint8_t& seen = seen_.back();
    if (name == kAttrProductId) {
      seen |= kSeenProduct;
      return required_s(name, type, text, line.product_id, index);
    }
    if (name == kAttrAddedOn) {
      seen |= kSeenAddedOn;
      if (type == AttributeType::kN) {  // the reference's epoch seconds
        auto number = model::Number::parse(text);
        if (!number.ok()) return Error::invalid(line_where(index) + ".addedOn is not a number");
        line.added_on = std::move(number).value();
        return {};
      }
      if (type != AttributeType::kS || text.empty()) {
        return Error::invalid(line_where(index) + ".addedOn is neither a non-empty S nor an N");
      }
      line.added_on = std::string(text);
      return {};
    }
    if (name == kAttrQuantity) {
      seen |= kSeenQuantity;
      if (type != AttributeType::kN && type != AttributeType::kS) {
        return Error::invalid(line_where(index) + ".quantity is neither N nor S");
      }
      if (!whole_number(text, line.quantity)) {
        return Error::invalid(line_where(index) + ".quantity is not a whole number: " +
                              std::string(text.substr(0, 64)));
      }
      return {};
    }
    if (name == kAttrPrice && type == AttributeType::kN) {
      (void)whole_number(text, line.unit_price);
      return {};
    }
    if (name == kAttrName && type == AttributeType::kS) line.name.assign(text);
    return {};
  }

  model::Result<Order> finish() && {
    if (order_.order_id.empty()) return Error::invalid("order_id missing");
    if (order_.user_id.empty()) return Error::invalid("user_id missing");
    if (!has_items_) return Error::invalid("order_items missing or not a list");
    for (std::size_t i = 0; i < order_.lines.size(); ++i) {
      const std::uint8_t seen = seen_[i];
      if ((seen & kSeenProduct) == 0) return Error::invalid(line_where(i) + ".productId missing");
      if ((seen & kSeenAddedOn) == 0) return Error::invalid(line_where(i) + ".addedOn missing");
      if ((seen & kSeenQuantity) == 0) return Error::invalid(line_where(i) + ".quantity missing");
      OrderLine& line = order_.lines[i];
      line.line_total = line_total(line.unit_price, line.quantity).value_or(0);
    }
    return std::move(order_);
  }

 private:
  static constexpr std::uint8_t kSeenProduct = 1;
  static constexpr std::uint8_t kSeenAddedOn = 2;
  static constexpr std::uint8_t kSeenQuantity = 4;

  // `line`: the index of the order line the attribute belongs to, if any (for the message,
  // built only on failure).
  static Status required_s(std::string_view name, AttributeType type, std::string_view text,
                           std::string& out, std::optional<std::size_t> line = std::nullopt) {
    if (type != AttributeType::kS || text.empty()) {
      return Error::invalid((line ? line_where(*line) + "." : std::string()) + std::string(name) +
                            " is not a non-empty S");
    }
    out.assign(text);
    return {};
  }

  Order order_;
  std::vector<std::uint8_t> seen_;  // per line: which required members were present
  bool has_items_ = false;
};

// Finds order_status and order_id in an image's text and stops the scan (with kStop) once the
// answer is known: an order's lines, the bulk of its image, are not read.
class AnnounceReader final : public model::ItemScanner {
 public:
  static constexpr std::string_view kStop = "announce known";

  Status attribute(std::string_view name, AttributeType type, std::string_view text) override {
    if (name == kAttrOrderStatus) {
      status_ = type != AttributeType::kS ? kNotAnOrder
                : text != kStatusOrdered  ? kOtherStatus
                                          : kOrdered;
    } else if (name == kAttrOrderId) {
      id_seen_ = true;
      if (type == AttributeType::kS) order_id_.assign(text);
    } else {
      return {};
    }
    if (status_ == kNotAnOrder || status_ == kOtherStatus || (status_ == kOrdered && id_seen_)) {
      return Error::condition_failed(std::string(kStop));
    }
    return {};
  }
  Status list_element(std::string_view, std::size_t, AttributeType) override { return {}; }
  Status element_member(std::string_view, std::size_t, std::string_view, AttributeType,
                        std::string_view) override {
    return {};
  }

  // announce_check's answer once the scan has stopped or ended.
  std::string_view reason() const {
    if (status_ == kMissing || status_ == kNotAnOrder) return "not an order";
    if (status_ == kOtherStatus) return "order not in status ORDERED";
    if (order_id_.empty()) return "order without order_id";
    return {};
  }
  std::string& order_id() { return order_id_; }

 private:
  enum StatusSeen { kMissing, kNotAnOrder, kOtherStatus, kOrdered };

  StatusSeen status_ = kMissing;
  bool id_seen_ = false;
  std::string order_id_;  // empty unless order_id is an S
};

// The text scan_item would report for a scalar of an item.
std::string scalar_text(const model::AttributeValue& value) {
  if (const std::string* s = value.as_s()) return *s;
  if (const model::Number* n = value.as_n()) return n->to_string();
  return {};
}

}  // namespace

model::Result<Order> order_from_item(const model::Item& item) {
  OrderReader reader;
  for (const auto& [name, value] : item) {
    if (auto s = reader.attribute(name, value.type(), scalar_text(value)); !s.ok()) {
      return std::move(s).error();
    }
    const model::List* list = value.as_l();
    if (list == nullptr) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const model::AttributeValue& element = (*list)[i];
      if (auto s = reader.list_element(name, i, element.type()); !s.ok()) {
        return std::move(s).error();
      }
      const model::Map* members = element.as_m();
      if (members == nullptr) continue;
      for (const auto& [member, member_value] : *members) {
        if (auto s = reader.element_member(name, i, member, member_value.type(),
                                           scalar_text(member_value));
            !s.ok()) {
          return std::move(s).error();
        }
      }
    }
  }
  return std::move(reader).finish();
}

std::string_view announce_check(const model::Item& image, std::string_view& order_id) {
  auto status = image.find(kAttrOrderStatus);
  if (status == image.end() || status->second.as_s() == nullptr) return "not an order";
  if (*status->second.as_s() != kStatusOrdered) return "order not in status ORDERED";
  auto id = image.find(kAttrOrderId);
  if (id == image.end() || id->second.as_s() == nullptr || id->second.as_s()->empty()) {
    return "order without order_id";
  }
  order_id = *id->second.as_s();
  return {};
}

std::string_view announce_check(std::string_view image_json, std::string& order_id) {
  AnnounceReader reader;
  auto scanned = model::scan_item_scalars(image_json, reader);
  if (!scanned.ok() && scanned.error().message != AnnounceReader::kStop) return "not an order";
  auto reason = reader.reason();
  if (reason.empty()) order_id = std::move(reader.order_id());
  return reason;
}

void append_order_message_body(std::string& out, const model::Item& image) {
  model::append_dynamo_json(out, image);
}

std::string order_message_body(std::string image_json) { return image_json; }

model::Result<Order> read_order_message(std::string_view body) {
  OrderReader reader;
  if (auto s = model::scan_item(body, reader); !s.ok()) return std::move(s).error();
  return std::move(reader).finish();
}

}  // namespace cartflow::domain
