// Remap accounting shared by every placement structure: given the owners of a fixed key set before
// and after a membership change, which keys moved, from where, to where, and whether each move was
// "necessary" (to an added node / from a removed one) or a disruption between surviving nodes.
// Nodes are matched by name, so index shifts after a removal are not mistaken for moves.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dsplay::balance {

struct KeyMove {
  std::uint32_t key = 0;   // index into the caller's key list
  std::uint32_t from = 0;  // node index in the "before" node list
  std::uint32_t to = 0;    // node index in the "after" node list
  bool operator==(const KeyMove&) const = default;
};

struct RemapReport {
  std::uint64_t keys = 0;
  std::uint64_t moved = 0;
  std::uint64_t moved_to_added = 0;      // destination did not exist before
  std::uint64_t moved_from_removed = 0;  // source does not exist after (and destination is not new)
  std::uint64_t moved_elsewhere = 0;     // between two surviving nodes: minimal disruption forbids it
  std::vector<KeyMove> moves;            // filled when asked for (record_moves)
  bool operator==(const RemapReport&) const = default;
};

// owner_before[k] indexes nodes_before (kNoServer allowed), owner_after[k] indexes nodes_after.
// Both owner lists must have the same length (the same keys in the same order).
RemapReport account_remap(const std::vector<std::string>& nodes_before,
                          const std::vector<std::uint32_t>& owner_before,
                          const std::vector<std::string>& nodes_after,
                          const std::vector<std::uint32_t>& owner_after, bool record_moves = true);

}  // namespace dsplay::balance
