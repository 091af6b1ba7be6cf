// W3C traceparent parsing and formatting, and ID generation (see trace_context.hpp).
#include "core/monitor/trace_context.hpp"

namespace dsplay::monitor {

namespace {

constexpr std::size_t kV00Length = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

// Reads `digits` lowercase hex characters at text[pos]; reports uppercase separately because it
// is the most common way real headers go wrong.
TraceparentError read_hex(std::string_view text, std::size_t pos, int digits, std::uint64_t& out) {
  out = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    std::uint64_t nibble = 0;
    if (c >= '0' && c <= '9') nibble = static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') nibble = static_cast<std::uint64_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') return TraceparentError::uppercase_hex;
    else return TraceparentError::bad_hex;
    out = (out << 4) | nibble;
  }
  return TraceparentError::none;
}

void append_hex(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(kDigits[(value >> shift) & 0xF]);
}

TraceparentParse fail(TraceparentError error) { return {std::nullopt, error}; }

}  // namespace

const char* traceparent_error_text(TraceparentError error) {
  switch (error) {
    case TraceparentError::none: return "ok";
    case TraceparentError::too_short: return "shorter than 55 characters";
    case TraceparentError::wrong_length: return "version 00 must be exactly 55 characters";
    case TraceparentError::bad_version: return "version is not 2 lowercase hex digits followed by '-'";
    case TraceparentError::version_ff: return "version ff is forbidden";
    case TraceparentError::missing_dash: return "field not followed by '-'";
    case TraceparentError::uppercase_hex: return "uppercase hex digit (must be lowercase)";
    case TraceparentError::bad_hex: return "non-hex character";
    case TraceparentError::zero_trace_id: return "trace id is all zeros";
    case TraceparentError::zero_parent_id: return "parent id is all zeros";
    case TraceparentError::bad_future_format: return "flags not followed by end or '-'";
  }
  return "unknown";
}

TraceparentParse parse_traceparent(std::string_view header) {
  // version "-"
  if (header.size() < 3) return fail(TraceparentError::too_short);
  std::uint64_t version = 0;
  if (const auto e = read_hex(header, 0, 2, version); e != TraceparentError::none) {
    return fail(e == TraceparentError::uppercase_hex ? e : TraceparentError::bad_version);
  }
  if (header[2] != '-') return fail(TraceparentError::bad_version);
  if (version == 0xFF) return fail(TraceparentError::version_ff);
  if (header.size() < kV00Length) return fail(TraceparentError::too_short);
  if (version == 0 && header.size() != kV00Length) return fail(TraceparentError::wrong_length);

  TraceContext context;
  context.version = static_cast<std::uint8_t>(version);
  std::uint64_t flags = 0;
  if (auto e = read_hex(header, 3, 16, context.trace_id.high); e != TraceparentError::none) return fail(e);
  if (auto e = read_hex(header, 19, 16, context.trace_id.low); e != TraceparentError::none) return fail(e);
  if (header[35] != '-') return fail(TraceparentError::missing_dash);
  if (auto e = read_hex(header, 36, 16, context.parent_id); e != TraceparentError::none) return fail(e);
  if (header[52] != '-') return fail(TraceparentError::missing_dash);
  if (auto e = read_hex(header, 53, 2, flags); e != TraceparentError::none) return fail(e);
  if (header.size() > kV00Length && header[kV00Length] != '-') return fail(TraceparentError::bad_future_format);
  if (!context.trace_id.is_valid()) return fail(TraceparentError::zero_trace_id);
  if (context.parent_id == 0) return fail(TraceparentError::zero_parent_id);
  context.flags = static_cast<std::uint8_t>(flags);
  return {context, TraceparentError::none};
}

std::string format_traceparent(const TraceContext& context) {
  std::string out;
  out.reserve(kV00Length);
  out += "00-";
  append_hex(out, context.trace_id.high, 16);
  append_hex(out, context.trace_id.low, 16);
  out.push_back('-');
  append_hex(out, context.parent_id, 16);
  out.push_back('-');
  append_hex(out, context.flags, 2);
  return out;
}

std::string to_hex(const TraceId& id) {
  std::string out;
  append_hex(out, id.high, 16);
  append_hex(out, id.low, 16);
  return out;
}

std::string span_id_hex(SpanId id) {
  std::string out;
  append_hex(out, id, 16);
  return out;
}

TraceId new_trace_id(Rng& rng) {
  TraceId id;
  do {
    id.high = rng.next_u64();
    id.low = rng.next_u64();
  } while (!id.is_valid());
  return id;
}

SpanId new_span_id(Rng& rng) {
  SpanId id = 0;
  while (id == 0) id = rng.next_u64();
  return id;
}

}  // namespace dsplay::monitor
