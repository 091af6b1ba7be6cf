// MD5 (RFC 1321), written from the RFC for ketama: libmemcached places its ketama points and hashes
// keys with MD5, so bit-compatibility needs the real digest. Not for security; only for placement.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace dsplay::balance {

using Md5Digest = std::array<std::uint8_t, 16>;

// Incremental hasher: update() any number of times, then finish() once.
class Md5 {
 public:
  Md5();
  void update(std::string_view bytes);
  Md5Digest finish();

 private:
  void process_block(const std::uint8_t* block);
  std::uint32_t state_[4];
  std::uint64_t length_bytes_ = 0;
  std::uint8_t buffer_[64] = {};
  std::uint32_t buffered_ = 0;
};

Md5Digest md5(std::string_view bytes);

// Lowercase hex of a digest (tests and visualisation).
std::array<char, 33> md5_hex(const Md5Digest& digest);

// The 32-bit little-endian word at digest bytes [4*word, 4*word+4): libmemcached's
// ketama_server_hash(alignment = word) and, for word 0, its MEMCACHED_HASH_MD5 key hash.
constexpr std::uint32_t md5_word_le(const Md5Digest& digest, unsigned word) {
  const unsigned b = word * 4;
  return static_cast<std::uint32_t>(digest[b]) | (static_cast<std::uint32_t>(digest[b + 1]) << 8) |
         (static_cast<std::uint32_t>(digest[b + 2]) << 16) | (static_cast<std::uint32_t>(digest[b + 3]) << 24);
}

}  // namespace dsplay::balance
