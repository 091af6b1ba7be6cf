// Maglev table population (see maglev.hpp).
#include "core/balance/maglev.hpp"

#include <algorithm>

#include "core/stable_hash.hpp"

namespace dsplay::balance {

bool is_prime(std::uint32_t n) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  for (std::uint32_t d = 3; static_cast<std::uint64_t>(d) * d <= n; d += 2)
    if (n % d == 0) return false;
  return true;
}

MaglevTable::MaglevTable(std::vector<std::string> nodes, MaglevConfig config)
    : config_(config), nodes_(std::move(nodes)) {
  rebuild();
}

void MaglevTable::add_node(const std::string& name) {
  nodes_.push_back(name);
  rebuild();
}

bool MaglevTable::remove_node(std::string_view name) {
  auto it = std::find(nodes_.begin(), nodes_.end(), name);
  if (it == nodes_.end()) return false;
  nodes_.erase(it);
  rebuild();
  return true;
}

void MaglevTable::set_config(const MaglevConfig& config) {
  config_ = config;
  rebuild();
}

std::vector<std::uint32_t> MaglevTable::entries_per_node() const {
  std::vector<std::uint32_t> counts(nodes_.size(), 0);
  for (auto e : entries_)
    if (e != kNoServer) ++counts[e];
  return counts;
}

std::string MaglevTable::warning() const {
  if (!table_too_small()) return {};
  return "Maglev table size " + std::to_string(config_.table_size) + " is smaller than 100 x " +
         std::to_string(nodes_.size()) + " backends: expect uneven weights and more disruption";
}

void MaglevTable::rebuild() {
  const std::uint32_t m = config_.table_size;
  offset_.clear();
  skip_.clear();
  entries_.clear();
  error_.clear();
  fastmod_multiplier_ = 0;
  if (!is_prime(m)) {
    error_ = "Maglev table size " + std::to_string(m) + " is not prime";
    return;
  }
  fastmod_multiplier_ = fastmod_multiplier(m);
  const auto n = static_cast<std::uint32_t>(nodes_.size());
  offset_.resize(n);
  skip_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    // Two independent hashes of the name, as in the paper (offset = h1 % M, skip = h2 % (M-1) + 1).
    offset_[i] = static_cast<std::uint32_t>(stable_hash64(nodes_[i], config_.seed ^ 0x4D41474C45560001ull) % m);
    skip_[i] = m == 2 ? 1 : static_cast<std::uint32_t>(stable_hash64(nodes_[i], config_.seed ^ 0x4D41474C45560002ull) % (m - 1)) + 1;
  }
  if (n == 0) return;

  // Paper's Pseudocode 1. Each backend walks its own permutation; `next_slot` is its current
  // candidate slot, advanced by skip mod M with a subtraction instead of a division. The "is this
  // slot taken" test reads a bitmap (M bits: 8 KiB at M = 65537, in L1) instead of the table.
  entries_.assign(m, kNoServer);
  std::vector<std::uint64_t> taken((m + 63) / 64, 0);
  std::vector<std::uint32_t> next_slot(offset_);
  std::uint32_t filled = 0;
  for (;;) {
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t c = next_slot[i];
      const std::uint32_t step = skip_[i];
      const std::uint32_t wrap = m - step;  // c + step - m without overflowing 32 bits
      while ((taken[c >> 6] >> (c & 63)) & 1) c = c >= wrap ? c - wrap : c + step;
      taken[c >> 6] |= std::uint64_t{1} << (c & 63);
      entries_[c] = i;
      next_slot[i] = c >= wrap ? c - wrap : c + step;
      if (++filled == m) return;
    }
  }
}

}  // namespace dsplay::balance
