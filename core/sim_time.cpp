// Duration text <-> integer microseconds, with integer arithmetic only (see sim_time.hpp).
#include "core/sim_time.hpp"

#include <cstdlib>

namespace dsplay {

std::optional<SimTimeUs> parse_duration_us(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (whole > (kSimTimeMaxUs / 10)) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  std::int64_t frac = 0;
  std::int64_t frac_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t frac_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits < 9) {
        frac = frac * 10 + (text[i] - '0');
        frac_scale *= 10;
      }
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view unit = text.substr(i);
  std::int64_t scale_us = 0;
  if (unit.empty() || unit == "us") scale_us = 1;
  else if (unit == "ms") scale_us = kUsPerMs;
  else if (unit == "s") scale_us = kUsPerS;
  else if (unit == "m") scale_us = 60 * kUsPerS;
  else if (unit == "h") scale_us = 3600 * kUsPerS;
  else return std::nullopt;
  if (unit.empty() && frac_scale != 1) return std::nullopt;  // "1.5" without a unit is ambiguous
  if (whole > kSimTimeMaxUs / scale_us) return std::nullopt;
  std::int64_t value = whole * scale_us + (frac * scale_us) / frac_scale;
  if (value > kSimTimeMaxUs) return std::nullopt;
  return negative ? -value : value;
}

std::string format_duration(SimTimeUs duration_us) {
  std::string sign = duration_us < 0 ? "-" : "";
  std::uint64_t v = duration_us < 0 ? static_cast<std::uint64_t>(-duration_us) : static_cast<std::uint64_t>(duration_us);
  auto with_fraction = [&](std::uint64_t scale, const char* unit) {
    std::string out = sign + std::to_string(v / scale);
    std::uint64_t rest = v % scale;
    if (rest != 0) {
      std::string frac = std::to_string(rest + scale).substr(1);  // zero-padded
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      out += "." + frac;
    }
    return out + unit;
  };
  if (v >= static_cast<std::uint64_t>(kUsPerS)) return with_fraction(kUsPerS, "s");
  if (v >= static_cast<std::uint64_t>(kUsPerMs)) return with_fraction(kUsPerMs, "ms");
  return sign + std::to_string(v) + "us";
}

}  // namespace dsplay
