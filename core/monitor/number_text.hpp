// Numbers as text, identical on every platform: the shortest round-trip form of a double (Prometheus
// values and `le` labels, CSV cells) and exact parsing of decimal CSV fields (NAB values).
// Why not std::to_chars / std::from_chars: Emscripten 3.1.6's libc++ lacks the double overloads.
// snprintf("%.*g") and strtod are correctly rounded in both glibc and musl (Emscripten), so they
// give the same bytes natively and in the browser; the "C" locale is assumed (nothing in dsplay
// calls setlocale).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace dsplay::monitor {

// "0.1", "2.5", "100", "1e-05", "1e+21", "-0", "+Inf", "-Inf", "NaN": the fewest significant digits
// that parse back to exactly the same double, in plain notation for decimal exponents -4..20 and
// scientific notation ("%e" style) outside, as JavaScript prints numbers.
std::string format_double(double value);

// Strict decimal syntax: [+-] digits [. digits] [(e|E) [+-] digits] (at least one mantissa digit;
// "5.", ".5" accepted); no whitespace, no hex, no inf/nan. Up to 15 significant digits with a decimal
// exponent within +-22 take an exact fast path (one correctly rounded multiply or divide); the rest
// goes through strtod. nullopt on bad syntax or overflow to infinity.
std::optional<double> parse_double(std::string_view text);

}  // namespace dsplay::monitor
