// Implementation of the stable byte-string hash (see stable_hash.hpp for why it exists).
#include "core/stable_hash.hpp"

namespace dsplay {
namespace {
std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

std::uint64_t stable_hash64(std::string_view bytes, std::uint64_t seed) {
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ull;
  constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4Full;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint64_t h = seed ^ (k1 * (static_cast<std::uint64_t>(n) + 1));
  while (n >= 8) {
    std::uint64_t w = load_le64(p) * k2;
    w = (w << 31) | (w >> 33);
    h ^= w * k1;
    h = ((h << 27) | (h >> 37)) * 5 + 0x52DCE729;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = n; i > 0; --i) tail = (tail << 8) | p[i - 1];
  h ^= (tail * k2) ^ (static_cast<std::uint64_t>(n) << 56);
  return mix64(h ^ (h >> 29));
}

}  // namespace dsplay
