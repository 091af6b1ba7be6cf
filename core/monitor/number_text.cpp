// Shortest round-trip formatting and strict decimal parsing of doubles (see number_text.hpp).
#include "core/monitor/number_text.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace dsplay::monitor {

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Fewest significant digits that round-trip, found in scientific form ("d.ddde+XX").
  char buffer[48];
  int digits = 1;
  for (; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  const char* e = std::strchr(buffer, 'e');
  const int exponent = e != nullptr ? std::atoi(e + 1) : 0;
  // Plain notation for exponents in [-4, 21) (as JavaScript prints numbers), else scientific.
  if (exponent < -4 || exponent >= 21) {
    // "%.*e" already has the digits; drop a trailing ".": C prints "1e-05" for precision 0.
    return buffer;
  }
  const int decimals = digits - 1 - exponent > 0 ? digits - 1 - exponent : 0;
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::optional<double> parse_double(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::uint64_t mantissa = 0;
  int significant_digits = 0;  // digits accumulated into mantissa (leading zeros skipped)
  int dropped_digits = 0;      // integer-part digits beyond 19 that did not fit (only scale)
  int decimal_exponent = 0;
  int digits_seen = 0;
  bool exact = true;
  for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++digits_seen) {
    const int d = text[i] - '0';
    if (significant_digits == 0 && d == 0) continue;
    if (significant_digits < 19) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(d);
      ++significant_digits;
    } else {
      ++dropped_digits;
      exact = false;
    }
  }
  if (i < n && text[i] == '.') {
    ++i;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++digits_seen) {
      const int d = text[i] - '0';
      if (significant_digits == 0 && d == 0) {
        --decimal_exponent;
        continue;
      }
      if (significant_digits < 19) {
        mantissa = mantissa * 10 + static_cast<std::uint64_t>(d);
        ++significant_digits;
        --decimal_exponent;
      } else {
        exact = false;
      }
    }
  }
  if (digits_seen == 0) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
    if (i >= n) return std::nullopt;
    int exponent = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
    }
    decimal_exponent += exponent_negative ? -exponent : exponent;
  }
  if (i != n) return std::nullopt;
  decimal_exponent += dropped_digits;

  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (mantissa == 0) return negative ? -0.0 : 0.0;
  // Clinger's fast path: mantissa < 10^15 < 2^53 and 10^|e| <= 10^22 are exact doubles, so one
  // correctly rounded operation gives the correctly rounded result.
  if (exact && significant_digits <= 15 && decimal_exponent >= -22 && decimal_exponent <= 22) {
    double v = static_cast<double>(mantissa);
    v = decimal_exponent >= 0 ? v * kPow10[decimal_exponent] : v / kPow10[-decimal_exponent];
    return negative ? -v : v;
  }
  const std::string copy(text);
  const double v = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(v)) return std::nullopt;
  return v;
}

}  // namespace dsplay::monitor
