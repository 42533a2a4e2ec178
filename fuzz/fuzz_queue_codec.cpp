// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the embedded queue's stored forms (embedded/queue_codec.h). Arbitrary
// bytes as a receipt handle and as a stored attribute blob never crash the decoders; a handle
// parses only if format_receipt writes exactly those bytes back; decoded attributes survive
// encode + decode. The same bytes also build a handle and attributes (FuzzedDataProvider)
// that must survive encode + decode. Any mismatch aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "embedded/queue_codec.h"

namespace {

namespace qc = cartflow::embedded::queue_codec;

[[noreturn]] void fail(const char* what, std::string_view bytes) {
  std::fprintf(stderr, "%s (%zu bytes)\n", what, bytes.size());
  std::abort();
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto handle = qc::parse_receipt(input)) {
    if (qc::format_receipt(*handle) != input) fail("parse_receipt accepts a handle format_receipt never writes", input);
  }
  // A blob need not be canonical (names in any order, repeated names, a zero count): what it
  // decodes to must survive encode + decode.
  if (auto attributes = qc::decode_attributes(input)) {
    auto again = qc::decode_attributes(qc::encode_attributes(*attributes));
    if (!again || *again != *attributes) fail("decoded attributes differ after encode + decode", input);
  }

  FuzzedDataProvider fdp(data, size);
  qc::ReceiptHandle handle;
  handle.queue_id = fdp.ConsumeIntegralInRange<std::int64_t>(1, INT64_MAX);
  handle.row_id = fdp.ConsumeIntegralInRange<std::int64_t>(1, INT64_MAX);
  handle.nonce = hex(fdp.ConsumeBytesAsString(16));
  auto parsed = qc::parse_receipt(qc::format_receipt(handle));
  if (handle.nonce.size() == 32) {
    if (!parsed || parsed->queue_id != handle.queue_id || parsed->row_id != handle.row_id ||
        parsed->nonce != handle.nonce) {
      fail("format_receipt + parse_receipt is not the identity", input);
    }
  } else if (parsed) {
    fail("parse_receipt accepts a short nonce", input);
  }

  cartflow::ports::MessageAttributes attributes;
  while (fdp.remaining_bytes() > 0 && attributes.size() < 16) {
    cartflow::ports::MessageAttribute a;
    std::string name = fdp.ConsumeRandomLengthString(64);
    a.data_type = fdp.ConsumeRandomLengthString(32);
    a.string_value = fdp.ConsumeRandomLengthString(256);
    a.binary_value = fdp.ConsumeRandomLengthString(256);
    attributes.emplace(std::move(name), std::move(a));
  }
  auto decoded = qc::decode_attributes(qc::encode_attributes(attributes));
  if (!decoded || *decoded != attributes) fail("encode_attributes + decode_attributes is not the identity", input);
  return 0;
}
