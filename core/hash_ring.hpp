// Consistent hashing with virtual nodes, and modulo hashing as the contrast. HashRing is the pure
// structure (sorted 32-bit points, 8 bytes each); RingModule is the world's ring: its members are
// the world's cache nodes, it places a fixed set of sample keys and accounts for every remap
// (which keys moved, where to, and the fraction moved against the ideal).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dsplay {

constexpr std::uint32_t kNoMember = 0xFFFFFFFFu;

// Position of a key / a member's replica point on the 32-bit ring.
std::uint32_t ring_key_position(std::string_view key);
std::uint32_t ring_point_position(std::string_view member, std::uint32_t replica);

class HashRing {
 public:
  struct Point {
    std::uint32_t position;
    std::uint32_t member;  // index into the member list given to build()
    bool operator==(const Point&) const = default;
  };

  void build(const std::vector<std::string>& members, std::uint32_t points_per_member);
  // Owner of a position: the first point at or after it, wrapping around. alive (optional, one
  // flag per member) skips dead members' points. kNoMember on an empty ring or nobody alive.
  std::uint32_t lookup(std::uint32_t position, const std::vector<std::uint8_t>* alive = nullptr) const;
  const std::vector<Point>& points() const { return points_; }
  bool operator==(const HashRing&) const = default;

 private:
  std::vector<Point> points_;  // sorted by (position, member)
};

enum class RingAlgo : std::uint8_t { ring, mod };
const char* ring_algo_name(RingAlgo algo);

struct RingConfig {
  RingAlgo algo = RingAlgo::ring;
  std::uint32_t points_per_node = 100;
  std::uint32_t key_count = 1000;  // sample keys "key-0" ... placed and tracked
  bool operator==(const RingConfig&) const = default;
};

struct RemapReport {
  std::string change;              // "add c4", "fail c2", ... ("" before any change)
  std::uint64_t keys = 0;
  std::uint64_t moved = 0;         // keys whose owner changed
  std::uint64_t moved_elsewhere = 0;  // moved keys that did not go to the added node / come from the removed one
  double moved_fraction = 0;       // moved / keys
  double ideal_fraction = 0;       // 1/(n+1) on add, 1/n on remove: what a perfect scheme moves
  bool operator==(const RemapReport&) const = default;
};

class RingModule {
 public:
  RingConfig config;

  void add_member(const std::string& name);
  void remove_member(const std::string& name);
  void set_alive(const std::string& name, bool alive);
  void set_config(const RingConfig& new_config);  // rebuilds and accounts the remap
  bool has_member(const std::string& name) const;
  void forget_last_remap();  // the initial placement is not a remap

  // Member index that owns a key under the current algorithm and liveness (kNoMember if none).
  std::uint32_t owner_of(std::string_view key) const;

  const std::vector<std::string>& members() const { return members_; }
  const std::vector<std::uint8_t>& alive() const { return alive_; }
  const HashRing& ring() const { return ring_; }
  const std::vector<std::uint32_t>& key_positions() const { return key_positions_; }
  const std::vector<std::uint32_t>& key_owner() const { return key_owner_; }  // per sample key
  const std::vector<std::uint8_t>& key_moved() const { return key_moved_; }   // moved in the last change
  const RemapReport& last_remap() const { return last_remap_; }
  std::vector<std::uint64_t> keys_per_member() const;
  double load_max_over_mean() const;    // over alive members
  double load_stddev_over_mean() const;
  bool operator==(const RingModule&) const = default;

 private:
  void rebuild(const std::string& change, const std::string& added, const std::string& removed);
  std::uint32_t owner_of_position(std::uint32_t position, std::uint64_t key_hash) const;

  std::vector<std::string> members_;  // join order
  std::vector<std::uint8_t> alive_;
  HashRing ring_;
  std::vector<std::uint32_t> key_positions_;
  std::vector<std::uint64_t> key_hashes_;
  std::vector<std::uint32_t> key_owner_;
  std::vector<std::uint8_t> key_moved_;
  RemapReport last_remap_;
};

}  // namespace dsplay
