// Seeded random fault schedules for the lock tests (see lock_faults.hpp).
#include "tests/lock_faults.hpp"

#include <algorithm>
#include <vector>

#include "core/rng.hpp"

namespace dsplay::test {

const char* lock_kind_name(LockKind kind) {
  switch (kind) {
    case LockKind::token_durable: return "token lock (durable coordinator)";
    case LockKind::token_volatile: return "token lock (volatile coordinator)";
    case LockKind::ticket: return "ticket lock";
    case LockKind::queue_predecessor: return "queue lock (predecessor watch)";
    case LockKind::queue_herd: return "queue lock (herd)";
    case LockKind::redis_naive: return "Redis lock, naive";
    case LockKind::redis_atomic: return "Redis lock, atomic";
    case LockKind::redis_fenced: return "Redis lock, fenced";
    case LockKind::redlock: return "Redlock";
    case LockKind::token_reelection_fenced: return "token lock, fenced re-election";
    case LockKind::token_reelection_naive: return "token lock, naive re-election";
  }
  return "?";
}

Scenario lock_fault_scenario(LockKind kind, std::uint64_t seed, const FaultMenu& menu) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 12345);
  Scenario s;
  s.name = "lock_sweep";
  s.config.seed = seed;
  s.until_us = 2 * kUsPerS;
  LinkConfig& net = s.config.network;
  net.latency.kind = LatencyKind::uniform;
  net.latency.min_us = 1 * kUsPerMs;
  net.latency.max_us = 8 * kUsPerMs;
  // Fast lock timing, so a 2 s run holds dozens of critical sections.
  LocksConfig& locks = s.config.locks;
  locks.hold_us = 30 * kUsPerMs;
  locks.think_us = 40 * kUsPerMs;
  locks.retry_us = 15 * kUsPerMs;
  locks.ttl_us = 400 * kUsPerMs;
  locks.session_timeout_us = 300 * kUsPerMs;
  locks.redlock_node_timeout_us = 20 * kUsPerMs;
  locks.storage_fenced = true;
  locks.redlock_fenced = true;
  TokenLockConfig& token = s.config.token_lock;
  token.hold_us = 30 * kUsPerMs;
  token.think_us = 40 * kUsPerMs;
  token.retry_us = 60 * kUsPerMs;

  std::vector<std::string> services;
  NodeRole client_role = NodeRole::token_client;
  switch (kind) {
    case LockKind::token_durable:
    case LockKind::token_volatile:
      token.durable = kind == LockKind::token_durable;
      services = {"coord"};
      s.config.nodes.push_back({"coord", NodeRole::token_coordinator, 0, 0});
      break;
    case LockKind::ticket:
      services = {"tickets"};
      s.config.nodes.push_back({"tickets", NodeRole::ticket_coordinator, 0, 0});
      client_role = NodeRole::ticket_client;
      break;
    case LockKind::queue_predecessor:
    case LockKind::queue_herd:
      locks.queue_watch = kind == LockKind::queue_herd ? QueueWatch::herd : QueueWatch::predecessor;
      services = {"zk"};
      s.config.nodes.push_back({"zk", NodeRole::coord_service, 0, 0});
      client_role = NodeRole::queue_client;
      break;
    case LockKind::redis_naive:
    case LockKind::redis_atomic:
    case LockKind::redis_fenced:
      locks.redis_variant = kind == LockKind::redis_naive    ? RedisVariant::naive
                            : kind == LockKind::redis_atomic ? RedisVariant::atomic
                                                             : RedisVariant::fenced;
      locks.storage_fenced = kind == LockKind::redis_fenced;
      services = {"redis"};
      s.config.nodes.push_back({"redis", NodeRole::redis, 0, 0});
      client_role = NodeRole::redis_client;
      break;
    case LockKind::token_reelection_fenced:
    case LockKind::token_reelection_naive:
      token.reelection =
          kind == LockKind::token_reelection_fenced ? TokenReelection::fenced : TokenReelection::naive;
      token.heartbeat_us = 20 * kUsPerMs;
      token.election_timeout_us = 100 * kUsPerMs;
      token.lease_us = 150 * kUsPerMs;
      locks.storage_fenced = kind == LockKind::token_reelection_fenced;
      for (int i = 1; i <= 3; ++i) {
        services.push_back("coord" + std::to_string(i));
        s.config.nodes.push_back({services.back(), NodeRole::token_coordinator, 0, 0});
      }
      break;
    case LockKind::redlock:
      for (int i = 1; i <= 5; ++i) {
        services.push_back("r" + std::to_string(i));
        s.config.nodes.push_back({services.back(), NodeRole::redis, 0, 0});
      }
      client_role = NodeRole::redlock_client;
      break;
  }
  services.push_back("storage");
  s.config.nodes.push_back({"storage", NodeRole::storage, 0, 0});
  const int client_count = 3 + static_cast<int>(rng.below(2));
  std::vector<std::string> clients;
  for (int i = 1; i <= client_count; ++i) {
    clients.push_back("c" + std::to_string(i));
    NodeSpec spec{clients.back(), client_role, 0, 0};
    if (menu.client_clocks) {
      spec.clock_skew_us = rng.between(-kUsPerS, kUsPerS);
      spec.drift_ppm = static_cast<std::int32_t>(rng.between(-2000, 2000));
    }
    s.config.nodes.push_back(spec);
  }
  for (NodeSpec& spec : s.config.nodes) {
    if (spec.role == client_role || !menu.service_drift) continue;
    spec.drift_ppm = static_cast<std::int32_t>(rng.between(-2000, 2000));
  }

  auto pick = [&](const std::vector<std::string>& names) { return names[rng.below(names.size())]; };
  // With re-election a coordinator can pause too (the split-brain hazard); other locks pause clients only.
  std::vector<std::string> pausable = clients;
  if (kind == LockKind::token_reelection_fenced || kind == LockKind::token_reelection_naive)
    for (const auto& svc : services)
      if (svc != "storage") pausable.push_back(svc);
  auto at = [&] { return rng.between(0, s.until_us * 8 / 10); };
  auto add = [&](SimTimeUs t, Command c) { s.script.push_back({t, std::move(c)}); };
  std::vector<std::string> redis_down;  // Redlock: keep a majority up
  const int faults = 1 + static_cast<int>(rng.below(6));
  for (int f = 0; f < faults; ++f) {
    const SimTimeUs t = at();
    const SimTimeUs short_us = rng.between(kUsPerMs, 600 * kUsPerMs);
    switch (rng.below(9)) {
      case 0:
      case 1: {  // a client pause: usually short, sometimes far longer than any lease
        if (!menu.pauses) break;
        const std::string c = pick(pausable);
        const SimTimeUs len = rng.below(3) == 0 ? rng.between(menu.pause_max_us / 4, menu.pause_max_us) : short_us;
        add(t, PauseNode{c});
        add(t + len, ResumeNode{c});
        break;
      }
      case 2: {
        if (!menu.client_crashes) break;
        const std::string c = pick(clients);
        add(t, CrashNode{c});
        add(t + short_us, RestartNode{c});
        break;
      }
      case 3: {
        if (!menu.service_crashes) break;
        const std::string svc = pick(services);
        if (menu.minority_services_only && svc != "storage") {
          if (redis_down.size() >= 2 || std::find(redis_down.begin(), redis_down.end(), svc) != redis_down.end()) break;
          redis_down.push_back(svc);  // (down for good: a minority never comes back in this run)
          add(t, CrashNode{svc});
          break;
        }
        add(t, CrashNode{svc});
        add(t + short_us, RestartNode{svc});
        break;
      }
      case 4: {  // a partition: some nodes cut off from the rest for a while
        if (!menu.network) break;
        std::vector<std::string> all = clients;
        all.insert(all.end(), services.begin(), services.end());
        Partition p;
        p.groups.resize(2);
        for (const auto& n : all) p.groups[rng.below(2)].push_back(n);
        if (p.groups[1].empty()) p.groups[1].push_back(pick(clients));
        std::erase_if(p.groups[0], [&](const std::string& n) {
          return std::find(p.groups[1].begin(), p.groups[1].end(), n) != p.groups[1].end();
        });
        add(t, p);
        add(t + short_us, HealNetwork{});
        break;
      }
      case 5: {  // one link cut, one way or both
        if (!menu.network) break;
        const std::string a = pick(clients);
        const std::string b = pick(services);
        const bool both = rng.below(2) == 0;
        add(t, CutLink{a, b, both});
        add(t + short_us, HealLink{a, b, both});
        break;
      }
      case 6: {  // a burst of long, long-tailed delays
        if (!menu.delays) break;
        add(t, SetParam{"net.latency_kind", 2});
        add(t, SetParam{"net.tail_percent", 60});
        add(t, SetParam{"net.latency_max_us", rng.between(menu.delay_max_us / 4, menu.delay_max_us)});
        add(t + short_us, SetParam{"net.latency_kind", 1});
        add(t + short_us, SetParam{"net.latency_max_us", 8 * kUsPerMs});
        break;
      }
      case 7: {  // loss and duplication
        if (!menu.network) break;
        add(t, SetParam{"net.loss_ppm", rng.between(0, 300'000)});
        add(t, SetParam{"net.duplicate_ppm", rng.between(0, 300'000)});
        add(t + short_us, SetParam{"net.loss_ppm", 0});
        add(t + short_us, SetParam{"net.duplicate_ppm", 0});
        break;
      }
      case 8: {  // clocks
        const bool service = rng.below(2) == 0;
        if (service && (menu.service_drift || menu.service_jumps)) {
          const std::string svc = pick(services);
          const SimTimeUs jump = menu.service_jumps ? rng.between(-5 * kUsPerS, 5 * kUsPerS) : 0;
          add(t, SetClock{svc, jump, static_cast<std::int32_t>(rng.between(-2000, 2000))});
        } else if (!service && menu.client_clocks) {
          add(t, SetClock{pick(clients), rng.between(-30 * kUsPerS, 30 * kUsPerS), static_cast<std::int32_t>(rng.between(-2000, 2000))});
        }
        break;
      }
      default: break;
    }
  }
  // Let every pause, crash and delay of the schedule play out.
  SimTimeUs last_us = s.until_us;
  for (const auto& tc : s.script) last_us = std::max(last_us, tc.at_us);
  s.until_us = last_us + 500 * kUsPerMs;
  return s;
}

}  // namespace dsplay::test
