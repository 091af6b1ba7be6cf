// Simulated time: integer microseconds everywhere in core/, plus the one text form of durations
// used by scenario files, the CLI and the UI ("250us", "15ms", "1.5s", "2m").
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dsplay {

using SimTimeUs = std::int64_t;

constexpr SimTimeUs kUsPerMs = 1'000;
constexpr SimTimeUs kUsPerS = 1'000'000;
constexpr SimTimeUs kSimTimeMaxUs = INT64_MAX / 4;  // "never"; leaves room for sums

// "1.5s" -> 1500000. Accepts us, ms, s, m, h; a bare integer means microseconds.
// Integer arithmetic only, so every platform parses to the same value. nullopt on bad text.
std::optional<SimTimeUs> parse_duration_us(std::string_view text);

// 1500000 -> "1.5s", 2500 -> "2.5ms", 7 -> "7us"; round-trips through parse_duration_us.
std::string format_duration(SimTimeUs duration_us);

}  // namespace dsplay
