// A broken invariant, as a checker records it: which event revealed it, who was involved and the
// earlier events that caused it (a grant, a write, a crash), so the UI can jump to each of them
// and mark them on the space-time diagram.
#pragma once
#include <array>
#include <cstdint>

#include "core/network.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

struct Violation {
  std::uint64_t event = 0;  // the event after which the checker saw it
  SimTimeUs time_us = 0;
  const char* what = "";  // string literal: "two holders", "stale write accepted", "lock stuck forever"
  NodeId node = kNoNode;
  NodeId peer = kNoNode;
  // Events that led to it, earliest first; 0 = unused. Their meaning per rule is in docs/LOCKS.md.
  std::array<std::uint64_t, 3> causes{};
  bool operator==(const Violation&) const = default;
};

}  // namespace dsplay
