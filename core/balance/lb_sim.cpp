// The load-balancing simulation (see lb_sim.hpp).
#include "core/balance/lb_sim.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/network.hpp"
#include "core/overloaded.hpp"

namespace dsplay::balance {

namespace {

struct AlgoInfo {
  LbAlgo algo;
  const char* name;
  const char* label;
  bool uses_keys;  // routes by the request key through a hash placement
};
constexpr AlgoInfo kAlgos[kLbAlgoCount] = {
    {LbAlgo::round_robin, "round_robin", "Round robin", false},
    {LbAlgo::weighted_round_robin, "weighted_round_robin", "Smooth weighted round robin", false},
    {LbAlgo::random, "random", "Random", false},
    {LbAlgo::least_connections, "least_connections", "Least connections", false},
    {LbAlgo::weighted_least_connections, "weighted_least_connections", "Weighted least connections", false},
    {LbAlgo::power_of_two_choices, "p2c", "Power of two choices", false},
    {LbAlgo::ketama, "ketama", "Ketama (libmemcached)", true},
    {LbAlgo::ring, "ring", "Consistent-hash ring", true},
    {LbAlgo::jump, "jump", "Jump consistent hash", true},
    {LbAlgo::rendezvous, "rendezvous", "Rendezvous (HRW)", true},
    {LbAlgo::maglev, "maglev", "Maglev", true},
    {LbAlgo::bounded_load, "bounded", "Consistent hashing, bounded loads", true},
    {LbAlgo::modulo, "mod", "Modulo hashing (hash mod N)", true},
};

monitor::HdrConfig latency_hdr_config() {
  monitor::HdrConfig c;
  c.lowest_discernible_value = 1;
  c.highest_trackable_value = 3'600'000'000;  // 1 h
  c.significant_digits = 2;                   // 1% resolution: plenty for p99 plots, 26 KB
  return c;
}

std::string key_text(std::uint32_t key) { return "key-" + std::to_string(key); }

}  // namespace

// ------------------------------------------------------------------ names

const char* lb_algo_name(LbAlgo algo) { return kAlgos[static_cast<int>(algo)].name; }
const char* lb_algo_label(LbAlgo algo) { return kAlgos[static_cast<int>(algo)].label; }

bool parse_lb_algo(std::string_view text, LbAlgo& out) {
  for (const AlgoInfo& a : kAlgos) {
    if (text == a.name) {
      out = a.algo;
      return true;
    }
  }
  // friendly aliases
  if (text == "least_conn") return out = LbAlgo::least_connections, true;
  if (text == "power_of_two_choices" || text == "least_request") return out = LbAlgo::power_of_two_choices, true;
  if (text == "bounded_load") return out = LbAlgo::bounded_load, true;
  if (text == "modulo") return out = LbAlgo::modulo, true;
  return false;
}

std::string lb_algo_list() {
  std::string out;
  for (const AlgoInfo& a : kAlgos) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

bool lb_algo_uses_keys(LbAlgo algo) { return kAlgos[static_cast<int>(algo)].uses_keys; }

const char* lb_service_kind_name(LbServiceKind kind) {
  switch (kind) {
    case LbServiceKind::constant: return "constant";
    case LbServiceKind::uniform: return "uniform";
    case LbServiceKind::exponential: return "exponential";
    case LbServiceKind::long_tail: return "long_tail";
  }
  return "?";
}

const char* lb_health_name(LbHealth health) {
  switch (health) {
    case LbHealth::up: return "up";
    case LbHealth::slow: return "slow";
    case LbHealth::down: return "down";
  }
  return "?";
}

KetamaServer ketama_server_from_name(std::string_view name, std::uint32_t weight) {
  KetamaServer server;
  server.host = std::string(name);
  server.port = kMemcachedDefaultPort;
  server.weight = weight;
  const auto colon = name.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < name.size() && name.size() - colon - 1 <= 5) {
    std::uint32_t port = 0;
    bool digits = true;
    for (char c : name.substr(colon + 1)) {
      if (c < '0' || c > '9') digits = false;
      else port = port * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (digits && port <= 65535) {
      server.host = std::string(name.substr(0, colon));
      server.port = static_cast<std::uint16_t>(port);
    }
  }
  return server;
}

LbImbalance lb_imbalance(const std::vector<std::uint64_t>& counts) {
  LbImbalance out;
  if (counts.empty()) return out;
  double sum = 0, max = 0;
  for (auto c : counts) sum += static_cast<double>(c), max = std::max(max, static_cast<double>(c));
  const double mean = sum / static_cast<double>(counts.size());
  if (mean <= 0) return out;
  double var = 0;
  for (auto c : counts) var += (static_cast<double>(c) - mean) * (static_cast<double>(c) - mean);
  var /= static_cast<double>(counts.size());
  out.max_over_mean = max / mean;
  out.stddev_over_mean = std::sqrt(var) / mean;
  return out;
}

// ------------------------------------------------------------------ config pieces

LbServerParams LbConfig::params_for(std::string_view server_name) const {
  for (const auto& [name, params] : servers)
    if (name == server_name) return params;
  return server_defaults;
}

SimTimeUs LbServiceTime::sample_us(Rng& rng) const {
  switch (kind) {
    case LbServiceKind::constant: return mean_us;
    case LbServiceKind::uniform: return rng.between(min_us, max_us);
    case LbServiceKind::exponential:
      return static_cast<SimTimeUs>((static_cast<Uint128>(static_cast<std::uint64_t>(std::max<SimTimeUs>(mean_us, 0))) *
                                     exponential_q32(rng)) >> 32);
    case LbServiceKind::long_tail: {
      LatencyModel model;
      model.kind = LatencyKind::long_tail;
      model.min_us = min_us;
      model.max_us = max_us;
      model.tail_percent = tail_percent;
      return model.sample_us(rng);
    }
  }
  return mean_us;
}

double LbServiceTime::mean_estimate_us() const {
  switch (kind) {
    case LbServiceKind::constant:
    case LbServiceKind::exponential: return static_cast<double>(mean_us);
    case LbServiceKind::uniform: return 0.5 * static_cast<double>(min_us + max_us);
    case LbServiceKind::long_tail: {
      // E[min(min * 1.5 * 2^k, max)] with P(k) = (1 - p) p^k (the uniform factor averaged to 1.5)
      const double p = static_cast<double>(tail_percent) / 100.0;
      double mean = 0, prob = 1.0 - p, value = 1.5 * static_cast<double>(min_us);
      for (int k = 0; k < 40; ++k) {
        mean += prob * std::min(value, static_cast<double>(max_us));
        prob *= p;
        value *= 2;
      }
      return mean;
    }
  }
  return static_cast<double>(mean_us);
}

std::uint32_t LbServer::speed_permille(std::uint32_t slow_permille) const {
  std::uint64_t speed = params.speed_permille;
  if (health == LbHealth::slow) speed = speed * slow_permille / 1000;
  return static_cast<std::uint32_t>(std::max<std::uint64_t>(speed, 1));
}

int LbLatencyBins::bin_of(SimTimeUs us) {
  if (us < 1) return 0;
  const auto v = static_cast<std::uint64_t>(us);
  const int e = 63 - std::countl_zero(v);
  const auto m = static_cast<int>(e >= 2 ? (v >> (e - 2)) & 3u : (v << (2 - e)) & 3u);
  return std::min(4 * e + m, kBins - 1);
}

SimTimeUs LbLatencyBins::bin_lower_us(int bin) {
  const int e = bin / 4, m = bin % 4;
  return static_cast<SimTimeUs>((static_cast<std::uint64_t>(4 + m) << e) / 4);
}

// ------------------------------------------------------------------ construction

LoadBalancerSim::LoadBalancerSim(const LbConfig& config, std::uint64_t seed, SimTimeUs start_us)
    : config_(config),
      workload_rng_(mix64(seed ^ 0x574F524B4C4F4144ull)),  // "WORKLOAD"
      balancer_rng_(mix64(seed ^ 0x42414C414E434552ull)),  // "BALANCER"
      latency_total_(latency_hdr_config()),
      latency_window_(latency_hdr_config()) {
  zipf_ = std::make_shared<const ZipfTable>(config_.workload.keys, config_.workload.zipf_milli);
  start_us = std::max<SimTimeUs>(start_us, 0);
  now_us_ = start_us;
  start_us_ = start_us;
  const SimTimeUs width = std::max<SimTimeUs>(config_.window_us, 1);
  window_start_us_ = start_us / width * width;
  burst_active_.assign(config_.workload.bursts.size(), 0);
  for (std::uint32_t i = 0; i < config_.workload.bursts.size(); ++i) {
    const LbBurst& b = config_.workload.bursts[i];
    if (b.at_us + b.duration_us <= start_us) continue;
    push_event(std::max(b.at_us, start_us), LbEventKind::burst_start, i, 0);
    push_event(b.at_us + b.duration_us, LbEventKind::burst_end, i, 0);
  }
  if (config_.health.enabled) push_event(start_us + config_.health.interval_us, LbEventKind::health_check, 0, health_generation_);
  reset_picker();
}

std::uint32_t LoadBalancerSim::add_server(const std::string& name, std::uint32_t tag, SimTimeUs now_us, const LbSink* sink) {
  advance_to(now_us);
  LbServer server;
  server.name = name;
  server.tag = tag;
  server.params = config_.params_for(name);
  servers_.push_back(std::move(server));
  loads_.servers.push_back(ServerLoad{servers_.back().params.weight, 0});
  cur_servers_.push_back(LbServerWindow{});
  const auto index = static_cast<std::uint32_t>(servers_.size() - 1);
  rebuild_placement(totals_.arrivals == 0 && now_us_ == start_us_ ? std::string() : "add " + name, index, kNone);
  note(sink, "lb server added", tag, balancer_tag_, 0);
  return index;
}

std::uint32_t LoadBalancerSim::add_client(const std::string& name, std::uint32_t tag, SimTimeUs now_us) {
  advance_to(now_us);
  LbClient client;
  client.name = name;
  client.tag = tag;
  clients_.push_back(std::move(client));
  // The per-client rate depends on the client count: everyone's next request is redrawn.
  reschedule_clients(now_us);
  return static_cast<std::uint32_t>(clients_.size() - 1);
}

namespace {
// The index of the first element that matches, kNone if none does.
template <class T, class Match>
std::uint32_t index_where(const std::vector<T>& items, Match match) {
  for (std::uint32_t i = 0; i < items.size(); ++i)
    if (match(items[i])) return i;
  return LoadBalancerSim::kNone;
}
}  // namespace

std::uint32_t LoadBalancerSim::find_server(std::string_view name) const {
  return index_where(servers_, [&](const LbServer& s) { return s.name == name; });
}

std::uint32_t LoadBalancerSim::find_client(std::string_view name) const {
  return index_where(clients_, [&](const LbClient& c) { return c.name == name; });
}

std::uint32_t LoadBalancerSim::find_server_tag(std::uint32_t tag) const {
  return index_where(servers_, [&](const LbServer& s) { return s.tag == tag; });
}

std::uint32_t LoadBalancerSim::find_client_tag(std::uint32_t tag) const {
  return index_where(clients_, [&](const LbClient& c) { return c.tag == tag; });
}

std::uint64_t LoadBalancerSim::current_rate_milli() const {
  for (std::size_t i = burst_active_.size(); i-- > 0;)
    if (burst_active_[i]) return config_.workload.bursts[i].rate_milli;
  return config_.workload.rate_milli;
}

const LbWindow& LoadBalancerSim::window(std::size_t i) const {
  const std::size_t chunk = i / kWindowChunk;
  if (chunk < window_chunks_.size()) return (*window_chunks_[chunk])[i % kWindowChunk];
  return window_tail_[i - window_chunks_.size() * kWindowChunk];
}

// ------------------------------------------------------------------ events

void LoadBalancerSim::push_event(SimTimeUs at_us, LbEventKind kind, std::uint32_t index, std::uint64_t ref) {
  LbEvent e{at_us, next_seq_++, ref, index, kind};
  // sift up
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    const LbEvent& p = heap_[parent];
    if (p.time_us < e.time_us || (p.time_us == e.time_us && p.seq < e.seq)) break;
    heap_[i] = p;
    i = parent;
  }
  heap_[i] = e;
}

LbEvent LoadBalancerSim::pop_event() {
  const LbEvent top = heap_.front();
  const LbEvent last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n > 0) {
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n) {
        const LbEvent& a = heap_[child];
        const LbEvent& b = heap_[child + 1];
        if (b.time_us < a.time_us || (b.time_us == a.time_us && b.seq < a.seq)) ++child;
      }
      const LbEvent& c = heap_[child];
      if (last.time_us < c.time_us || (last.time_us == c.time_us && last.seq < c.seq)) break;
      heap_[i] = c;
      i = child;
    }
    heap_[i] = last;
  }
  return top;
}

bool LoadBalancerSim::event_live(const LbEvent& e) const {
  switch (e.kind) {
    case LbEventKind::arrival: {
      const LbClient& c = clients_[e.index];
      return c.generation == e.ref && c.up && !c.removed;
    }
    case LbEventKind::server_arrival:
      return slots_[e.index].id == e.ref && slots_[e.index].state == LbRequestState::to_server;
    case LbEventKind::completion:
      return slots_[e.index].id == e.ref && slots_[e.index].state == LbRequestState::serving;
    case LbEventKind::health_check:
      return config_.health.enabled && e.ref == health_generation_;
    case LbEventKind::burst_start:
    case LbEventKind::burst_end:
      return true;
  }
  return false;
}

void LoadBalancerSim::drop_stale_events() {
  while (!heap_.empty() && !event_live(heap_.front())) pop_event();
}

void LoadBalancerSim::note(const LbSink* sink, const char* label, std::uint32_t node, std::uint32_t peer,
                           std::uint64_t id, std::int64_t a, std::int64_t b) const {
  if (sink == nullptr || sink->fn == nullptr) return;
  sink->fn(sink->ctx, LbNote{label, node, peer, id, a, b});
}

void LoadBalancerSim::step(const LbSink* sink) {
  drop_stale_events();
  if (heap_.empty()) return;
  const LbEvent e = pop_event();
  close_windows_until(e.time_us);
  log_pending_flags(sink);
  now_us_ = std::max(now_us_, e.time_us);
  switch (e.kind) {
    case LbEventKind::arrival: on_arrival(e.index, sink); break;
    case LbEventKind::server_arrival: on_server_arrival(e.index, sink); break;
    case LbEventKind::completion: on_completion(e.index, sink); break;
    case LbEventKind::health_check: health_check(sink); break;
    case LbEventKind::burst_start:
    case LbEventKind::burst_end: {
      burst_active_[e.index] = e.kind == LbEventKind::burst_start ? 1 : 0;
      reschedule_clients(now_us_);
      note(sink, e.kind == LbEventKind::burst_start ? "lb burst starts" : "lb burst ends", balancer_tag_, kNone, 0,
           static_cast<std::int64_t>(current_rate_milli() / 1000));
      break;
    }
  }
  drop_stale_events();
}

void LoadBalancerSim::run_until(SimTimeUs t_us, const LbSink* sink) {
  while (next_event_time_us() <= t_us) step(sink);
  advance_to(t_us);
}

void LoadBalancerSim::advance_to(SimTimeUs t_us) {
  if (t_us <= now_us_) return;
  close_windows_until(t_us);
  now_us_ = t_us;
}

// ------------------------------------------------------------------ workload

void LoadBalancerSim::schedule_next_send(std::uint32_t c, SimTimeUs from_us, std::uint32_t from_frac) {
  LbClient& client = clients_[c];
  ++client.generation;
  std::uint64_t clients = 0;
  for (const LbClient& other : clients_) clients += other.removed ? 0 : 1;
  const std::uint64_t rate = current_rate_milli();
  if (rate == 0 || !client.up || client.removed || clients == 0) {
    client.next_send_us = kSimTimeMaxUs;
    return;
  }
  // mean gap of one client in Q32 microseconds: 10^9 * clients / rate_milli
  const Uint128 mean_q32 = (static_cast<Uint128>(1'000'000'000ull * clients) << 32) / rate;
  const Uint128 total = static_cast<Uint128>(from_frac) + exponential_q32_us(workload_rng_, mean_q32);
  const Uint128 whole = total >> 32;
  if (whole >= static_cast<Uint128>(kSimTimeMaxUs - from_us)) {
    client.next_send_us = kSimTimeMaxUs;
    return;
  }
  client.next_send_us = from_us + static_cast<SimTimeUs>(whole);
  client.send_frac = static_cast<std::uint32_t>(total);
  push_event(client.next_send_us + config_.client_hop_us, LbEventKind::arrival, c, client.generation);
}

void LoadBalancerSim::reschedule_clients(SimTimeUs now_us) {
  // Poisson arrivals are memoryless: redrawing every client's next request from now with the new
  // rate is exact. A request already on its way to the balancer (sent before now) is kept.
  for (std::uint32_t c = 0; c < clients_.size(); ++c) {
    LbClient& client = clients_[c];
    if (client.up && !client.removed && client.next_send_us <= now_us) continue;
    schedule_next_send(c, now_us, 0);
  }
  drop_stale_events();
}

std::uint32_t LoadBalancerSim::alloc_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void LoadBalancerSim::free_slot(std::uint32_t slot) {
  slots_[slot].id = 0;
  slots_[slot].state = LbRequestState::free;
  free_slots_.push_back(slot);
  --in_flight_;
}

void LoadBalancerSim::remember(LbRecentKind kind, std::uint32_t server, std::uint32_t client) {
  recent_[recent_head_] = LbRecent{now_us_, server, client, kind};
  recent_head_ = (recent_head_ + 1) % kRecent;
}

void LoadBalancerSim::on_arrival(std::uint32_t c, const LbSink* sink) {
  LbClient& client = clients_[c];
  const SimTimeUs sent_us = client.next_send_us;
  const std::uint32_t sent_frac = client.send_frac;
  // The workload stream, always in this order whatever the balancer: key, demand, next gap.
  const std::uint32_t key = zipf_->sample(workload_rng_);
  const SimTimeUs demand_us = std::max<SimTimeUs>(config_.workload.service.sample_us(workload_rng_), 0);
  ++client.sent;
  schedule_next_send(c, sent_us, sent_frac);
  workload_hash_ = mix64(workload_hash_ ^ (static_cast<std::uint64_t>(sent_us) * 0x9E3779B97F4A7C15ull));
  workload_hash_ = mix64(workload_hash_ ^ ((static_cast<std::uint64_t>(c) << 32) | key));
  workload_hash_ = mix64(workload_hash_ ^ static_cast<std::uint64_t>(demand_us));

  const std::uint32_t slot = alloc_slot();
  ++in_flight_;
  LbRequest& r = slots_[slot];
  r.id = next_request_id_++;
  r.client = c;
  r.key = key;
  r.server = kNoServer;
  r.sent_us = sent_us;
  r.balancer_us = now_us_;
  r.demand_us = demand_us;
  ++totals_.arrivals;
  ++window_counts_.arrivals;
  if (!balancer_up_) {
    ++totals_.no_server;
    ++window_counts_.failed;
    note(sink, "lb balancer down", balancer_tag_, client.tag, r.id, 0, now_us_ - r.sent_us);
    remember(LbRecentKind::failed, kNoServer, c);
    free_slot(slot);
    return;
  }
  if (balancer_paused_) {
    r.state = LbRequestState::held;
    held_.push_back(slot);
    return;
  }
  dispatch(slot, sink);
}

std::uint32_t LoadBalancerSim::route(std::uint32_t key) {
  const LbAlgo algo = config_.balancer.algo;
  if (!lb_algo_uses_keys(algo)) return pick(picker_, Request{}, loads_, balancer_rng_);
  if (!placement_ || key >= placement_->key_owner.size()) return kNoServer;
  if (algo == LbAlgo::bounded_load) {
    const auto* bounded = std::get_if<BoundedLoadPick>(&placement_->structure);
    return bounded == nullptr ? kNoServer : bounded->pick_hash(placement_->key_hash[key], loads_);
  }
  return placement_->key_owner[key];
}

void LoadBalancerSim::dispatch(std::uint32_t slot, const LbSink* sink) {
  LbRequest& r = slots_[slot];
  const std::uint32_t s = route(r.key);
  r.balancer_us = now_us_;
  if (s == kNoServer || s >= servers_.size()) {
    ++totals_.no_server;
    ++window_counts_.failed;
    note(sink, "lb no server", balancer_tag_, clients_[r.client].tag, r.id, 0, now_us_ - r.sent_us);
    remember(LbRecentKind::failed, kNoServer, r.client);
    free_slot(slot);
    return;
  }
  LbServer& server = servers_[s];
  ++server.active;
  ++server.dispatched;
  ++loads_.servers[s].active;
  ++cur_servers_[s].dispatched;
  ++totals_.dispatched;
  r.server = s;
  r.state = LbRequestState::to_server;
  r.server_us = now_us_ + config_.server_hop_us;
  note(sink, "lb dispatch", balancer_tag_, server.tag, r.id, r.client, r.key);
  if (config_.server_hop_us <= 0) {
    on_server_arrival(slot, sink);
  } else {
    push_event(r.server_us, LbEventKind::server_arrival, slot, r.id);
  }
}

void LoadBalancerSim::finish(std::uint32_t slot, LbRecentKind kind) {
  const LbRequest& r = slots_[slot];
  if (r.server != kNoServer) {
    --servers_[r.server].active;
    --loads_.servers[r.server].active;
  }
  remember(kind, r.server, r.client);
  free_slot(slot);
}

void LoadBalancerSim::on_server_arrival(std::uint32_t slot, const LbSink* sink) {
  LbRequest& r = slots_[slot];
  const std::uint32_t s = r.server;
  LbServer& server = servers_[s];
  if (server.health == LbHealth::down || server.removed) {
    ++server.failed;
    ++totals_.failed;
    ++window_counts_.failed;
    ++cur_servers_[s].failed;
    note(sink, "lb refused: server down", server.tag, clients_[r.client].tag, r.id, 0, now_us_ - r.sent_us);
    finish(slot, LbRecentKind::failed);
    return;
  }
  if (!server.paused && server.in_service < server.params.capacity) {
    start_service(s, slot);
    return;
  }
  if (server.queue.size() < server.params.queue_limit) {
    r.state = LbRequestState::queued;
    server.queue.push(slot);
    cur_servers_[s].queue_max = std::max(cur_servers_[s].queue_max, server.queue.size());
    return;
  }
  ++server.dropped;
  ++totals_.dropped;
  ++window_counts_.dropped;
  ++cur_servers_[s].dropped;
  note(sink, "lb drop: queue full", server.tag, clients_[r.client].tag, r.id, server.queue.size(), now_us_ - r.sent_us);
  finish(slot, LbRecentKind::dropped);
}

void LoadBalancerSim::start_service(std::uint32_t s, std::uint32_t slot) {
  LbServer& server = servers_[s];
  LbRequest& r = slots_[slot];
  ++server.in_service;
  r.state = LbRequestState::serving;
  r.start_us = now_us_;
  const std::uint64_t speed = server.speed_permille(config_.slow_speed_permille);
  const auto duration = static_cast<SimTimeUs>(static_cast<std::uint64_t>(r.demand_us) * 1000 / speed);
  r.done_us = now_us_ + std::max<SimTimeUs>(duration, 1);
  push_event(r.done_us, LbEventKind::completion, slot, r.id);
}

void LoadBalancerSim::fill_service(std::uint32_t s) {
  LbServer& server = servers_[s];
  while (!server.paused && server.health != LbHealth::down && server.in_service < server.params.capacity &&
         !server.queue.empty()) {
    start_service(s, server.queue.pop());
  }
}

void LoadBalancerSim::on_completion(std::uint32_t slot, const LbSink* sink) {
  const LbRequest& r = slots_[slot];
  const std::uint32_t s = r.server;
  LbServer& server = servers_[s];
  if (server.paused) {
    server.deferred.push_back(slot);  // a frozen server finishes nothing; resumed later
    return;
  }
  --server.in_service;
  ++server.served;
  const SimTimeUs latency_us = now_us_ - r.sent_us;
  server.latency_sum_us += static_cast<std::uint64_t>(latency_us);
  server.wait_sum_us += static_cast<std::uint64_t>(r.start_us - r.server_us);
  latency_total_.record(latency_us);
  latency_window_.record(latency_us);
  latency_bins_.add(latency_us);
  latency_prom_s_.observe(static_cast<double>(latency_us) / 1e6);
  cur_servers_[s].latency_sum_us += static_cast<std::uint64_t>(latency_us);
  ++totals_.completed;
  ++window_counts_.completed;
  ++cur_servers_[s].completed;
  note(sink, "lb done", server.tag, clients_[r.client].tag, r.id, latency_us, r.start_us - r.server_us);
  finish(slot, LbRecentKind::completed);
  fill_service(s);
}

void LoadBalancerSim::fail_server_requests(std::uint32_t s, const LbSink* sink) {
  LbServer& server = servers_[s];
  std::uint64_t lost = 0;
  for (std::uint32_t slot = 0; slot < slots_.size(); ++slot) {
    const LbRequest& r = slots_[slot];
    if (r.id == 0 || r.server != s) continue;
    if (r.state != LbRequestState::queued && r.state != LbRequestState::serving) continue;
    ++lost;
    note(sink, "lb lost: server crashed", server.tag, clients_[r.client].tag, r.id, 0, now_us_ - r.sent_us);
    ++server.failed;
    ++totals_.failed;
    ++window_counts_.failed;
    ++cur_servers_[s].failed;
    finish(slot, LbRecentKind::failed);
  }
  server.queue.clear();
  server.deferred.clear();
  server.in_service = 0;
  note(sink, "lb server down: requests lost", server.tag, balancer_tag_, 0, static_cast<std::int64_t>(lost));
}

// ------------------------------------------------------------------ health checks

void LoadBalancerSim::health_check(const LbSink* sink) {
  const LbHealthConfig& hc = config_.health;
  std::string change;
  std::uint32_t added = kNone, removed = kNone;
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    LbServer& server = servers_[s];
    if (server.removed) continue;
    const bool ok = server.health != LbHealth::down && !server.paused;
    if (ok) {
      ++server.probe_successes;
      server.probe_failures = 0;
      if (!server.in_rotation && server.probe_successes >= hc.successes) {
        server.in_rotation = true;
        change += (change.empty() ? "" : ", ") + server.name + " back in rotation";
        added = added == kNone ? s : added;
        note(sink, "lb back in rotation", balancer_tag_, server.tag, 0, server.probe_successes);
      }
    } else {
      ++server.probe_failures;
      server.probe_successes = 0;
      if (server.in_rotation && server.probe_failures >= hc.failures) {
        server.in_rotation = false;
        change += (change.empty() ? "" : ", ") + server.name + " out of rotation";
        removed = removed == kNone ? s : removed;
        note(sink, "lb out of rotation", balancer_tag_, server.tag, 0, server.probe_failures);
      }
    }
  }
  if (!change.empty()) {
    sync_loads();
    rebuild_placement(change, added, removed);
  }
  push_event(now_us_ + std::max<SimTimeUs>(hc.interval_us, 1), LbEventKind::health_check, 0, health_generation_);
}

// ------------------------------------------------------------------ metrics windows

void LoadBalancerSim::close_windows_until(SimTimeUs t_us) {
  const SimTimeUs width = std::max<SimTimeUs>(config_.window_us, 1);
  while (t_us >= window_start_us_ + width) {
    LbWindow w = window_counts_;
    w.start_us = window_start_us_;
    w.end_us = window_start_us_ + width;
    if (latency_window_.count() > 0) {
      w.p50_us = latency_window_.value_at_quantile(0.50);
      w.p90_us = latency_window_.value_at_quantile(0.90);
      w.p99_us = latency_window_.value_at_quantile(0.99);
      w.max_us = latency_window_.max();
    }
    w.servers = cur_servers_;
    for (std::uint32_t s = 0; s < servers_.size(); ++s) {
      w.servers[s].active_end = servers_[s].active;
      w.servers[s].queue_max = std::max(w.servers[s].queue_max, servers_[s].queue.size());
    }
    watch_window(w);
    window_tail_.push_back(std::move(w));
    if (window_tail_.size() == kWindowChunk) {
      window_chunks_.push_back(std::make_shared<const std::vector<LbWindow>>(std::move(window_tail_)));
      window_tail_.clear();
    }
    window_counts_ = LbWindow{};
    for (std::uint32_t s = 0; s < servers_.size(); ++s) cur_servers_[s] = LbServerWindow{0, 0, 0, 0, servers_[s].queue.size(), 0};
    if (latency_window_.count() > 0) latency_window_.reset();
    window_start_us_ += width;
  }
}

// The detectors see each server's mean latency and load in the window; whether it was really
// degraded (slowed, paused, down, or configured below the default speed) is only for scoring.
void LoadBalancerSim::watch_window(LbWindow& w) {
  std::vector<monitor::WatchInput> inputs(w.servers.size());
  for (std::uint32_t s = 0; s < w.servers.size(); ++s) {
    const LbServerWindow& sw = w.servers[s];
    const LbServer& server = servers_[s];
    monitor::WatchInput& in = inputs[s];
    if (sw.completed > 0) in.latency_us = static_cast<double>(sw.latency_sum_us) / static_cast<double>(sw.completed);
    in.load = static_cast<double>(sw.dispatched);
    in.degraded = !server.removed && (server.health != LbHealth::up || server.paused ||
                                      server.speed_permille(config_.slow_speed_permille) < config_.server_defaults.speed_permille);
  }
  std::vector<std::uint8_t> flags;
  watch_.add_window(w.end_us, inputs, flags);
  for (std::uint32_t s = 0; s < w.servers.size(); ++s) {
    w.servers[s].detector_flags = flags[s];
    for (std::uint8_t d = 0; d < monitor::kWatchDetectors; ++d) {
      if ((flags[s] >> d) & 1u)
        pending_flags_.push_back(
            {s, d, std::isfinite(inputs[s].latency_us) ? static_cast<std::int64_t>(inputs[s].latency_us) : 0, w.end_us});
    }
  }
}

void LoadBalancerSim::log_pending_flags(const LbSink* sink) {
  // One literal per detector (trace labels must have static lifetime), in WatchDetector order.
  static constexpr const char* kFlagLabels[monitor::kWatchDetectors] = {
      "lb flag threshold", "lb flag ewma", "lb flag mad", "lb flag holt_winters", "lb flag rls", "lb flag peer"};
  for (const PendingFlag& f : pending_flags_)
    note(sink, kFlagLabels[f.detector], servers_[f.server].tag, balancer_tag_, 0, f.latency_us, f.window_end_us);
  pending_flags_.clear();
}

// ------------------------------------------------------------------ balancer

void LoadBalancerSim::sync_loads() {
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    const LbServer& server = servers_[s];
    loads_.servers[s].weight = (!server.removed && server.in_rotation) ? std::max<std::uint32_t>(server.params.weight, 1) : 0;
    loads_.servers[s].active = server.active;
  }
}

void LoadBalancerSim::reset_picker() {
  const LbBalancerConfig& b = config_.balancer;
  switch (b.algo) {
    case LbAlgo::round_robin: picker_ = RoundRobin{}; break;
    case LbAlgo::weighted_round_robin: picker_ = SmoothWeightedRoundRobin{}; break;
    case LbAlgo::random: picker_ = RandomPick{}; break;
    case LbAlgo::least_connections: picker_ = LeastConnections{false}; break;
    case LbAlgo::weighted_least_connections: picker_ = LeastConnections{true}; break;
    case LbAlgo::power_of_two_choices: picker_ = PowerOfChoices{std::max<std::uint32_t>(b.choices, 1)}; break;
    case LbAlgo::ketama:
    case LbAlgo::ring:
    case LbAlgo::jump:
    case LbAlgo::rendezvous:
    case LbAlgo::maglev:
    case LbAlgo::bounded_load:
    case LbAlgo::modulo: picker_ = RoundRobin{}; break;  // unused: keys route these
  }
}

void LoadBalancerSim::rebuild_placement(const std::string& change, std::uint32_t added, std::uint32_t removed) {
  sync_loads();
  const LbAlgo algo = config_.balancer.algo;
  if (!lb_algo_uses_keys(algo)) {
    placement_.reset();
    return;
  }
  auto p = std::make_shared<LbPlacement>();
  p->algo = algo;
  const std::uint32_t keys = config_.workload.keys;
  auto in_rotation = [&](std::uint32_t s) { return !servers_[s].removed && servers_[s].in_rotation; };
  // Members: rotation servers for the structures rebuilt on every change; every present server
  // (with alive flags) for those that skip dead members instead (ring, jump) and every server for
  // bounded loads (its node i must be server i).
  std::vector<std::string> names;
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    const bool member = algo == LbAlgo::bounded_load                              ? true
                        : (algo == LbAlgo::ring || algo == LbAlgo::jump) ? !servers_[s].removed
                                                                                  : in_rotation(s);
    if (!member) continue;
    p->members.push_back(s);
    p->member_alive.push_back(in_rotation(s) ? 1 : 0);
    names.push_back(servers_[s].name);
  }
  const auto member_count = static_cast<std::uint32_t>(p->members.size());
  auto to_server = [&](std::uint32_t member) { return member < member_count ? p->members[member] : kNoServer; };
  p->key_position.assign(keys, 0);
  p->key_hash.assign(keys, 0);
  p->key_owner.assign(keys, kNoServer);
  switch (algo) {
    case LbAlgo::ring: {
      HashRing ring;
      ring.build(names, std::max<std::uint32_t>(config_.balancer.points_per_node, 1));
      for (std::uint32_t k = 0; k < keys; ++k) {
        const std::string key = key_text(k);
        p->key_position[k] = ring_key_position(key);
        p->key_owner[k] = to_server(ring.lookup(p->key_position[k], &p->member_alive));
      }
      p->structure = std::move(ring);
      break;
    }
    case LbAlgo::modulo: {
      for (std::uint32_t k = 0; k < keys; ++k) {
        p->key_hash[k] = stable_hash64(key_text(k));
        p->key_owner[k] = to_server(modulo_owner(p->key_hash[k], member_count));
      }
      break;
    }
    case LbAlgo::ketama: {
      std::vector<KetamaServer> ks;
      for (std::uint32_t m = 0; m < member_count; ++m)
        ks.push_back(ketama_server_from_name(names[m], servers_[p->members[m]].params.weight));
      KetamaRing ring(std::move(ks));
      for (std::uint32_t k = 0; k < keys; ++k) {
        p->key_position[k] = ring.key_hash(key_text(k));
        p->key_owner[k] = member_count == 0 ? kNoServer : to_server(member_count == 1 ? 0 : ring.lookup_hash(p->key_position[k]));
      }
      p->structure = std::move(ring);
      break;
    }
    case LbAlgo::jump: {
      JumpHash jump(names);
      std::vector<std::uint32_t> alive_members;
      for (std::uint32_t m = 0; m < member_count; ++m)
        if (p->member_alive[m]) alive_members.push_back(m);
      for (std::uint32_t k = 0; k < keys; ++k) {
        const std::uint64_t h = key_hash64(key_text(k));
        p->key_hash[k] = h;
        std::uint32_t b = jump.lookup(h);
        // A bucket out of rotation: re-hash the key and jump again (only its keys move).
        std::uint64_t h2 = h;
        for (int attempt = 0; b != kNoServer && !p->member_alive[b] && attempt < 64; ++attempt) {
          h2 = mix64(h2 + 0x9E3779B97F4A7C15ull);
          b = jump.lookup(h2);
        }
        if (b != kNoServer && !p->member_alive[b]) b = alive_members.empty() ? kNoServer : alive_members[h % alive_members.size()];
        p->key_owner[k] = to_server(b);
      }
      p->structure = std::move(jump);
      break;
    }
    case LbAlgo::rendezvous: {
      Rendezvous hrw(names);
      for (std::uint32_t k = 0; k < keys; ++k) {
        p->key_hash[k] = key_hash64(key_text(k));
        p->key_owner[k] = to_server(hrw.lookup(p->key_hash[k]));
      }
      p->structure = std::move(hrw);
      break;
    }
    case LbAlgo::maglev: {
      MaglevTable table(names, MaglevConfig{config_.balancer.table_size, 0});
      for (std::uint32_t k = 0; k < keys; ++k) {
        p->key_hash[k] = key_hash64(key_text(k));
        p->key_position[k] = static_cast<std::uint32_t>(p->key_hash[k] >> 32);
        p->key_owner[k] = to_server(table.lookup(p->key_hash[k]));
      }
      p->structure = std::move(table);
      break;
    }
    case LbAlgo::bounded_load: {
      RingConfig rc;
      rc.points_per_node = std::max<std::uint32_t>(config_.balancer.points_per_node, 1);
      Ring ring(names, rc);
      for (std::uint32_t k = 0; k < keys; ++k) {
        p->key_hash[k] = key_hash64(key_text(k));
        p->key_position[k] = Ring::key_position(p->key_hash[k]);
        // Home server: the first server in rotation clockwise (where an idle cluster sends it).
        if (ring.point_count() == 0) continue;
        std::uint32_t point = ring.point_index(p->key_hash[k]);
        for (std::uint32_t step = 0; step < ring.point_count(); ++step) {
          const std::uint32_t node = ring.owners()[point];
          if (node < member_count && p->member_alive[node]) {
            p->key_owner[k] = to_server(node);
            break;
          }
          if (++point == ring.point_count()) point = 0;
        }
      }
      p->structure = BoundedLoadPick(std::move(ring), config_.balancer.epsilon_permille);
      break;
    }
    case LbAlgo::round_robin:
    case LbAlgo::weighted_round_robin:
    case LbAlgo::random:
    case LbAlgo::least_connections:
    case LbAlgo::weighted_least_connections:
    case LbAlgo::power_of_two_choices:
      break;
  }

  // Remap accounting against the previous owners (server indices are stable).
  p->key_moved.assign(keys, 0);
  p->remap.change = change;
  p->remap.keys = keys;
  const LbPlacement* old = placement_.get();
  if (!change.empty() && old != nullptr && old->key_owner.size() == keys) {
    std::uint32_t rotation = 0;
    for (std::uint32_t s = 0; s < servers_.size(); ++s) rotation += in_rotation(s) ? 1 : 0;
    for (std::uint32_t k = 0; k < keys; ++k) {
      const std::uint32_t before = old->key_owner[k], after = p->key_owner[k];
      if (before == after || before == kNoServer) continue;
      p->key_moved[k] = 1;
      ++p->remap.moved;
      const bool necessary = after == added || before == removed || !in_rotation(before);
      if (!necessary) ++p->remap.moved_elsewhere;
    }
    const auto* new_table = std::get_if<MaglevTable>(&p->structure);
    const auto* old_table = std::get_if<MaglevTable>(&old->structure);
    if (new_table != nullptr && old_table != nullptr && new_table->entries().size() == old_table->entries().size()) {
      const auto& before = old_table->entries();
      p->slot_before.assign(before.size(), kNoServer);
      for (std::size_t slot = 0; slot < before.size(); ++slot)
        p->slot_before[slot] = before[slot] < old->members.size() ? old->members[before[slot]] : kNoServer;
    }
    if (old->algo == algo) {
      if (added != kNone && removed == kNone && rotation > 0) p->remap.ideal_num = 1, p->remap.ideal_den = rotation;
      if (removed != kNone && added == kNone) p->remap.ideal_num = 1, p->remap.ideal_den = rotation + 1;
    }
  } else {
    p->remap.change.clear();
  }
  placement_ = std::move(p);
}

// ------------------------------------------------------------------ commands

bool LoadBalancerSim::kill_server(std::uint32_t s, SimTimeUs now_us, const LbSink* sink) {
  if (s >= servers_.size() || servers_[s].removed || servers_[s].health == LbHealth::down) return false;
  advance_to(now_us);
  servers_[s].health = LbHealth::down;
  servers_[s].paused = false;
  fail_server_requests(s, sink);
  if (!config_.health.enabled) {
    // Nobody tells the balancer: it keeps sending (and the requests are refused).
  }
  drop_stale_events();
  return true;
}

bool LoadBalancerSim::revive_server(std::uint32_t s, SimTimeUs now_us) {
  if (s >= servers_.size() || servers_[s].removed || servers_[s].health != LbHealth::down) return false;
  advance_to(now_us);
  servers_[s].health = LbHealth::up;
  servers_[s].paused = false;
  return true;
}

bool LoadBalancerSim::set_server_slow(std::uint32_t s, bool slow, SimTimeUs now_us) {
  if (s >= servers_.size() || servers_[s].removed || servers_[s].health == LbHealth::down) return false;
  advance_to(now_us);
  servers_[s].health = slow ? LbHealth::slow : LbHealth::up;
  return true;
}

bool LoadBalancerSim::set_server_speed(std::uint32_t s, std::uint32_t speed_permille, SimTimeUs now_us) {
  if (s >= servers_.size() || servers_[s].removed || speed_permille == 0) return false;
  advance_to(now_us);
  servers_[s].params.speed_permille = speed_permille;
  return true;
}

bool LoadBalancerSim::pause_server(std::uint32_t s, bool paused, SimTimeUs now_us) {
  if (s >= servers_.size() || servers_[s].removed || servers_[s].health == LbHealth::down) return false;
  if (servers_[s].paused == paused) return false;
  advance_to(now_us);
  LbServer& server = servers_[s];
  server.paused = paused;
  if (!paused) {
    // Completions that came due during the pause happen now, in the order they came due.
    for (std::uint32_t slot : server.deferred) push_event(now_us_, LbEventKind::completion, slot, slots_[slot].id);
    server.deferred.clear();
    fill_service(s);
  }
  drop_stale_events();
  return true;
}

bool LoadBalancerSim::remove_server(std::uint32_t s, SimTimeUs now_us, const LbSink* sink) {
  if (s >= servers_.size() || servers_[s].removed) return false;
  advance_to(now_us);
  if (servers_[s].health != LbHealth::down) {
    servers_[s].health = LbHealth::down;
    fail_server_requests(s, sink);
  }
  servers_[s].removed = true;
  servers_[s].in_rotation = false;
  servers_[s].paused = false;
  rebuild_placement("remove " + servers_[s].name, kNone, s);
  drop_stale_events();
  return true;
}

bool LoadBalancerSim::set_client_up(std::uint32_t c, bool up, SimTimeUs now_us) {
  if (c >= clients_.size() || clients_[c].removed || clients_[c].up == up) return false;
  advance_to(now_us);
  clients_[c].up = up;
  schedule_next_send(c, now_us_, 0);
  drop_stale_events();
  return true;
}

bool LoadBalancerSim::remove_client(std::uint32_t c, SimTimeUs now_us) {
  if (c >= clients_.size() || clients_[c].removed) return false;
  advance_to(now_us);
  clients_[c].removed = true;
  clients_[c].up = false;
  reschedule_clients(now_us_);
  return true;
}

void LoadBalancerSim::set_balancer_up(bool up, SimTimeUs now_us) {
  advance_to(now_us);
  balancer_up_ = up;
  if (!up) {
    balancer_paused_ = false;
    for (std::uint32_t slot : held_) {
      ++totals_.no_server;
      ++window_counts_.failed;
      finish(slot, LbRecentKind::failed);
    }
    held_.clear();
  }
}

void LoadBalancerSim::set_balancer_paused(bool paused, SimTimeUs now_us, const LbSink* sink) {
  advance_to(now_us);
  balancer_paused_ = paused;
  if (!paused) {
    std::vector<std::uint32_t> held = std::move(held_);
    held_.clear();
    for (std::uint32_t slot : held) dispatch(slot, sink);
  }
  drop_stale_events();
}

void LoadBalancerSim::set_rate(std::uint64_t rate_milli, SimTimeUs now_us) {
  advance_to(now_us);
  config_.workload.rate_milli = rate_milli;
  reschedule_clients(now_us_);
}

void LoadBalancerSim::set_balancer(const LbBalancerConfig& balancer, SimTimeUs now_us) {
  advance_to(now_us);
  const bool algo_changed = balancer.algo != config_.balancer.algo;
  config_.balancer = balancer;
  reset_picker();
  rebuild_placement(algo_changed ? std::string("algorithm ") + lb_algo_name(balancer.algo) : std::string("balancer settings"),
                    kNone, kNone);
}

void LoadBalancerSim::set_health(const LbHealthConfig& health, SimTimeUs now_us) {
  advance_to(now_us);
  config_.health = health;
  ++health_generation_;
  if (health.enabled) {
    push_event(now_us_ + std::max<SimTimeUs>(health.interval_us, 1), LbEventKind::health_check, 0, health_generation_);
  } else {
    bool changed = false;
    for (LbServer& server : servers_) {
      server.probe_failures = server.probe_successes = 0;
      if (!server.removed && !server.in_rotation) server.in_rotation = true, changed = true;
    }
    if (changed) rebuild_placement("health checks off", kNone, kNone);
  }
  drop_stale_events();
}

void LoadBalancerSim::set_workload_shape(const LbServiceTime& service, std::uint32_t zipf_milli, SimTimeUs now_us) {
  advance_to(now_us);
  config_.workload.service = service;
  if (zipf_milli != config_.workload.zipf_milli) {
    config_.workload.zipf_milli = zipf_milli;
    zipf_ = std::make_shared<const ZipfTable>(config_.workload.keys, zipf_milli);
  }
}

// ------------------------------------------------------------------ hashing, equality

void LoadBalancerSim::hash_into(Hasher& h) const {
  h.i64(now_us_).u64(next_seq_).u64(next_request_id_).u64(in_flight_).u64(health_generation_).u64(workload_hash_);
  for (int i = 0; i < 4; ++i) h.u64(workload_rng_.state()[i]).u64(balancer_rng_.state()[i]);
  h.u64(static_cast<std::uint64_t>(config_.balancer.algo)).u64(config_.workload.rate_milli);
  h.boolean(balancer_up_).boolean(balancer_paused_).u64(held_.size());
  for (const LbEvent& e : heap_) h.i64(e.time_us).u64(e.seq).u64(e.ref).u64(e.index).u64(static_cast<std::uint64_t>(e.kind));
  for (const LbServer& s : servers_) {
    h.str(s.name).u64(static_cast<std::uint64_t>(s.health)).boolean(s.paused).boolean(s.removed).boolean(s.in_rotation);
    h.u64(s.probe_failures).u64(s.probe_successes).u64(s.active).u64(s.in_service).u64(s.queue.size());
    h.u64(s.dispatched).u64(s.served).u64(s.dropped).u64(s.failed).u64(s.latency_sum_us).u64(s.params.speed_permille);
  }
  for (const LbClient& c : clients_) h.str(c.name).boolean(c.up).boolean(c.removed).i64(c.next_send_us).u64(c.send_frac).u64(c.generation).u64(c.sent);
  for (const LbRequest& r : slots_) {
    if (r.id == 0) continue;
    h.u64(r.id).u64(r.client).u64(r.key).u64(r.server).u64(static_cast<std::uint64_t>(r.state)).i64(r.sent_us).i64(r.done_us);
  }
  h.u64(totals_.arrivals).u64(totals_.dispatched).u64(totals_.completed).u64(totals_.dropped).u64(totals_.failed).u64(totals_.no_server);
  h.u64(window_count()).u64(latency_total_.count()).u64(pending_flags_.size());
  std::visit(Overloaded{
                 [&](const RoundRobin& p) { h.u64(p.cursor()); },
                 [&](const SmoothWeightedRoundRobin& p) {
                   for (auto v : p.current()) h.i64(v);
                 },
                 [](const auto&) {},
             },
             picker_);
  if (placement_) {
    for (auto o : placement_->key_owner) h.u64(o);
    h.u64(placement_->remap.moved);
  }
}

std::uint64_t LoadBalancerSim::state_hash() const {
  Hasher h;
  hash_into(h);
  return h.value();
}

namespace {
template <class T>
bool same_pointee(const std::shared_ptr<const T>& a, const std::shared_ptr<const T>& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}
}  // namespace

bool LoadBalancerSim::operator==(const LoadBalancerSim& o) const {
  if (!(config_ == o.config_ && workload_rng_ == o.workload_rng_ && balancer_rng_ == o.balancer_rng_ && now_us_ == o.now_us_ &&
        next_seq_ == o.next_seq_ && next_request_id_ == o.next_request_id_ && heap_ == o.heap_ && servers_ == o.servers_ &&
        clients_ == o.clients_ && balancer_tag_ == o.balancer_tag_ && balancer_up_ == o.balancer_up_ &&
        balancer_paused_ == o.balancer_paused_ && held_ == o.held_ && slots_ == o.slots_ && free_slots_ == o.free_slots_ &&
        in_flight_ == o.in_flight_ && health_generation_ == o.health_generation_ && burst_active_ == o.burst_active_ &&
        picker_ == o.picker_ && loads_ == o.loads_ && totals_ == o.totals_ && latency_total_ == o.latency_total_ &&
        latency_window_ == o.latency_window_ && latency_bins_ == o.latency_bins_ && latency_prom_s_ == o.latency_prom_s_ && watch_ == o.watch_ && pending_flags_ == o.pending_flags_ && window_start_us_ == o.window_start_us_ &&
        window_counts_ == o.window_counts_ && cur_servers_ == o.cur_servers_ && window_tail_ == o.window_tail_ &&
        recent_ == o.recent_ && recent_head_ == o.recent_head_ && workload_hash_ == o.workload_hash_))
    return false;
  if (!same_pointee(placement_, o.placement_) || !same_pointee(zipf_, o.zipf_)) return false;
  if (window_chunks_.size() != o.window_chunks_.size()) return false;
  for (std::size_t i = 0; i < window_chunks_.size(); ++i)
    if (!same_pointee(window_chunks_[i], o.window_chunks_[i])) return false;
  return true;
}

}  // namespace dsplay::balance
