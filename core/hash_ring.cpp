// Consistent hashing ring with virtual nodes, modulo hashing, and remap accounting (see hash_ring.hpp).
#include "core/hash_ring.hpp"

#include <algorithm>
#include <cmath>

#include "core/stable_hash.hpp"

namespace dsplay {

std::uint32_t ring_key_position(std::string_view key) {
  return static_cast<std::uint32_t>(stable_hash64(key) >> 32);
}

std::uint32_t ring_point_position(std::string_view member, std::uint32_t replica) {
  std::string text(member);
  text += '#';
  text += std::to_string(replica);
  return static_cast<std::uint32_t>(stable_hash64(text, 0x52494E47ull) >> 32);
}

void HashRing::build(const std::vector<std::string>& members, std::uint32_t points_per_member) {
  points_.clear();
  points_.reserve(members.size() * points_per_member);
  for (std::uint32_t m = 0; m < members.size(); ++m)
    for (std::uint32_t r = 0; r < points_per_member; ++r) points_.push_back({ring_point_position(members[m], r), m});
  std::sort(points_.begin(), points_.end(), [](const Point& a, const Point& b) {
    return a.position < b.position || (a.position == b.position && a.member < b.member);
  });
}

std::uint32_t HashRing::lookup(std::uint32_t position, const std::vector<std::uint8_t>* alive) const {
  if (points_.empty()) return kNoMember;
  auto it = std::lower_bound(points_.begin(), points_.end(), position,
                             [](const Point& p, std::uint32_t pos) { return p.position < pos; });
  std::size_t i = static_cast<std::size_t>(it - points_.begin());
  for (std::size_t step = 0; step < points_.size(); ++step) {
    const Point& p = points_[(i + step) % points_.size()];
    if (alive == nullptr || (p.member < alive->size() && (*alive)[p.member])) return p.member;
  }
  return kNoMember;
}

const char* ring_algo_name(RingAlgo algo) { return algo == RingAlgo::ring ? "ring" : "mod"; }

bool RingModule::has_member(const std::string& name) const {
  return std::find(members_.begin(), members_.end(), name) != members_.end();
}

void RingModule::forget_last_remap() {
  last_remap_ = RemapReport{};
  last_remap_.keys = key_positions_.size();
  key_moved_.assign(key_positions_.size(), 0);
}

void RingModule::add_member(const std::string& name) {
  if (has_member(name)) return;
  members_.push_back(name);
  alive_.push_back(1);
  rebuild("add " + name, name, "");
}

void RingModule::remove_member(const std::string& name) {
  auto it = std::find(members_.begin(), members_.end(), name);
  if (it == members_.end()) return;
  const auto index = static_cast<std::size_t>(it - members_.begin());
  const bool was_alive = alive_[index] != 0;
  // Owners are compared by name, so translate old owners before the indices shift.
  std::vector<std::string> old_owner_names;
  old_owner_names.reserve(key_owner_.size());
  for (std::uint32_t owner : key_owner_) old_owner_names.push_back(owner == kNoMember ? "" : members_[owner]);
  members_.erase(it);
  alive_.erase(alive_.begin() + static_cast<std::ptrdiff_t>(index));
  key_owner_.clear();
  // Keys of the removed member get an index past the end: "moved away from the removed one".
  const auto gone = static_cast<std::uint32_t>(members_.size());
  for (const auto& owner_name : old_owner_names) {
    if (owner_name.empty()) {
      key_owner_.push_back(kNoMember);
      continue;
    }
    auto pos = std::find(members_.begin(), members_.end(), owner_name);
    key_owner_.push_back(pos == members_.end() ? gone : static_cast<std::uint32_t>(pos - members_.begin()));
  }
  rebuild("remove " + name, "", was_alive ? name : "");
}

void RingModule::set_alive(const std::string& name, bool alive) {
  auto it = std::find(members_.begin(), members_.end(), name);
  if (it == members_.end()) return;
  auto& flag = alive_[static_cast<std::size_t>(it - members_.begin())];
  if ((flag != 0) == alive) return;
  flag = alive ? 1 : 0;
  rebuild((alive ? "recover " : "fail ") + name, alive ? name : "", alive ? "" : name);
}

void RingModule::set_config(const RingConfig& new_config) {
  const bool keys_changed = new_config.key_count != config.key_count;
  config = new_config;
  if (keys_changed) {
    key_positions_.clear();
    key_owner_.clear();
  }
  rebuild(std::string("config ") + ring_algo_name(config.algo) + ", " + std::to_string(config.points_per_node) +
              " points/node",
          "", "");
}

std::uint32_t RingModule::owner_of_position(std::uint32_t position, std::uint64_t key_hash) const {
  if (config.algo == RingAlgo::ring) return ring_.lookup(position, &alive_);
  // Modulo hashing over the live members in join order: what a naive "hash % n" client does.
  std::uint32_t live = 0;
  for (auto a : alive_) live += a;
  if (live == 0) return kNoMember;
  std::uint64_t pick = key_hash % live;
  for (std::uint32_t m = 0; m < members_.size(); ++m) {
    if (!alive_[m]) continue;
    if (pick == 0) return m;
    --pick;
  }
  return kNoMember;
}

std::uint32_t RingModule::owner_of(std::string_view key) const {
  return owner_of_position(ring_key_position(key), stable_hash64(key));
}

void RingModule::rebuild(const std::string& change, const std::string& added, const std::string& removed) {
  if (key_positions_.size() != config.key_count) {
    key_positions_.clear();
    key_hashes_.clear();
    for (std::uint32_t k = 0; k < config.key_count; ++k) {
      const std::string key = "key-" + std::to_string(k);
      key_positions_.push_back(ring_key_position(key));
      key_hashes_.push_back(stable_hash64(key));
    }
  }
  ring_.build(members_, config.points_per_node);
  std::vector<std::uint32_t> old_owner = key_owner_;
  const bool had_owners = old_owner.size() == key_positions_.size();
  key_owner_.resize(key_positions_.size());
  key_moved_.assign(key_positions_.size(), 0);
  RemapReport report;
  report.change = change;
  report.keys = key_positions_.size();
  for (std::size_t k = 0; k < key_positions_.size(); ++k) {
    key_owner_[k] = owner_of_position(key_positions_[k], key_hashes_[k]);
    if (!had_owners || old_owner[k] == key_owner_[k] || old_owner[k] == kNoMember) continue;
    key_moved_[k] = 1;
    ++report.moved;
    const bool to_added = !added.empty() && key_owner_[k] != kNoMember && members_[key_owner_[k]] == added;
    const bool from_removed = !removed.empty() && (key_owner_[k] == kNoMember || old_owner[k] >= members_.size() ||
                                                   members_[old_owner[k]] == removed);
    if (!to_added && !from_removed) ++report.moved_elsewhere;
  }
  std::uint32_t live = 0;
  for (auto a : alive_) live += a;
  report.moved_fraction = report.keys ? static_cast<double>(report.moved) / static_cast<double>(report.keys) : 0;
  if (!added.empty() && live > 0) report.ideal_fraction = 1.0 / live;           // 1/(n+1)
  else if (!removed.empty()) report.ideal_fraction = 1.0 / (live + 1);          // 1/n of the old n
  if (!had_owners) report = RemapReport{change, report.keys, 0, 0, 0, 0};
  last_remap_ = report;
}

std::vector<std::uint64_t> RingModule::keys_per_member() const {
  std::vector<std::uint64_t> counts(members_.size(), 0);
  for (std::uint32_t owner : key_owner_)
    if (owner != kNoMember) ++counts[owner];
  return counts;
}

namespace {
std::vector<double> live_loads(const RingModule& ring) {
  std::vector<double> out;
  const auto counts = ring.keys_per_member();
  for (std::size_t m = 0; m < counts.size(); ++m)
    if (ring.alive()[m]) out.push_back(static_cast<double>(counts[m]));
  return out;
}
}  // namespace

double RingModule::load_max_over_mean() const {
  const auto loads = live_loads(*this);
  if (loads.empty()) return 0;
  double sum = 0, max = 0;
  for (double l : loads) sum += l, max = std::max(max, l);
  const double mean = sum / static_cast<double>(loads.size());
  return mean > 0 ? max / mean : 0;
}

double RingModule::load_stddev_over_mean() const {
  const auto loads = live_loads(*this);
  if (loads.empty()) return 0;
  double sum = 0;
  for (double l : loads) sum += l;
  const double mean = sum / static_cast<double>(loads.size());
  double var = 0;
  for (double l : loads) var += (l - mean) * (l - mean);
  var /= static_cast<double>(loads.size());
  return mean > 0 ? std::sqrt(var) / mean : 0;
}

}  // namespace dsplay

