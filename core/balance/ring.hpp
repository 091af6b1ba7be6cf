// A generic consistent-hash ring: each node gets `points_per_node` points at 32-bit positions
// derived from dsplay's stable 64-bit hash; a key (hashed to 64 bits, top 32 used) belongs to the
// first point at or after its position, wrapping around. Positions and owners are kept in two
// parallel arrays (structure of arrays: 8 bytes per point, and a lookup's binary search only touches
// the 4-byte positions). Exposes points and owner arcs for visualisation.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance/types.hpp"

namespace dsplay::balance {

struct RingConfig {
  std::uint32_t points_per_node = 160;
  std::uint64_t seed = 0;  // different seeds give independent point layouts (experiments over seeds)
  bool operator==(const RingConfig&) const = default;
};

class Ring {
 public:
  Ring() = default;
  explicit Ring(std::vector<std::string> nodes, RingConfig config = {});

  void add_node(const std::string& name);        // appended: existing indices keep their meaning
  bool remove_node(std::string_view name);       // later nodes' indices shift down by one
  void set_config(const RingConfig& config);

  // Owner node of a 64-bit key hash (see key_hash64); kNoServer on an empty ring.
  std::uint32_t lookup(std::uint64_t key_hash) const {
    return positions_.empty() ? kNoServer : owners_[point_index(key_hash)];
  }
  std::uint32_t lookup_key(std::string_view key) const { return lookup(key_hash64(key)); }
  // Index of the point that owns a key hash (the first point at or after it, wrapping). The ring
  // must not be empty. Bounded-load walks continue from here.
  std::uint32_t point_index(std::uint64_t key_hash) const;
  static constexpr std::uint32_t key_position(std::uint64_t key_hash) {
    return static_cast<std::uint32_t>(key_hash >> 32);
  }
  // Position of a node's replica r (deterministic in name, r and the seed).
  static std::uint32_t point_position(std::string_view node, std::uint32_t replica, std::uint64_t seed);

  const std::vector<std::string>& nodes() const { return nodes_; }
  const RingConfig& config() const { return config_; }
  const std::vector<std::uint32_t>& positions() const { return positions_; }  // sorted ascending
  const std::vector<std::uint32_t>& owners() const { return owners_; }        // owner per point
  std::uint32_t point_count() const { return static_cast<std::uint32_t>(positions_.size()); }
  // Per node: the total length of the arcs it owns, in units of 1/2^32 of the ring (sums to 2^32).
  // A point at p owns (previous point, p]; the first point also owns the wrap-around arc.
  std::vector<std::uint64_t> owned_arc_length() const;
  // Heap bytes held by the lookup arrays (capacity, not size): the "bytes per point" budget.
  std::size_t memory_bytes() const;
  bool operator==(const Ring&) const = default;

 private:
  void rebuild();

  RingConfig config_;
  std::vector<std::string> nodes_;
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint32_t> owners_;
};

}  // namespace dsplay::balance
