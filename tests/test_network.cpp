// The network model: latency distributions (constant, uniform, long tail with a cap), loss,
// duplication and reordering at about their configured rates, one-way vs two-way link cuts,
// partitions and heals. Rates are checked over thousands of messages; seeds are printed on failure.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "core/network.hpp"
#include "core/world.hpp"
#include "tests/test_support.hpp"

using namespace dsplay;
using dsplay::test::config_with_nodes;
using dsplay::test::node_id;
using dsplay::test::records_where;
using dsplay::test::run_collect;

namespace {

// Two cache clients hammering two cache servers: lots of messages, no process logic to speak of.
WorldConfig traffic_config(std::uint64_t seed) {
  WorldConfig config = config_with_nodes({"s1:cache", "s2:cache", "r1:cache_client", "r2:cache_client"}, seed);
  config.cache.request_interval_us = 10 * kUsPerMs;
  config.ring.key_count = 100;
  return config;
}

std::size_t count_kind(const TraceLog& log, TraceKind kind) {
  return records_where(log, [&](const TraceRecord& r) { return r.kind == kind; }).size();
}

std::size_t count_drops(const TraceLog& log, DropReason reason) {
  return records_where(log, [&](const TraceRecord& r) {
           return r.kind == TraceKind::drop && r.a == static_cast<std::int64_t>(reason);
         }).size();
}

}  // namespace

TEST_CASE("LatencyModel constant: every sample is min", "[network]") {
  Rng rng(1);
  LatencyModel model;
  model.kind = LatencyKind::constant;
  model.min_us = 25'000;
  model.max_us = 90'000;
  for (int i = 0; i < 1000; ++i) REQUIRE(model.sample_us(rng) == 25'000);
}

TEST_CASE("LatencyModel uniform: samples cover [min, max] and nothing outside", "[network]") {
  const std::uint64_t seed = 5;
  CAPTURE(seed);
  Rng rng(seed);
  LatencyModel model;
  model.kind = LatencyKind::uniform;
  model.min_us = 100;
  model.max_us = 109;
  std::map<SimTimeUs, int> seen;
  for (int i = 0; i < 10000; ++i) {
    const auto v = model.sample_us(rng);
    REQUIRE(v >= 100);
    REQUIRE(v <= 109);
    ++seen[v];
  }
  CHECK(seen.size() == 10);
}

TEST_CASE("LatencyModel long_tail: a heavy tail (max >> median) that respects the cap", "[network]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    Rng rng(seed);
    LatencyModel model;
    model.kind = LatencyKind::long_tail;
    model.min_us = 10 * kUsPerMs;
    model.max_us = 2 * kUsPerS;  // cap = 200 x min
    model.tail_percent = 40;
    std::vector<SimTimeUs> samples;
    for (int i = 0; i < 100000; ++i) samples.push_back(model.sample_us(rng));
    std::sort(samples.begin(), samples.end());
    const auto median = samples[samples.size() / 2];
    const auto p99 = samples[samples.size() * 99 / 100];
    CAPTURE(median, p99, samples.front(), samples.back());
    CHECK(samples.front() >= model.min_us);
    CHECK(samples.back() <= model.max_us);   // the cap holds
    CHECK(samples.back() == model.max_us);   // and is reached: 0.4^8 of 100000 samples ~ 65
    CHECK(median < 4 * model.min_us);        // most messages are quick...
    CHECK(p99 > 8 * median);                 // ...a few are very slow
  }
}

TEST_CASE("LatencyModel long_tail with tail_percent 0 stays within [min, 2 min]", "[network]") {
  Rng rng(8);
  LatencyModel model;
  model.kind = LatencyKind::long_tail;
  model.min_us = 1000;
  model.max_us = 1'000'000;
  model.tail_percent = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto v = model.sample_us(rng);
    REQUIRE(v >= 1000);
    REQUIRE(v <= 2000);
  }
}

TEST_CASE("NetworkState: a one-way cut blocks only that direction; both ways blocks both", "[network]") {
  NetworkState net;
  net.cut(1, 2, false);
  CHECK(net.blocked(1, 2) == DropReason::link_cut);
  CHECK(net.blocked(2, 1) == DropReason::none);
  CHECK(net.is_cut(1, 2));
  CHECK_FALSE(net.is_cut(2, 1));
  net.cut(3, 4, true);
  CHECK(net.blocked(3, 4) == DropReason::link_cut);
  CHECK(net.blocked(4, 3) == DropReason::link_cut);
  net.heal(3, 4, false);  // heal one direction only
  CHECK(net.blocked(3, 4) == DropReason::none);
  CHECK(net.blocked(4, 3) == DropReason::link_cut);
  net.heal(1, 2, true);
  CHECK(net.blocked(1, 2) == DropReason::none);
  net.heal_all();
  CHECK(net.cuts().empty());
}

TEST_CASE("NetworkState: partition groups; unlisted nodes join the first group; heal_all heals", "[network]") {
  NetworkState net;
  net.partition({{0, 1}, {2, 3}, {4}});
  CHECK(net.blocked(0, 1) == DropReason::none);
  CHECK(net.blocked(0, 2) == DropReason::partition);
  CHECK(net.blocked(3, 1) == DropReason::partition);
  CHECK(net.blocked(2, 3) == DropReason::none);
  CHECK(net.blocked(4, 2) == DropReason::partition);
  CHECK(net.partitioned(9, 0) == false);  // 9 is unlisted: with the first group
  CHECK(net.partitioned(9, 2) == true);
  net.partition({});  // an empty list heals
  CHECK(net.blocked(0, 2) == DropReason::none);
  net.partition({{0}, {1}});
  net.cut(5, 6, true);
  net.heal_all();
  CHECK(net.blocked(0, 1) == DropReason::none);
  CHECK(net.blocked(5, 6) == DropReason::none);
}

TEST_CASE("World: about loss_ppm of the messages are lost", "[network]") {
  for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
    CAPTURE(seed);
    WorldConfig config = traffic_config(seed);
    config.network.loss_ppm = 100'000;  // 10%
    World world(config);
    const TraceLog log = run_collect(world, 60 * kUsPerS);
    const auto sent = count_kind(log, TraceKind::send);
    const auto lost = count_drops(log, DropReason::loss);
    CAPTURE(sent, lost);
    REQUIRE(sent > 5000);
    const double rate = static_cast<double>(lost) / static_cast<double>(sent);
    CHECK(rate > 0.085);
    CHECK(rate < 0.115);
    CHECK(world.stats().dropped == lost);
  }
}

TEST_CASE("World: without faults every message is delivered exactly once", "[network]") {
  WorldConfig config = traffic_config(4);
  World world(config);
  const TraceLog log = run_collect(world, 20 * kUsPerS);
  const auto sent = count_kind(log, TraceKind::send);
  const auto delivered = count_kind(log, TraceKind::deliver);
  CHECK(count_kind(log, TraceKind::drop) == 0);
  CHECK(world.stats().duplicated == 0);
  CHECK(delivered + world.messages_in_flight().size() == sent);
  CHECK(world.stats().delivered == delivered);
  CHECK(world.stats().sent == sent);
}

TEST_CASE("World: about duplicate_ppm of the messages are delivered twice", "[network]") {
  for (std::uint64_t seed : {1ull, 2ull}) {
    CAPTURE(seed);
    WorldConfig config = traffic_config(seed);
    config.network.duplicate_ppm = 200'000;  // 20%
    World world(config);
    run_collect(world, 60 * kUsPerS);
    const auto& stats = world.stats();
    CAPTURE(stats.sent, stats.duplicated, stats.delivered);
    REQUIRE(stats.sent > 5000);
    // stats.sent counts every copy put on the wire, the duplicates included.
    const double rate = static_cast<double>(stats.duplicated) / static_cast<double>(stats.sent - stats.duplicated);
    CHECK(rate > 0.18);
    CHECK(rate < 0.22);
    // Every copy arrives (nothing is lost here), apart from what is still on the wire.
    CHECK(stats.dropped == 0);
    CHECK(stats.delivered + world.messages_in_flight().size() == stats.sent);
  }
}

TEST_CASE("World: constant latency keeps each link FIFO; reordering makes later messages overtake", "[network]") {
  // Deliveries on one link (sender -> receiver) whose message id is lower than one delivered before.
  auto overtakes = [](const TraceLog& log) {
    std::map<std::pair<NodeId, NodeId>, std::uint64_t> last;
    int count = 0;
    for (const auto& r : log) {
      if (r.kind != TraceKind::deliver) continue;
      auto& seen = last[{r.peer, r.node}];
      if (r.msg_id < seen) ++count;
      seen = std::max(seen, r.msg_id);
    }
    return count;
  };
  for (std::uint64_t seed : {1ull, 2ull}) {
    CAPTURE(seed);
    WorldConfig config = traffic_config(seed);
    config.network.latency.kind = LatencyKind::constant;
    config.network.latency.min_us = 30 * kUsPerMs;
    {
      World world(config);
      CHECK(overtakes(run_collect(world, 20 * kUsPerS)) == 0);
    }
    config.network.reorder_ppm = 300'000;
    config.network.reorder_window_us = 100 * kUsPerMs;
    {
      World world(config);
      const TraceLog log = run_collect(world, 20 * kUsPerS);
      CHECK(overtakes(log) > 50);
      CHECK(count_kind(log, TraceKind::drop) == 0);  // reordered, not lost
    }
  }
}

// A message's fate is decided when it is sent (it flies, then dies at arrival) and the link is
// checked again on arrival, so drops are recorded at arrival time; the checks below look at
// windows that start after in-flight messages have landed.
TEST_CASE("World: a one-way cut drops only that direction; both ways drops both; heal restores", "[network]") {
  WorldConfig config = config_with_nodes({"s:cache", "r:cache_client"}, 3);
  config.cache.request_interval_us = 20 * kUsPerMs;
  config.ring.key_count = 50;
  World world(config);
  run_collect(world, 1 * kUsPerS);
  const NodeId s = node_id(world, "s");
  const NodeId r = node_id(world, "r");
  auto sends_from = [](const TraceLog& log, NodeId from) {
    return records_where(log, [&](const TraceRecord& x) { return x.kind == TraceKind::send && x.node == from; }).size();
  };
  auto delivered_to = [](const TraceLog& log, NodeId to) {
    return records_where(log, [&](const TraceRecord& x) { return x.kind == TraceKind::deliver && x.node == to; }).size();
  };
  auto cut_drops = [](const TraceLog& log, NodeId from) {
    return records_where(log, [&](const TraceRecord& x) {
             return x.kind == TraceKind::drop && x.node == from && x.a == static_cast<std::int64_t>(DropReason::link_cut);
           }).size();
  };

  SECTION("r -> s cut one way: gets are dropped, nothing reaches s") {
    REQUIRE(world.apply(CutLink{"r", "s", false}).ok);
    run_collect(world, 2 * kUsPerS);  // let in-flight messages land
    const TraceLog log = run_collect(world, 4 * kUsPerS);
    CHECK(sends_from(log, r) > 20);
    CHECK(cut_drops(log, r) > 20);
    CHECK(cut_drops(log, r) + 3 >= sends_from(log, r));  // all but the last few still in flight
    CHECK(delivered_to(log, s) == 0);
    CHECK(world.network().is_cut(r, s));
    CHECK_FALSE(world.network().is_cut(s, r));
  }
  SECTION("s -> r cut one way: gets arrive, replies are dropped") {
    REQUIRE(world.apply(CutLink{"s", "r", false}).ok);
    run_collect(world, 2 * kUsPerS);
    const TraceLog log = run_collect(world, 4 * kUsPerS);
    CHECK(delivered_to(log, s) > 20);
    CHECK(delivered_to(log, r) == 0);
    CHECK(cut_drops(log, s) > 20);
    CHECK(cut_drops(log, r) == 0);
  }
  SECTION("both ways: nothing gets through; heal_link restores traffic") {
    REQUIRE(world.apply(CutLink{"r", "s", true}).ok);
    run_collect(world, 2 * kUsPerS);
    TraceLog log = run_collect(world, 4 * kUsPerS);
    CHECK(delivered_to(log, s) == 0);
    CHECK(delivered_to(log, r) == 0);
    REQUIRE(world.apply(HealLink{"r", "s", true}).ok);
    log = run_collect(world, 6 * kUsPerS);
    CHECK(delivered_to(log, s) > 20);
    CHECK(delivered_to(log, r) > 20);
  }
}

TEST_CASE("World: a partition drops messages across groups with reason partition; heal restores", "[network]") {
  WorldConfig config = config_with_nodes({"s1:cache", "r1:cache_client", "r2:cache_client"}, 6);
  config.cache.request_interval_us = 20 * kUsPerMs;
  World world(config);
  run_collect(world, 1 * kUsPerS);
  const NodeId s1 = node_id(world, "s1");
  const NodeId r2 = node_id(world, "r2");
  REQUIRE(world.apply(Partition{{{"s1", "r1"}, {"r2"}}}).ok);
  CHECK(world.network().partitioned(s1, r2));
  run_collect(world, 2 * kUsPerS);
  TraceLog log = run_collect(world, 5 * kUsPerS);
  const auto partition_drops = count_drops(log, DropReason::partition);
  CHECK(partition_drops > 20);
  CHECK(records_where(log, [&](const TraceRecord& r) { return r.kind == TraceKind::deliver && r.node == r2; }).empty());
  CHECK_FALSE(records_where(log, [&](const TraceRecord& r) {
                return r.kind == TraceKind::deliver && r.node == s1;
              }).empty());  // r1 still reaches s1
  REQUIRE(world.apply(HealNetwork{}).ok);
  CHECK_FALSE(world.network().partitioned(s1, r2));
  run_collect(world, 6 * kUsPerS);  // messages sent during the partition die on arrival
  log = run_collect(world, 8 * kUsPerS);
  CHECK(count_drops(log, DropReason::partition) == 0);
  CHECK_FALSE(records_where(log, [&](const TraceRecord& r) { return r.kind == TraceKind::deliver && r.node == r2; }).empty());
}
