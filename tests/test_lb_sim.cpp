// The load-balancing simulation (core/balance/lb_sim.hpp), standalone: Poisson arrivals at the set
// rate, bounded queues, health checks (a dead server leaves the rotation after the failure
// threshold and its keys remap), the teaching claim (round-robin piles requests onto a slow server,
// least-connections and two random choices keep its queue short), compare mode's identical
// workloads across balancers, and determinism. Fixed seeds; statistical bounds are 5 sigma.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/balance/lb_sim.hpp"

using namespace dsplay;
using namespace dsplay::balance;

namespace {

LoadBalancerSim make_sim(const LbConfig& config, int servers, int clients, std::uint64_t seed) {
  LoadBalancerSim sim(config, seed);
  for (int s = 0; s < servers; ++s) sim.add_server("s" + std::to_string(s + 1), static_cast<std::uint32_t>(s), 0);
  for (int c = 0; c < clients; ++c) sim.add_client("c" + std::to_string(c + 1), static_cast<std::uint32_t>(100 + c), 0);
  return sim;
}

// Records the sink's notes (label -> count, and the key of every dispatch).
struct Recorder {
  std::map<std::string, std::uint64_t> labels;
  std::vector<std::uint32_t> dispatched_keys;
  std::vector<std::uint32_t> dispatched_to;  // server tag
  LbSink sink() {
    return LbSink{[](void* ctx, const LbNote& n) {
                    auto* self = static_cast<Recorder*>(ctx);
                    ++self->labels[n.label];
                    if (std::string(n.label) == "lb dispatch") {
                      self->dispatched_keys.push_back(static_cast<std::uint32_t>(n.b));
                      self->dispatched_to.push_back(n.peer_tag);
                    }
                  },
                  this};
  }
};

// Every request is accounted for exactly once.
void check_conservation(const LoadBalancerSim& sim) {
  const LbTotals& t = sim.totals();
  CHECK(t.arrivals == t.completed + t.dropped + t.failed + t.no_server + sim.requests_in_flight());
  std::uint64_t active = 0;
  for (const LbServer& s : sim.servers()) {
    active += s.active;
    CHECK(s.queue.size() <= s.params.queue_limit);
    CHECK(s.in_service <= s.params.capacity);
  }
  CHECK(active <= sim.requests_in_flight());
}

LbConfig slow_server_config(LbAlgo algo) {
  LbConfig c;
  c.balancer.algo = algo;
  c.server_defaults.capacity = 4;
  c.server_defaults.queue_limit = 64;
  c.servers = {{"s5", LbServerParams{4, 250, 64, 1}}};  // a quarter of the speed
  c.workload.rate_milli = 1'000'000;                        // 1000 req/s
  c.workload.service.kind = LbServiceKind::exponential;
  c.workload.service.mean_us = 10 * kUsPerMs;
  // capacity: 4 fast servers x 400 req/s + 100 req/s = 1700 req/s; round-robin sends the slow
  // one 200 req/s, twice what it can serve.
  return c;
}

}  // namespace

TEST_CASE("lb sim: arrivals are Poisson at the set rate (count within 5 sigma)", "[lb]") {
  struct Case {
    std::uint64_t rate_milli;
    SimTimeUs until_us;
    int clients;
  };
  // 1000 req/s for 100 s; 2 million req/s (a mean gap of 0.5 us: the Q32 fraction carry matters).
  const Case cases[] = {{1'000'000, 100 * kUsPerS, 4}, {2'000'000'000, kUsPerS / 10, 3}, {50'000, 2000 * kUsPerS, 1}};
  for (const Case& k : cases) {
    LbConfig c;
    c.workload.rate_milli = k.rate_milli;
    c.client_hop_us = 0;
    c.server_hop_us = 0;
    c.workload.service.kind = LbServiceKind::constant;
    c.workload.service.mean_us = 1;
    c.server_defaults.capacity = 1000;
    c.server_defaults.queue_limit = 1000;
    c.health.enabled = false;
    LoadBalancerSim sim = make_sim(c, 2, k.clients, 42);
    sim.run_until(k.until_us);
    const double expected = static_cast<double>(k.rate_milli) / 1000.0 * static_cast<double>(k.until_us) / 1e6;
    const auto got = static_cast<double>(sim.totals().arrivals);
    CAPTURE(k.rate_milli, expected, got);
    CHECK(std::fabs(got - expected) < 5.0 * std::sqrt(expected));
    check_conservation(sim);
  }
}

TEST_CASE("lb sim: request keys follow the Zipf table", "[lb]") {
  LbConfig c;
  c.workload.rate_milli = 10'000'000;
  c.workload.keys = 100;
  c.workload.zipf_milli = 1000;
  c.workload.service.kind = LbServiceKind::constant;
  c.workload.service.mean_us = 100;
  c.health.enabled = false;
  LoadBalancerSim sim = make_sim(c, 3, 2, 9);
  Recorder rec;
  const LbSink sink = rec.sink();
  sim.run_until(30 * kUsPerS, &sink);
  const auto n = static_cast<double>(rec.dispatched_keys.size());
  REQUIRE(n > 250000);
  std::vector<double> counts(100, 0);
  for (auto k : rec.dispatched_keys) counts[k] += 1;
  for (std::uint32_t key : {0u, 1u, 4u, 50u}) {
    const double p = sim.zipf().probability(key);
    CAPTURE(key, p, counts[key] / n);
    CHECK(std::fabs(counts[key] / n - p) < 5 * std::sqrt(p * (1 - p) / n));
  }
}

TEST_CASE("lb sim: a bounded queue drops arrivals when full and never grows past its limit", "[lb]") {
  LbConfig c;
  c.server_defaults = LbServerParams{1, 1000, 3, 1};
  c.workload.rate_milli = 300'000;  // 300 req/s into one server that serves 100 req/s
  c.workload.service.kind = LbServiceKind::constant;
  c.workload.service.mean_us = 10 * kUsPerMs;
  LoadBalancerSim sim = make_sim(c, 1, 1, 3);
  std::uint32_t max_queue = 0;
  while (sim.next_event_time_us() <= 20 * kUsPerS) {
    sim.step();
    max_queue = std::max(max_queue, sim.servers()[0].queue.size());
    REQUIRE(sim.servers()[0].in_service <= 1);
  }
  CHECK(max_queue == 3);
  const LbServer& s = sim.servers()[0];
  CHECK(s.dropped > 0);
  CHECK(s.dropped == sim.totals().dropped);
  // One server at 100 req/s completes about 100 per second; the rest (about 2/3) are dropped.
  CHECK(s.served == Approx(2000).margin(20));
  CHECK(static_cast<double>(s.dropped) / static_cast<double>(sim.totals().arrivals) == Approx(2.0 / 3.0).margin(0.03));
  check_conservation(sim);
}

TEST_CASE("lb sim: health checks take a dead server out after the failure threshold; its keys remap", "[lb]") {
  const LbAlgo algo = GENERATE(LbAlgo::round_robin, LbAlgo::ring, LbAlgo::maglev, LbAlgo::jump, LbAlgo::rendezvous,
                               LbAlgo::ketama);
  CAPTURE(lb_algo_name(algo));
  LbConfig c;
  c.balancer.algo = algo;
  c.balancer.table_size = 1009;
  c.health = LbHealthConfig{true, kUsPerS, 3, 2};
  c.workload.rate_milli = 200'000;
  c.workload.keys = 2000;
  LoadBalancerSim sim = make_sim(c, 4, 2, 11);
  Recorder rec;
  const LbSink sink = rec.sink();
  sim.run_until(10 * kUsPerS + 500 * kUsPerMs, &sink);
  const std::uint32_t dead = 1;  // s2
  REQUIRE(sim.kill_server(dead, sim.now_us(), &sink));
  // Probes at 11 s, 12 s, 13 s fail: out of rotation at 13 s, not before.
  sim.run_until(12 * kUsPerS + 900 * kUsPerMs, &sink);
  CHECK(sim.servers()[dead].in_rotation);
  CHECK(sim.servers()[dead].failed > 0);  // the balancer still sent it requests: refused
  sim.run_until(13 * kUsPerS, &sink);
  CHECK_FALSE(sim.servers()[dead].in_rotation);
  const std::uint64_t dispatched_when_out = sim.servers()[dead].dispatched;
  sim.run_until(20 * kUsPerS, &sink);
  CHECK(sim.servers()[dead].dispatched == dispatched_when_out);  // skipped from then on
  if (lb_algo_uses_keys(algo)) {
    const LbPlacement* p = sim.placement();
    REQUIRE(p != nullptr);
    CHECK(p->remap.change == "s2 out of rotation");
    for (auto owner : p->key_owner) CHECK(owner != dead);
    // Only the dead server's keys move (about a quarter of them); Maglev may disturb a few more.
    const double moved = static_cast<double>(p->remap.moved) / static_cast<double>(p->remap.keys);
    CHECK(moved == Approx(0.25).margin(0.08));
    if (algo != LbAlgo::maglev) CHECK(p->remap.moved_elsewhere == 0);
    CHECK(p->remap.ideal_den == 4);
    if (algo == LbAlgo::maglev) {
      // the table before the change: a quarter of the slots were s2's, and they all changed owner
      const auto& table = std::get<MaglevTable>(p->structure);
      REQUIRE(p->slot_before.size() == table.entries().size());
      std::size_t was_dead = 0, changed = 0;
      for (std::size_t slot = 0; slot < table.entries().size(); ++slot) {
        was_dead += p->slot_before[slot] == dead ? 1 : 0;
        changed += p->slot_before[slot] != p->members[table.entries()[slot]] ? 1 : 0;
      }
      CHECK((was_dead == 252 || was_dead == 253));  // 1009 / 4
      CHECK(changed >= was_dead);
      CHECK(changed < was_dead + 60);
    }
  }
  // Revived: back after two good probes (21 s, 22 s).
  REQUIRE(sim.revive_server(dead, sim.now_us()));
  sim.run_until(21 * kUsPerS + 500 * kUsPerMs, &sink);
  CHECK_FALSE(sim.servers()[dead].in_rotation);
  sim.run_until(22 * kUsPerS, &sink);
  CHECK(sim.servers()[dead].in_rotation);
  sim.run_until(25 * kUsPerS, &sink);
  CHECK(sim.servers()[dead].dispatched > dispatched_when_out);
  CHECK(rec.labels["lb out of rotation"] == 1);
  CHECK(rec.labels["lb back in rotation"] == 1);
  check_conservation(sim);
}

TEST_CASE("lb sim: without health checks the balancer keeps sending to a dead server", "[lb]") {
  LbConfig c;
  c.balancer.algo = LbAlgo::round_robin;
  c.health.enabled = false;
  c.workload.rate_milli = 400'000;
  LoadBalancerSim sim = make_sim(c, 4, 1, 5);
  sim.run_until(5 * kUsPerS);
  sim.kill_server(0, sim.now_us());
  const std::uint64_t failed_before = sim.servers()[0].failed;
  sim.run_until(15 * kUsPerS);
  CHECK(sim.servers()[0].in_rotation);
  // a quarter of 10 s x 400 req/s, refused
  CHECK(static_cast<double>(sim.servers()[0].failed - failed_before) == Approx(1000).margin(150));
}

TEST_CASE("lb sim: round-robin overloads a slow server; least-connections and P2C keep its queue short", "[lb][teaching]") {
  // The claim of the load-balancing lesson, asserted at five seeds: with one server at a quarter
  // of the speed, round-robin still gives it a fifth of the requests, so its queue fills and the
  // p99 latency is the queue's wait; least-connections and two random choices see its active
  // count grow and send it less.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    std::map<LbAlgo, SimTimeUs> p99;
    std::map<LbAlgo, std::uint64_t> slow_queue_max, dropped;
    for (LbAlgo algo : {LbAlgo::round_robin, LbAlgo::least_connections, LbAlgo::power_of_two_choices}) {
      LoadBalancerSim sim = make_sim(slow_server_config(algo), 5, 3, seed);
      sim.run_until(60 * kUsPerS);
      p99[algo] = sim.latency().value_at_quantile(0.99);
      std::uint32_t qmax = 0;
      for (std::size_t w = 10; w < sim.window_count(); ++w) qmax = std::max(qmax, sim.window(w).servers[4].queue_max);
      slow_queue_max[algo] = qmax;
      dropped[algo] = sim.totals().dropped;
      check_conservation(sim);
    }
    CAPTURE(p99[LbAlgo::round_robin], p99[LbAlgo::least_connections], p99[LbAlgo::power_of_two_choices]);
    CAPTURE(slow_queue_max[LbAlgo::round_robin], slow_queue_max[LbAlgo::least_connections],
            slow_queue_max[LbAlgo::power_of_two_choices]);
    CHECK(slow_queue_max[LbAlgo::round_robin] == 64);  // full: the queue limit
    CHECK(dropped[LbAlgo::round_robin] > 1000);
    CHECK(p99[LbAlgo::round_robin] > 500 * kUsPerMs);  // 64 queued / 100 per s = 640 ms of waiting
    for (LbAlgo good : {LbAlgo::least_connections, LbAlgo::power_of_two_choices}) {
      CAPTURE(lb_algo_name(good));
      CHECK(slow_queue_max[good] <= 16);
      CHECK(dropped[good] == 0);
      CHECK(p99[good] * 5 < p99[LbAlgo::round_robin]);
    }
  }
}

TEST_CASE("lb sim: compare mode sees the same workload whatever the balancer", "[lb][compare]") {
  // The same seed and workload, different balancers: every request (send time, client, key,
  // service demand) is the same, including around a server crash and a burst.
  std::vector<std::uint64_t> hashes, arrivals;
  for (LbAlgo algo : {LbAlgo::round_robin, LbAlgo::least_connections, LbAlgo::power_of_two_choices, LbAlgo::random,
                      LbAlgo::maglev, LbAlgo::bounded_load, LbAlgo::modulo}) {
    LbConfig c = slow_server_config(algo);
    c.balancer.table_size = 1009;
    c.workload.zipf_milli = 900;
    c.workload.bursts = {LbBurst{5 * kUsPerS, 2 * kUsPerS, 3'000'000}};
    LoadBalancerSim sim = make_sim(c, 5, 3, 2024);
    sim.run_until(4 * kUsPerS);
    sim.kill_server(2, sim.now_us());
    sim.run_until(12 * kUsPerS);
    hashes.push_back(sim.workload_hash());
    arrivals.push_back(sim.totals().arrivals);
  }
  for (std::size_t i = 1; i < hashes.size(); ++i) {
    CHECK(hashes[i] == hashes[0]);
    CHECK(arrivals[i] == arrivals[0]);
  }
  // ... and a different seed is a different workload.
  LoadBalancerSim other = make_sim(slow_server_config(LbAlgo::round_robin), 5, 3, 2025);
  other.run_until(12 * kUsPerS);
  CHECK(other.workload_hash() != hashes[0]);
}

TEST_CASE("lb sim: same seed, same run; a copy continues exactly like the original", "[lb][determinism]") {
  LbConfig c = slow_server_config(LbAlgo::power_of_two_choices);
  c.workload.service.kind = LbServiceKind::long_tail;
  LoadBalancerSim a = make_sim(c, 5, 3, 7), b = make_sim(c, 5, 3, 7);
  a.run_until(10 * kUsPerS);
  b.run_until(10 * kUsPerS);
  CHECK(a.state_hash() == b.state_hash());
  CHECK(a == b);
  LoadBalancerSim copy = a;
  a.run_until(20 * kUsPerS);
  copy.run_until(20 * kUsPerS);
  CHECK(copy == a);
  CHECK(copy.state_hash() == a.state_hash());
  LoadBalancerSim d = make_sim(c, 5, 3, 8);
  d.run_until(20 * kUsPerS);
  CHECK(d.state_hash() != a.state_hash());
}

TEST_CASE("lb sim: adding a server moves about 1/(n+1) of the keys on a ring, almost all with modulo", "[lb][remap]") {
  struct Expect {
    LbAlgo algo;
    double moved_lo, moved_hi;
    bool minimal;  // moved keys all go to the new server
  };
  // 5 -> 6 servers, 10000 keys: ideal 1/6 = 0.167; modulo moves 5/6 = 0.833.
  const Expect cases[] = {{LbAlgo::ring, 0.08, 0.28, true},       {LbAlgo::jump, 0.15, 0.19, true},
                          {LbAlgo::rendezvous, 0.15, 0.19, true}, {LbAlgo::ketama, 0.10, 0.24, true},
                          {LbAlgo::maglev, 0.15, 0.22, false},    {LbAlgo::modulo, 0.80, 0.87, false}};
  for (const Expect& e : cases) {
    CAPTURE(lb_algo_name(e.algo));
    LbConfig c;
    c.balancer.algo = e.algo;
    c.balancer.table_size = 65537;
    c.workload.keys = 10000;
    c.workload.rate_milli = 0;
    LoadBalancerSim sim = make_sim(c, 5, 1, 1);
    sim.run_until(kUsPerS);
    sim.add_server("s6", 5, sim.now_us());
    const LbPlacement* p = sim.placement();
    REQUIRE(p != nullptr);
    CHECK(p->remap.change == "add s6");
    const double moved = static_cast<double>(p->remap.moved) / 10000.0;
    CHECK(moved > e.moved_lo);
    CHECK(moved < e.moved_hi);
    if (e.minimal) CHECK(p->remap.moved_elsewhere == 0);
    CHECK(p->remap.ideal_den == 6);
  }
}

TEST_CASE("lb sim: a paused server fails probes, holds completions, and catches up on resume", "[lb]") {
  LbConfig c;
  c.balancer.algo = LbAlgo::round_robin;
  c.workload.rate_milli = 200'000;
  LoadBalancerSim sim = make_sim(c, 2, 1, 4);
  sim.run_until(2 * kUsPerS + 100 * kUsPerMs);
  REQUIRE(sim.pause_server(0, true, sim.now_us()));
  const std::uint64_t served = sim.servers()[0].served;
  sim.run_until(6 * kUsPerS);
  CHECK(sim.servers()[0].served == served);
  CHECK_FALSE(sim.servers()[0].in_rotation);  // probes at 3, 4, 5 s timed out
  REQUIRE(sim.pause_server(0, false, sim.now_us()));
  sim.run_until(6 * kUsPerS + 200 * kUsPerMs);
  CHECK(sim.servers()[0].served > served);
  CHECK(sim.servers()[0].in_service == 0);
  check_conservation(sim);
}

TEST_CASE("lb sim: a burst raises the arrival rate for its duration", "[lb]") {
  LbConfig c;
  c.workload.rate_milli = 100'000;
  c.workload.bursts = {LbBurst{10 * kUsPerS, 10 * kUsPerS, 1'000'000}};
  c.server_defaults.capacity = 64;
  LoadBalancerSim sim = make_sim(c, 4, 2, 6);
  sim.run_until(30 * kUsPerS);
  REQUIRE(sim.window_count() == 30);
  std::uint64_t before = 0, during = 0, after = 0;
  for (std::size_t w = 0; w < 30; ++w) (w < 10 ? before : w < 20 ? during : after) += sim.window(w).arrivals;
  CHECK(static_cast<double>(before) == Approx(1000).margin(5 * std::sqrt(1000.0)));
  CHECK(static_cast<double>(during) == Approx(10000).margin(5 * std::sqrt(10000.0)));
  CHECK(static_cast<double>(after) == Approx(1000).margin(5 * std::sqrt(1000.0)));
}

TEST_CASE("lb sim: a paused balancer holds requests and dispatches them on resume; a dead one fails them", "[lb]") {
  LbConfig c;
  c.workload.rate_milli = 100'000;
  LoadBalancerSim sim = make_sim(c, 2, 1, 8);
  sim.run_until(kUsPerS);
  sim.set_balancer_paused(true, sim.now_us());
  const std::uint64_t dispatched = sim.totals().dispatched;
  sim.run_until(2 * kUsPerS);
  CHECK(sim.totals().dispatched == dispatched);
  sim.set_balancer_paused(false, sim.now_us());
  CHECK(sim.totals().dispatched > dispatched + 50);
  sim.set_balancer_up(false, sim.now_us());
  sim.run_until(3 * kUsPerS);
  CHECK(sim.totals().no_server > 50);
  check_conservation(sim);
}

TEST_CASE("lb sim: ketama names parse host:port; the latency bins cover their values", "[lb]") {
  const KetamaServer a = ketama_server_from_name("10.0.0.1:11212");
  CHECK(a.host == "10.0.0.1");
  CHECK(a.port == 11212);
  const KetamaServer b = ketama_server_from_name("cache-a");
  CHECK(b.host == "cache-a");
  CHECK(b.port == 11211);
  // Quarter-octave bins; below 4 us several bins share an integer, so only the lower bound holds.
  for (SimTimeUs us : {1, 2, 3, 4, 5, 7, 100, 999, 1000, 123456, 9999999}) {
    const int bin = LbLatencyBins::bin_of(us);
    CAPTURE(us, bin);
    CHECK(LbLatencyBins::bin_lower_us(bin) <= us);
    if (us >= 4) CHECK(LbLatencyBins::bin_lower_us(bin + 1) > us);
  }
}
