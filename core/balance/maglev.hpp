// Maglev hashing (Eisenbud et al., NSDI 2016, section 3.4): every backend has a pseudo-random
// permutation of the M table slots (offset + j * skip mod M, M prime); backends take turns claiming
// their next still-empty preferred slot until the table is full. Lookups are one table read; every
// backend owns floor(M/N) or ceil(M/N) entries (they differ by at most 1). Disruption on membership
// changes is small but not minimal (unlike jump/rendezvous): it is measured, not promised.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance/types.hpp"
#include "core/rng.hpp"  // Uint128

namespace dsplay::balance {

struct MaglevConfig {
  std::uint32_t table_size = 65537;  // M: must be prime; the paper advises M >> N (we warn below 100 N)
  std::uint64_t seed = 0;
  bool operator==(const MaglevConfig&) const = default;
};

bool is_prime(std::uint32_t n);

// Lemire's fastmod (Lemire, Kaser & Kurz 2019): a % m for 32-bit a with two multiplications, given
// multiplier = ceil(2^64 / m). Exact for every 32-bit a and m >= 2.
constexpr std::uint64_t fastmod_multiplier(std::uint32_t m) { return ~std::uint64_t{0} / m + 1; }
constexpr std::uint32_t fastmod_u32(std::uint32_t a, std::uint32_t m, std::uint64_t multiplier) {
  const std::uint64_t low = multiplier * a;
  return static_cast<std::uint32_t>((static_cast<Uint128>(low) * m) >> 64);
}

class MaglevTable {
 public:
  MaglevTable() = default;
  explicit MaglevTable(std::vector<std::string> nodes, MaglevConfig config = {});

  void add_node(const std::string& name);
  bool remove_node(std::string_view name);
  void set_config(const MaglevConfig& config);

  // Owner of a key: entry[key % M] with the key's top 32 bits, reduced by a precomputed
  // multiply (Lemire's fastmod, exact for 32-bit inputs) instead of a division.
  std::uint32_t lookup(std::uint64_t key_hash) const {
    if (entries_.empty()) return kNoServer;
    const auto key32 = static_cast<std::uint32_t>(key_hash >> 32);
    return entries_[slot_of(key32)];
  }
  std::uint32_t lookup_key(std::string_view key) const { return lookup(key_hash64(key)); }
  std::uint32_t slot_of(std::uint32_t key32) const { return fastmod_u32(key32, config_.table_size, fastmod_multiplier_); }

  // The paper's preference list of a node: slot = (offset + j * skip) mod M.
  std::uint32_t offset(std::uint32_t node) const { return offset_[node]; }
  std::uint32_t skip(std::uint32_t node) const { return skip_[node]; }

  const std::vector<std::string>& nodes() const { return nodes_; }
  const MaglevConfig& config() const { return config_; }
  const std::vector<std::uint32_t>& entries() const { return entries_; }  // owner per slot
  std::vector<std::uint32_t> entries_per_node() const;

  // Empty when the table is usable. A non-prime (or < 2) table size leaves the table empty.
  const std::string& error() const { return error_; }
  // The paper keeps M at least 100 times the backend count so that weights stay accurate and
  // disruption low; smaller tables work but deserve a visible warning.
  bool table_too_small() const { return static_cast<std::uint64_t>(config_.table_size) < 100ull * nodes_.size(); }
  std::string warning() const;
  bool operator==(const MaglevTable&) const = default;

 private:
  void rebuild();

  MaglevConfig config_;
  std::vector<std::string> nodes_;
  std::vector<std::uint32_t> offset_;
  std::vector<std::uint32_t> skip_;
  std::vector<std::uint32_t> entries_;
  std::uint64_t fastmod_multiplier_ = 0;  // ceil(2^64 / M)
  std::string error_;
};

}  // namespace dsplay::balance
