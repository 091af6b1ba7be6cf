// The trace: one structured record per thing that happened (event processed, message sent,
// dropped, note from a process, violation found). Records are plain values with static labels,
// cheap enough to keep for every event; their text form is stable and their fields feed the
// world's running trace hash, which is what "same seed, same run" is checked against.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/network.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

enum class TraceKind : std::uint8_t {
  send,        // node -> peer, msg_id, label = payload name
  deliver,     // peer -> node (node receives), msg_id, label = payload name
  drop,        // message msg_id from node to peer was dropped; a = DropReason
  timer,       // node's timer fired; a = timer kind
  start,       // node's process starts (at time 0, when added, after a restart)
  crash,
  restart,
  pause,
  resume,
  node_added,
  node_removed,
  command,     // a command was applied; label = command name, node/peer if it names them
  rejected,    // a command could not be applied; label = command name
  note,        // a process reports something; label says what, peer/a/b give details
  violation,   // a checker found a broken invariant; label says which
};
const char* trace_kind_name(TraceKind kind);

struct TraceRecord {
  std::uint64_t event = 0;  // number of the event this belongs to (1-based; 0 = world setup)
  SimTimeUs time_us = 0;
  TraceKind kind = TraceKind::note;
  NodeId node = kNoNode;
  NodeId peer = kNoNode;
  std::uint64_t msg_id = 0;
  const char* label = "";   // always a string literal (static lifetime)
  std::int64_t a = 0;
  std::int64_t b = 0;
};

using TraceLog = std::vector<TraceRecord>;

// Stable one-line text: "     1.234567s #42 deliver TokenGrant coord -> c1 msg=17 (3, 7)".
// node_names maps NodeId -> name (ids beyond it print as n<id>).
std::string format_trace_record(const TraceRecord& record, const std::vector<std::string>& node_names);

// Folds one record into a running trace hash.
std::uint64_t fold_trace_hash(std::uint64_t hash, const TraceRecord& record);
// The same with the label's hash (trace_label_hash) already known: the world memoizes it.
std::uint64_t fold_trace_hash(std::uint64_t hash, const TraceRecord& record, std::uint64_t label_hash);
// FNV-1a of a label's bytes, as fold_trace_hash folds it in.
std::uint64_t trace_label_hash(const char* label);

// Label hashes memoized by the label's address (labels are string literals, so an address always
// names the same bytes): one pass over a label's bytes per world instead of one per record, which
// was a sixth of the simulator's time per event. A cache, not state: two memos always compare equal.
class TraceLabelMemo {
 public:
  std::uint64_t hash(const char* label) {
    const auto key = reinterpret_cast<std::uintptr_t>(label);
    Slot& slot = slots_[((key >> 3) ^ (key >> 10)) % kSlots];
    if (slot.label != label) slot = {label, trace_label_hash(label)};
    return slot.hash;
  }
  bool operator==(const TraceLabelMemo&) const { return true; }

 private:
  struct Slot {
    const char* label = nullptr;
    std::uint64_t hash = 0;
  };
  static constexpr std::size_t kSlots = 128;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace dsplay
