// MD5 (core/balance/md5.hpp) against RFC 1321 appendix A.5's test suite, plus incremental updates
// across the 55/56/64-byte padding boundaries; natively also against libhashkit's MD5 (the digest
// libmemcached's ketama uses) for every length 0..300.
#include <catch2/catch.hpp>
#include <string>

#include "core/balance/ketama.hpp"
#include "core/balance/md5.hpp"

#ifndef __EMSCRIPTEN__
#include <libmemcached/memcached.h>
#endif

using dsplay::balance::Md5;
using dsplay::balance::md5;
using dsplay::balance::md5_hex;

namespace {
std::string hex(std::string_view text) { return md5_hex(md5(text)).data(); }
}  // namespace

TEST_CASE("md5: RFC 1321 A.5 test suite", "[balance][md5]") {
  CHECK(hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5: incremental updates in any split equal the one-shot digest (padding boundaries)", "[balance][md5]") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>('!' + (i * 7) % 90);
  for (std::size_t len : {0u, 1u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u, 129u, 300u}) {
    const std::string_view whole(text.data(), len);
    const auto expected = md5(whole);
    for (std::size_t chunk : {1u, 3u, 63u, 64u, 65u}) {
      CAPTURE(len, chunk);
      Md5 h;
      for (std::size_t at = 0; at < len; at += chunk) h.update(whole.substr(at, chunk));
      CHECK(h.finish() == expected);
    }
  }
}

#ifndef __EMSCRIPTEN__
TEST_CASE("md5: first digest word equals libhashkit's MEMCACHED_HASH_MD5 for lengths 0..300", "[balance][md5][libmemcached]") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>((i * 131 + 17) & 0xFF);  // all byte values
  for (std::size_t len = 0; len <= text.size(); ++len) {
    CAPTURE(len);
    CHECK(dsplay::balance::md5_hash32(std::string_view(text.data(), len)) ==
          memcached_generate_hash_value(text.data(), len, MEMCACHED_HASH_MD5));
    CHECK(dsplay::balance::one_at_a_time_hash(std::string_view(text.data(), len)) ==
          memcached_generate_hash_value(text.data(), len, MEMCACHED_HASH_DEFAULT));
  }
}
#endif
