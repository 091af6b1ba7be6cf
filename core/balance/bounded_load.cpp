// Consistent hashing with bounded loads (see bounded_load.hpp).
#include "core/balance/bounded_load.hpp"

#include <algorithm>

namespace dsplay::balance {
namespace {

// First node along the ring from the key's point whose load is below cap. Every node has
// points_per_node points, so one lap visits every node; kNoServer only if none has room.
template <class HasRoom>
std::uint32_t walk_ring(const Ring& ring, std::uint64_t key_hash, HasRoom has_room) {
  const std::uint32_t points = ring.point_count();
  if (points == 0) return kNoServer;
  std::uint32_t p = ring.point_index(key_hash);
  const auto& owners = ring.owners();
  for (std::uint32_t step = 0; step < points; ++step) {
    const std::uint32_t node = owners[p];
    if (has_room(node)) return node;
    if (++p == points) p = 0;
  }
  return kNoServer;
}

}  // namespace

BoundedLoadRing::BoundedLoadRing(std::vector<std::string> nodes, BoundedLoadConfig config)
    : config_(config), ring_(std::move(nodes), config.ring) {
  by_node_.resize(node_count());
  loads_.assign(node_count(), 0);
}

std::uint32_t BoundedLoadRing::walk(std::uint64_t key_hash, std::uint64_t cap) const {
  return walk_ring(ring_, key_hash, [&](std::uint32_t node) { return loads_[node] < cap; });
}

void BoundedLoadRing::place(std::uint64_t key_hash, std::uint32_t node, std::uint64_t seq) {
  keys_[key_hash] = Placed{node, seq};
  if (node == kNoServer) return;
  by_node_[node].insert({seq, key_hash});
  ++loads_[node];
}

void BoundedLoadRing::unplace(std::uint64_t key_hash) {
  auto it = keys_.find(key_hash);
  if (it == keys_.end()) return;
  const Placed placed = it->second;
  keys_.erase(it);
  if (placed.owner == kNoServer) return;
  by_node_[placed.owner].erase({placed.seq, key_hash});
  --loads_[placed.owner];
}

std::uint32_t BoundedLoadRing::assign(std::uint64_t key_hash) {
  last_moves_.clear();
  if (auto it = keys_.find(key_hash); it != keys_.end()) return it->second.owner;
  // The cap counts the key being placed. Loads were <= cap(m) <= cap(m + 1), and the walk only
  // stops at a node below cap(m + 1): the cap holds for every node afterwards.
  const std::uint64_t cap = bounded_load_capacity(keys_.size() + 1, node_count(), config_.epsilon_permille);
  const std::uint32_t node = walk(key_hash, cap);
  place(key_hash, node, next_seq_++);
  return node;
}

bool BoundedLoadRing::release(std::uint64_t key_hash) {
  last_moves_.clear();
  if (keys_.find(key_hash) == keys_.end()) return false;
  unplace(key_hash);
  // The cap may have shrunk below some node's load: move that node's most recently placed keys
  // on along their own ring walk (full nodes, including this one, are skipped). There is always
  // room: nodes * cap >= keys.
  const std::uint64_t cap = capacity();
  for (std::uint32_t node = 0; node < node_count(); ++node) {
    while (loads_[node] > cap) {
      const auto latest = *by_node_[node].rbegin();
      const std::uint64_t moved_key = latest.second;
      unplace(moved_key);
      const std::uint32_t to = walk(moved_key, cap);
      place(moved_key, to, latest.first);
      last_moves_.push_back(BoundedMove{moved_key, node, to});
    }
  }
  return true;
}

std::uint32_t BoundedLoadRing::owner_of(std::uint64_t key_hash) const {
  auto it = keys_.find(key_hash);
  return it == keys_.end() ? kNoServer : it->second.owner;
}

std::vector<std::uint64_t> BoundedLoadRing::keys_in_order() const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> by_seq;  // (seq, key hash)
  by_seq.reserve(keys_.size());
  for (const auto& [key, placed] : keys_) by_seq.emplace_back(placed.seq, key);
  std::sort(by_seq.begin(), by_seq.end());
  std::vector<std::uint64_t> out;
  out.reserve(by_seq.size());
  for (const auto& entry : by_seq) out.push_back(entry.second);
  return out;
}

RemapReport BoundedLoadRing::replay(const std::vector<std::string>& nodes_before) {
  // Re-place every key in its original order, as if the keys had arrived at the new membership:
  // after each placement the cap for the keys placed so far holds, so it holds at the end.
  const std::vector<std::uint64_t> order = keys_in_order();
  std::vector<std::uint32_t> owner_before;
  std::vector<std::uint64_t> seqs;
  owner_before.reserve(order.size());
  seqs.reserve(order.size());
  for (auto key : order) {
    owner_before.push_back(keys_[key].owner);
    seqs.push_back(keys_[key].seq);
  }
  keys_.clear();
  by_node_.assign(node_count(), {});
  loads_.assign(node_count(), 0);
  std::vector<std::uint32_t> owner_after;
  owner_after.reserve(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint64_t cap = bounded_load_capacity(k + 1, node_count(), config_.epsilon_permille);
    const std::uint32_t node = walk(order[k], cap);
    place(order[k], node, seqs[k]);
    owner_after.push_back(node);
  }
  RemapReport report = account_remap(nodes_before, owner_before, ring_.nodes(), owner_after);
  last_moves_.clear();
  for (const auto& move : report.moves) last_moves_.push_back(BoundedMove{order[move.key], move.from, move.to});
  return report;
}

RemapReport BoundedLoadRing::add_node(const std::string& name) {
  const std::vector<std::string> before = ring_.nodes();
  ring_.add_node(name);
  return replay(before);
}

RemapReport BoundedLoadRing::remove_node(std::string_view name) {
  const std::vector<std::string> before = ring_.nodes();
  if (!ring_.remove_node(name)) return RemapReport{};
  return replay(before);
}

std::uint32_t BoundedLoadPick::pick(const Request& request, const ServerLoads& loads, Rng& rng) const {
  if (request.key) return pick_hash(key_hash64(*request.key), loads);
  std::uint32_t eligible = 0;
  const std::uint32_t n = std::min<std::uint32_t>(loads.size(), static_cast<std::uint32_t>(ring_.nodes().size()));
  for (std::uint32_t i = 0; i < n; ++i) eligible += loads.servers[i].weight > 0 ? 1 : 0;
  if (eligible == 0) return kNoServer;
  std::uint64_t nth = rng.below(eligible);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (loads.servers[i].weight == 0) continue;
    if (nth-- == 0) return i;
  }
  return kNoServer;  // unreachable: nth < eligible
}

std::uint32_t BoundedLoadPick::pick_hash(std::uint64_t key_hash, const ServerLoads& loads) const {
  std::uint32_t eligible = 0;
  std::uint64_t total_active = 0;
  const std::uint32_t n = std::min<std::uint32_t>(loads.size(), static_cast<std::uint32_t>(ring_.nodes().size()));
  for (std::uint32_t i = 0; i < n; ++i) {
    if (loads.servers[i].weight == 0) continue;
    ++eligible;
    total_active += loads.servers[i].active;
  }
  if (eligible == 0) return kNoServer;
  const std::uint64_t cap = bounded_load_capacity(total_active + 1, eligible, epsilon_permille_);
  return walk_ring(ring_, key_hash, [&](std::uint32_t node) {
    return node < n && loads.servers[node].weight > 0 && loads.servers[node].active < cap;
  });
}

}  // namespace dsplay::balance
