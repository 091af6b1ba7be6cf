// Stable text form and hash folding of trace records (see trace.hpp).
#include "core/trace.hpp"

#include <cstdio>

#include "core/stable_hash.hpp"

namespace dsplay {

const char* trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::send: return "send";
    case TraceKind::deliver: return "deliver";
    case TraceKind::drop: return "drop";
    case TraceKind::timer: return "timer";
    case TraceKind::start: return "start";
    case TraceKind::crash: return "crash";
    case TraceKind::restart: return "restart";
    case TraceKind::pause: return "pause";
    case TraceKind::resume: return "resume";
    case TraceKind::node_added: return "node_added";
    case TraceKind::node_removed: return "node_removed";
    case TraceKind::command: return "command";
    case TraceKind::rejected: return "rejected";
    case TraceKind::note: return "note";
    case TraceKind::violation: return "VIOLATION";
  }
  return "?";
}

namespace {
std::string node_text(NodeId id, const std::vector<std::string>& names) {
  if (id == kNoNode) return "-";
  if (id < names.size()) return names[id];
  return "n" + std::to_string(id);
}
}  // namespace

std::string format_trace_record(const TraceRecord& r, const std::vector<std::string>& names) {
  char head[64];
  const std::int64_t t = r.time_us;
  std::snprintf(head, sizeof head, "%6lld.%06llds #%llu ", static_cast<long long>(t / kUsPerS),
                static_cast<long long>((t < 0 ? -t : t) % kUsPerS), static_cast<unsigned long long>(r.event));
  std::string out = head;
  out += trace_kind_name(r.kind);
  out += ' ';
  switch (r.kind) {
    case TraceKind::send:
      out += std::string(r.label) + " " + node_text(r.node, names) + " -> " + node_text(r.peer, names) +
             " msg=" + std::to_string(r.msg_id);
      break;
    case TraceKind::deliver:
      out += std::string(r.label) + " " + node_text(r.peer, names) + " -> " + node_text(r.node, names) +
             " msg=" + std::to_string(r.msg_id);
      break;
    case TraceKind::drop:
      out += std::string(r.label) + " " + node_text(r.node, names) + " -> " + node_text(r.peer, names) +
             " msg=" + std::to_string(r.msg_id) + " (" + drop_reason_name(static_cast<DropReason>(r.a)) + ")";
      return out;
    case TraceKind::timer:
      out += node_text(r.node, names) + " kind=" + std::to_string(r.a);
      return out;
    case TraceKind::command:
    case TraceKind::rejected:
    case TraceKind::note:
    case TraceKind::violation:
      out += r.label;
      if (r.node != kNoNode) out += " " + node_text(r.node, names);
      if (r.peer != kNoNode) out += " -> " + node_text(r.peer, names);
      break;
    default:
      out += node_text(r.node, names);
      break;
  }
  if (r.a != 0 || r.b != 0) out += " (" + std::to_string(r.a) + ", " + std::to_string(r.b) + ")";
  return out;
}

namespace {
// Labels are short literals: FNV-1a over their bytes is stable and cheap.
std::uint64_t label_hash(const char* label) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char* p = label; *p != '\0'; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 0x100000001B3ull;
  return h;
}
constexpr std::uint64_t combine(std::uint64_t h, std::uint64_t v) {
  h ^= v;
  h *= 0x9E3779B97F4A7C15ull;
  return (h << 29) | (h >> 35);
}
}  // namespace

// One multiply per field and one strong mix per record: this runs for every record of every
// run, so it is on the simulator's hot path (see BM_SimHold).
std::uint64_t trace_label_hash(const char* label) { return label_hash(label); }

std::uint64_t fold_trace_hash(std::uint64_t hash, const TraceRecord& r) {
  return fold_trace_hash(hash, r, label_hash(r.label));
}

std::uint64_t fold_trace_hash(std::uint64_t hash, const TraceRecord& r, std::uint64_t label_hash_value) {
  std::uint64_t h = combine(hash, r.event);
  h = combine(h, static_cast<std::uint64_t>(r.time_us));
  h = combine(h, static_cast<std::uint64_t>(r.kind) | (static_cast<std::uint64_t>(r.node) << 8) |
                     (static_cast<std::uint64_t>(r.peer) << 40));
  h = combine(h, r.msg_id);
  h = combine(h, label_hash_value);
  h = combine(h, static_cast<std::uint64_t>(r.a));
  h = combine(h, static_cast<std::uint64_t>(r.b));
  return mix64(h);
}

}  // namespace dsplay
