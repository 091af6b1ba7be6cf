// Remap accounting (see remap.hpp): name-matched comparison of two owner lists.
#include "core/balance/remap.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/balance/types.hpp"

namespace dsplay::balance {

RemapReport account_remap(const std::vector<std::string>& nodes_before,
                          const std::vector<std::uint32_t>& owner_before,
                          const std::vector<std::string>& nodes_after,
                          const std::vector<std::uint32_t>& owner_after, bool record_moves) {
  // before index -> after index of the same name (kNoServer when the node is gone), via a sorted
  // name list: no unordered containers, and O((n + m) log m) however the nodes were reordered.
  std::vector<std::pair<std::string_view, std::uint32_t>> after_sorted;
  after_sorted.reserve(nodes_after.size());
  for (std::uint32_t i = 0; i < nodes_after.size(); ++i) after_sorted.emplace_back(nodes_after[i], i);
  std::sort(after_sorted.begin(), after_sorted.end());
  std::vector<std::uint32_t> before_to_after(nodes_before.size(), kNoServer);
  std::vector<std::uint8_t> after_existed(nodes_after.size(), 0);
  for (std::uint32_t i = 0; i < nodes_before.size(); ++i) {
    auto it = std::lower_bound(after_sorted.begin(), after_sorted.end(),
                               std::pair<std::string_view, std::uint32_t>(nodes_before[i], 0));
    if (it != after_sorted.end() && it->first == nodes_before[i]) {
      before_to_after[i] = it->second;
      after_existed[it->second] = 1;
    }
  }

  RemapReport report;
  const std::size_t count = std::min(owner_before.size(), owner_after.size());
  report.keys = count;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint32_t from = owner_before[k];
    const std::uint32_t to = owner_after[k];
    const std::uint32_t from_now = from < before_to_after.size() ? before_to_after[from] : kNoServer;
    if (from_now == to && to != kNoServer) continue;
    if (from == kNoServer && to == kNoServer) continue;
    ++report.moved;
    const bool to_added = to != kNoServer && to < after_existed.size() && !after_existed[to];
    const bool from_removed = from != kNoServer && from_now == kNoServer;
    if (to_added) ++report.moved_to_added;
    else if (from_removed) ++report.moved_from_removed;
    else ++report.moved_elsewhere;
    if (record_moves) report.moves.push_back(KeyMove{static_cast<std::uint32_t>(k), from, to});
  }
  return report;
}

}  // namespace dsplay::balance
