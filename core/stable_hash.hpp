// dsplay's own stable 64-bit hash. Never std::hash: it differs between standard libraries and
// size_t is 32-bit in wasm. Bytes are read little-endian explicitly, so the value is the same
// on every platform; trace hashes, world hashes and ring positions all come from here.
#pragma once
#include <cstdint>
#include <string_view>

namespace dsplay {

// Hash of a byte string (multiply-xor over 8-byte words, then a strong avalanche).
std::uint64_t stable_hash64(std::string_view bytes, std::uint64_t seed = 0);

// A strong 64-bit mixer (the splitmix64 / murmur3 finalizer family).
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ull;
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ull;
  x ^= x >> 32;
  return x;
}

// Incremental hasher for structured values (world state, trace records).
class Hasher {
 public:
  explicit constexpr Hasher(std::uint64_t seed = 0x5D5C0FFEEull) : h_(mix64(seed)) {}
  constexpr Hasher& u64(std::uint64_t v) {
    h_ = mix64(h_ ^ (v + 0x9E3779B97F4A7C15ull + (h_ << 6) + (h_ >> 2)));
    return *this;
  }
  constexpr Hasher& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  constexpr Hasher& boolean(bool v) { return u64(v ? 1 : 0); }
  Hasher& str(std::string_view s) { return u64(s.size()).u64(stable_hash64(s)); }
  constexpr std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_;
};

}  // namespace dsplay
