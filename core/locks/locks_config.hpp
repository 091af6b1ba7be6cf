// Settings of the lock family in core/locks/ (ticket, queue, Redis, Redlock clients, the storage
// node they write to), as one config section ("locks" in scenario files). The token lock keeps its
// own section (token_lock.hpp) from before. Names of the enum values are the scenario-file words.
#pragma once
#include <cstdint>

#include "core/sim_time.hpp"

namespace dsplay {

// How a client of the single Redis server takes and gives back the lock.
enum class RedisVariant : std::uint8_t {
  naive,   // SETNX then EXPIRE (two commands), release by plain DEL
  atomic,  // SET key value NX PX ttl, release by compare-and-delete
  fenced,  // atomic, and every grant carries a fencing token (INCR in the same script)
};
const char* redis_variant_name(RedisVariant variant);
bool parse_redis_variant(const char* text, RedisVariant& out);

// What a waiter of the queue lock watches in the coordination service.
enum class QueueWatch : std::uint8_t {
  predecessor,  // only the entry just before its own: one wake-up per release
  herd,         // the whole child list: every change wakes every waiter (the herd effect)
};
const char* queue_watch_name(QueueWatch watch);
bool parse_queue_watch(const char* text, QueueWatch& out);

struct LocksConfig {
  // --- every lock client: the critical-section program ---
  SimTimeUs hold_us = 400 * kUsPerMs;   // work inside the critical section before writing
  SimTimeUs think_us = 800 * kUsPerMs;  // mean pause between an automatic client's release and next acquire
  SimTimeUs retry_us = 250 * kUsPerMs;  // re-ask a busy lock / re-send an unanswered request after this
  bool auto_acquire = true;             // clients loop think -> acquire by themselves
  bool write = true;                    // end each critical section with a write to the storage node (if any)
  // --- leases (Redis, Redlock) ---
  SimTimeUs ttl_us = 5 * kUsPerS;       // lock key time-to-live on the Redis server's clock
  // --- single Redis server ---
  RedisVariant redis_variant = RedisVariant::atomic;
  std::uint64_t fence_start = 0;        // the fencing counter's first value minus one (32: the first token is 33)
  bool redis_persist = true;            // keys survive a Redis crash (append-only file, fsync always)
  // --- Redlock ---
  SimTimeUs redlock_node_timeout_us = 50 * kUsPerMs;  // give up on the instances that have not answered by then
  bool redlock_fenced = false;          // also INCR a counter on each instance; token = max of the grants
  // --- queue lock (ZooKeeper-style coordination service) ---
  QueueWatch queue_watch = QueueWatch::predecessor;
  SimTimeUs session_timeout_us = 4 * kUsPerS;
  // --- storage node ---
  bool storage_fenced = false;          // reject a write whose token is lower than the highest seen
  bool operator==(const LocksConfig&) const = default;
};

// A lease is trusted for ttl - drift, with drift = 1% of ttl + 2 ms (the Redlock rule), so that
// clocks running at slightly different rates cannot make the client's lease outlive the server's.
constexpr SimTimeUs lease_drift_us(SimTimeUs ttl_us) { return ttl_us / 100 + 2 * kUsPerMs; }

}  // namespace dsplay
