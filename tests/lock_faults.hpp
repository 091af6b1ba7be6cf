// Seeded random fault schedules for the lock tests: one seed gives one small lock world (a lock
// kind, its clients, the storage node) and a script of faults: client pauses, crashes and
// restarts, service crashes and restarts, partitions and cut links, bursts of long message delays,
// loss and duplication, clock skew, drift and jumps; with re-election, coordinator pauses too. Used by the sweeps in test_locks_sweep.cpp
// (10,000 seeds per fixed lock natively, 100,000 with the hidden [.long] tag).
#pragma once
#include <cstdint>
#include <string>

#include "core/scenario.hpp"

namespace dsplay::test {

enum class LockKind : std::uint8_t {
  token_durable,      // token lock, durable coordinator, epochs fence the storage
  token_volatile,     // the original token lock: a coordinator crash forgets the holder (a bug)
  ticket,             // ticket lock (durable coordinator), tickets fence the storage
  queue_predecessor,  // queue lock over the coordination service, sequence numbers fence the storage
  queue_herd,
  redis_naive,        // bugs: stuck forever, deletes someone else's lock, stale writes
  redis_atomic,       // bug: stale writes after a pause or a delay
  redis_fenced,       // fixed
  redlock,            // Redlock with its (not general) max-INCR tokens
  token_reelection_fenced,  // three token coordinators, fenced re-election (majority, leases, term epochs)
  token_reelection_naive,   // the same, naive re-election: a paused coordinator and its successor both grant
};
const char* lock_kind_name(LockKind kind);

struct FaultMenu {
  bool pauses = true;
  SimTimeUs pause_max_us = 2 * kUsPerS;  // pauses last 1 ms .. this (most are short; some outlast every lease)
  bool client_crashes = true;
  bool service_crashes = true;        // coordinators, the coordination service, Redis (persisted), storage
  bool network = true;                // partitions, cut links, loss and duplication bursts
  bool delays = true;                 // bursts of long-tailed latency, up to delay_max_us
  SimTimeUs delay_max_us = 2 * kUsPerS;
  bool client_clocks = true;          // skew, drift (+-2000 ppm) and jumps of the clients' wall clocks
  bool service_drift = true;          // services' clock rates (+-2000 ppm), no jumps
  bool service_jumps = false;         // services' wall clocks jump too (breaks every lease lock)
  bool minority_services_only = false;  // Redlock: never more than a minority of the Redis nodes down
};

// A scenario (config + fault script) for one seed; `until_us` is set to the run's length.
Scenario lock_fault_scenario(LockKind kind, std::uint64_t seed, const FaultMenu& menu = {});

}  // namespace dsplay::test
