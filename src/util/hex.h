// SPDX-License-Identifier: Apache-2.0
#pragma once

// Hexadecimal text of raw bytes: the one encoder and decoder of the code base.

#include <optional>
#include <string>
#include <string_view>

namespace cartflow::util {

// The value (0 to 15) of hex digit `c` (either case), or -1 if it is not one.
int hex_digit(char c);
// Lowercase hex of `bytes`: two characters a byte, most significant nibble first.
std::string hex_encode(std::string_view bytes);
// Same, of `size` bytes at `data`.
std::string hex_encode(const unsigned char* data, std::size_t size);
// The bytes of `text` (either case); nullopt if its length is odd or it holds a non-hex character.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace cartflow::util
