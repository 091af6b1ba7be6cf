// MD5 from RFC 1321 section 3 (padding, length, four rounds of sixteen steps) in plain integers.
#include "core/balance/md5.hpp"

#include <cstring>

namespace dsplay::balance {
namespace {

// T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4, written out (no libm at run time).
constexpr std::uint32_t kT[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

// Per-round left-rotation amounts (S11..S44 in the RFC).
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

constexpr std::uint32_t rotl(std::uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

}  // namespace

Md5::Md5() : state_{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u} {}

void Md5::process_block(const std::uint8_t* block) {
  std::uint32_t x[16];
  for (int i = 0; i < 16; ++i) {
    x[i] = static_cast<std::uint32_t>(block[4 * i]) | (static_cast<std::uint32_t>(block[4 * i + 1]) << 8) |
           (static_cast<std::uint32_t>(block[4 * i + 2]) << 16) | (static_cast<std::uint32_t>(block[4 * i + 3]) << 24);
  }
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (int i = 0; i < 64; ++i) {
    std::uint32_t f;
    int g;
    const int round = i / 16;
    switch (round) {
      case 0: f = (b & c) | (~b & d); g = i; break;              // F
      case 1: f = (b & d) | (c & ~d); g = (5 * i + 1) % 16; break;  // G
      case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;          // H
      default: f = c ^ (b | ~d); g = (7 * i) % 16; break;          // I
    }
    const std::uint32_t rotated = rotl(a + f + kT[i] + x[g], kShift[round][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + rotated;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t n = bytes.size();
  length_bytes_ += n;
  if (buffered_ > 0) {
    const std::size_t take = n < 64 - buffered_ ? n : 64 - buffered_;
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += static_cast<std::uint32_t>(take);
    p += take;
    n -= take;
    if (buffered_ < 64) return;
    process_block(buffer_);
    buffered_ = 0;
  }
  while (n >= 64) {
    process_block(p);
    p += 64;
    n -= 64;
  }
  std::memcpy(buffer_, p, n);
  buffered_ = static_cast<std::uint32_t>(n);
}

Md5Digest Md5::finish() {
  // Padding (RFC 1321 3.1): a 1 bit, zeros to 56 mod 64 bytes, then the bit length little-endian.
  const std::uint64_t length_bits = length_bytes_ * 8;
  std::uint8_t tail[128] = {};
  std::memcpy(tail, buffer_, buffered_);
  tail[buffered_] = 0x80;
  const std::uint32_t tail_len = buffered_ < 56 ? 64 : 128;
  for (int i = 0; i < 8; ++i) tail[tail_len - 8 + i] = static_cast<std::uint8_t>(length_bits >> (8 * i));
  process_block(tail);
  if (tail_len == 128) process_block(tail + 64);
  Md5Digest out{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (8 * j));
  buffered_ = 0;
  return out;
}

Md5Digest md5(std::string_view bytes) {
  Md5 h;
  h.update(bytes);
  return h.finish();
}

std::array<char, 33> md5_hex(const Md5Digest& digest) {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 33> out{};
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  out[32] = '\0';
  return out;
}

}  // namespace dsplay::balance
