// Request correlation in W3C Trace Context form: every client request carries a `traceparent`
// ("00-<32 hex trace id>-<16 hex parent/span id>-<2 hex flags>"). Parsing follows the W3C
// Recommendation (https://www.w3.org/TR/trace-context/, "traceparent Header Field Values" and
// "Versioning of traceparent"); IDs come from the world's seeded Rng, so a seed reproduces them.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/rng.hpp"

namespace dsplay::monitor {

struct TraceId {
  std::uint64_t high = 0;  // first 16 hex digits
  std::uint64_t low = 0;   // last 16 hex digits
  bool is_valid() const { return (high | low) != 0; }
  auto operator<=>(const TraceId&) const = default;
};
using SpanId = std::uint64_t;  // 0 = none / invalid

struct TraceContext {
  std::uint8_t version = 0;  // as received; format_traceparent always writes 00
  TraceId trace_id;
  SpanId parent_id = 0;      // the caller's span (W3C "parent-id")
  std::uint8_t flags = 0;    // bit 0: sampled; other bits kept as received
  bool sampled() const { return (flags & 1) != 0; }
  bool operator==(const TraceContext&) const = default;
};

enum class TraceparentError : std::uint8_t {
  none,
  too_short,              // fewer than 55 characters
  wrong_length,           // version 00 must be exactly 55 characters
  bad_version,            // version is not 2 lowercase hex digits followed by '-'
  version_ff,             // version ff is forbidden
  missing_dash,           // a field is not followed by '-' where one is required
  uppercase_hex,          // A-F where lowercase hex is required
  bad_hex,                // any other non-hex character
  zero_trace_id,          // all-zero trace id is invalid
  zero_parent_id,         // all-zero parent id is invalid
  bad_future_format,      // version > 00: flags not followed by end or '-'
};
const char* traceparent_error_text(TraceparentError error);

struct TraceparentParse {
  std::optional<TraceContext> context;  // set iff error == none
  TraceparentError error = TraceparentError::none;
  bool ok() const { return error == TraceparentError::none; }
};

// Parses a traceparent header value (no surrounding whitespace: trimming OWS is the HTTP layer's
// job). Version 00 must be exactly the 55-character form; a higher version is parsed for its first
// four fields as the W3C versioning rules require (the rest is ignored).
TraceparentParse parse_traceparent(std::string_view header);

// "00-<trace id>-<parent id>-<flags>", lowercase. For any context parsed from a valid version-00
// header, format_traceparent(parse) is byte-for-byte the header.
std::string format_traceparent(const TraceContext& context);

std::string to_hex(const TraceId& id);  // 32 lowercase hex digits
std::string span_id_hex(SpanId id);     // 16 lowercase hex digits

// Fresh random IDs from the seeded Rng (never all-zero: redrawn in that 2^-64 case).
TraceId new_trace_id(Rng& rng);
SpanId new_span_id(Rng& rng);

}  // namespace dsplay::monitor
