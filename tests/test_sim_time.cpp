// Durations: the one text form used by scenario files, the CLI and the UI. Parsing is exact
// integer arithmetic, and format_duration round-trips through parse_duration_us.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "core/sim_time.hpp"

using dsplay::format_duration;
using dsplay::parse_duration_us;

TEST_CASE("parse_duration_us: units us, ms, s, m, h and bare microseconds", "[time]") {
  CHECK(parse_duration_us("250us") == 250);
  CHECK(parse_duration_us("15ms") == 15'000);
  CHECK(parse_duration_us("1.5s") == 1'500'000);
  CHECK(parse_duration_us("2m") == 120'000'000);
  CHECK(parse_duration_us("1h") == 3'600'000'000ll);
  CHECK(parse_duration_us("0") == 0);
  CHECK(parse_duration_us("42") == 42);
  CHECK(parse_duration_us("0.001s") == 1'000);
  CHECK(parse_duration_us("2.5ms") == 2'500);
  CHECK(parse_duration_us("-5ms") == -5'000);  // clock skews may be negative
}

TEST_CASE("parse_duration_us: decimal fractions are exact (0.1s is 100000us, not 99999)", "[time]") {
  CHECK(parse_duration_us("0.1s") == 100'000);
  CHECK(parse_duration_us("0.3s") == 300'000);
  CHECK(parse_duration_us("1.000001s") == 1'000'001);
  CHECK(parse_duration_us("0.7ms") == 700);
}

TEST_CASE("parse_duration_us: rejects bad text", "[time]") {
  for (const char* bad : {"", "ms", "1.5", "abc", "10 parsecs", "1.5x", "1..5s", "s1", "1e3ms", "--5ms"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration_us(bad).has_value());
  }
}

TEST_CASE("format_duration: examples from the header", "[time]") {
  CHECK(format_duration(1'500'000) == "1.5s");
  CHECK(format_duration(2'500) == "2.5ms");
  CHECK(format_duration(7) == "7us");
}

TEST_CASE("format_duration then parse_duration_us gives the value back", "[time]") {
  const std::uint64_t seed = 77;
  CAPTURE(seed);
  dsplay::Rng rng(seed);
  std::vector<dsplay::SimTimeUs> values = {0, 1, 999, 1'000, 1'001, 59'999'999, 60'000'000, 3'600'000'000ll,
                                          -1, -5'000, -1'500'000, 123'456'789'012ll};
  for (int i = 0; i < 2000; ++i) values.push_back(rng.between(-10'000'000'000ll, 10'000'000'000ll));
  for (int i = 0; i < 200; ++i) values.push_back(rng.between(0, 100) * 1000);
  for (const auto value : values) {
    const std::string text = format_duration(value);
    CAPTURE(value, text);
    REQUIRE(parse_duration_us(text) == value);
  }
}
