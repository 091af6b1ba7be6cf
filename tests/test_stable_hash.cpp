// stable_hash64 and Hasher: the hash behind trace hashes, world hashes and ring positions. Its
// values must be the same on every platform, so they are pinned here (computed once, x86-64).
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "core/stable_hash.hpp"

using dsplay::Hasher;
using dsplay::stable_hash64;

TEST_CASE("stable_hash64: pinned values for known inputs (cross-platform golden)", "[hash]") {
  struct Golden {
    const char* text;
    std::uint64_t hash;
  };
  const Golden golden[] = {
      {"", 0x084238c79fcf2871ull},
      {"a", 0xdcc2bb86a89e2c56ull},
      {"abc", 0x061cdc102214a52aull},
      {"key-0", 0x475babc847cd6dfaull},
      {"key-1", 0x62eb3587f237b84dull},
      {"hello world", 0xfd995325730fa5faull},
      {"0123456789abcdef", 0xfe75c3383d3fe028ull},
      {"The quick brown fox jumps over the lazy dog", 0x557ca307e155bfe1ull},
  };
  for (const auto& g : golden) {
    CAPTURE(g.text);
    CHECK(stable_hash64(g.text) == g.hash);
  }
  CHECK(stable_hash64("abc", 42) == 0xc237edc37bba9678ull);
  CHECK(stable_hash64(std::string(3, '\0')) == 0xd6134a65bebe01fcull);
  CHECK(dsplay::mix64(1) == 0x4179b061e0c0e0d0ull);
}

TEST_CASE("stable_hash64: the seed, the length and every byte matter", "[hash]") {
  CHECK(stable_hash64("abc", 0) != stable_hash64("abc", 1));
  CHECK(stable_hash64(std::string(3, '\0')) != stable_hash64(std::string(4, '\0')));
  CHECK(stable_hash64(std::string_view("a\0", 2)) != stable_hash64("a"));
  // Flipping any single bit of a 20-byte input changes the hash.
  std::string text = "abcdefghijklmnopqrst";
  const auto base = stable_hash64(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = text;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      CAPTURE(i, bit);
      REQUIRE(stable_hash64(flipped) != base);
    }
  }
}

TEST_CASE("stable_hash64: no collisions among 100000 sample keys", "[hash]") {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(stable_hash64("key-" + std::to_string(i)));
  CHECK(seen.size() == 100000);
}

TEST_CASE("Hasher: pinned values, order-sensitive, and str() is length-delimited", "[hash]") {
  CHECK(Hasher().value() == 0x1700c50eb56de8d7ull);
  CHECK(Hasher().u64(1).u64(2).str("x").value() == 0x2a2b683a401d47c7ull);
  CHECK(Hasher().u64(1).u64(2).value() != Hasher().u64(2).u64(1).value());
  CHECK(Hasher().str("ab").str("c").value() != Hasher().str("a").str("bc").value());
  CHECK(Hasher(1).value() != Hasher(2).value());
  CHECK(Hasher().i64(-1).value() == Hasher().u64(0xFFFFFFFFFFFFFFFFull).value());
  CHECK(Hasher().boolean(true).value() == Hasher().u64(1).value());
  CHECK(Hasher().u64(0).value() != Hasher().value());
}
