// The World's side of the load-balancing simulation (core/balance/lb_sim.hpp): nodes with roles
// lb_client, balancer and lb_server are the sim's clients, balancer and servers, so the cluster
// view shows them and crash / restart / pause / resume / remove commands on them reach the sim;
// the World's event loop takes the sim's next event when it is earlier than its own queue's (on a
// tie the queue goes first); the sim's notes become trace records of the World; `lb.*` parameters
// reconfigure it. Kept apart from world.cpp so the two stay small.
#include <algorithm>

#include "core/world.hpp"

namespace dsplay {

namespace {

bool is_lb_role(NodeRole role) {
  return role == NodeRole::lb_client || role == NodeRole::balancer || role == NodeRole::lb_server;
}

struct LbTraceContext {
  World* world;
  TraceLog* log;
};

}  // namespace

void World::lb_init() {
  for (NodeId id = 0; id < nodes_.size(); ++id) {
    if (is_lb_role(nodes_[id].role)) lb_node_event(id, LbNodeOp::added, nullptr);
  }
}

bool World::lb_step_due(SimTimeUs limit_us) const {
  if (!lb_) return false;
  const SimTimeUs t_us = lb_->next_event_time_us();
  if (t_us >= kSimTimeMaxUs || t_us > limit_us) return false;
  return queue_.empty() || t_us < queue_.top().time_us;
}

void World::lb_step(TraceLog* log) {
  now_us_ = std::max(now_us_, lb_->next_event_time_us());
  ++event_count_;
  LbTraceContext context{this, log};
  const balance::LbSink sink{[](void* ctx, const balance::LbNote& n) {
                               auto* c = static_cast<LbTraceContext*>(ctx);
                               c->world->record(c->log, TraceKind::note, n.node_tag, n.peer_tag, n.id, n.label, n.a, n.b);
                             },
                             &context};
  lb_->step(&sink);
  run_checkers(log, kNoNode);  // the balancing sim changes no process the lock checker watches
}

void World::lb_node_event(NodeId id, LbNodeOp op, TraceLog* log) {
  const Node& node = nodes_[id];
  if (!is_lb_role(node.role)) return;
  if (!lb_) {
    if (op != LbNodeOp::added) return;
    lb_.emplace(config_.balancing, config_.seed, now_us_);
  }
  LbTraceContext context{this, log};
  const balance::LbSink sink{[](void* ctx, const balance::LbNote& n) {
                               auto* c = static_cast<LbTraceContext*>(ctx);
                               c->world->record(c->log, TraceKind::note, n.node_tag, n.peer_tag, n.id, n.label, n.a, n.b);
                             },
                             &context};
  balance::LoadBalancerSim& sim = *lb_;
  const SimTimeUs now = now_us_;
  switch (node.role) {
    case NodeRole::lb_server: {
      const std::uint32_t s = op == LbNodeOp::added ? balance::LoadBalancerSim::kNone : sim.find_server_tag(id);
      switch (op) {
        case LbNodeOp::added: sim.add_server(node.name, id, now, &sink); break;
        case LbNodeOp::removed: sim.remove_server(s, now, &sink); break;
        case LbNodeOp::crashed: sim.kill_server(s, now, &sink); break;
        case LbNodeOp::restarted: sim.revive_server(s, now); break;
        case LbNodeOp::paused: sim.pause_server(s, true, now); break;
        case LbNodeOp::resumed: sim.pause_server(s, false, now); break;
      }
      break;
    }
    case NodeRole::lb_client: {
      const std::uint32_t c = op == LbNodeOp::added ? balance::LoadBalancerSim::kNone : sim.find_client_tag(id);
      switch (op) {
        case LbNodeOp::added: sim.add_client(node.name, id, now); break;
        case LbNodeOp::removed: sim.remove_client(c, now); break;
        case LbNodeOp::crashed:
        case LbNodeOp::paused: sim.set_client_up(c, false, now); break;
        case LbNodeOp::restarted:
        case LbNodeOp::resumed: sim.set_client_up(c, true, now); break;
      }
      break;
    }
    case NodeRole::balancer: {
      switch (op) {
        case LbNodeOp::added:
          sim.set_balancer_tag(id);
          sim.set_balancer_up(true, now);
          break;
        case LbNodeOp::removed:
        case LbNodeOp::crashed: sim.set_balancer_up(false, now); break;
        case LbNodeOp::restarted: sim.set_balancer_up(true, now); break;
        case LbNodeOp::paused: sim.set_balancer_paused(true, now, &sink); break;
        case LbNodeOp::resumed: sim.set_balancer_paused(false, now, &sink); break;
      }
      break;
    }
    default: break;
  }
}

bool World::lb_client_op(NodeId id, const std::string& op, std::int64_t arg, std::string& error) {
  const Node& node = nodes_[id];
  if (!lb_) return error = "no load-balancing simulation", false;
  if (node.role == NodeRole::lb_server) {
    const std::uint32_t s = lb_->find_server_tag(id);
    if (op == "slow" || op == "recover") {
      if (!lb_->set_server_slow(s, op == "slow", now_us_)) return error = node.name + " is down", false;
      return true;
    }
    if (op == "speed") {
      if (arg < 1 || arg > 100'000) return error = "speed is per mille of normal, in [1, 100000]", false;
      if (!lb_->set_server_speed(s, static_cast<std::uint32_t>(arg), now_us_)) return error = node.name + " cannot change speed", false;
      return true;
    }
    return error = "lb servers take \"slow\", \"recover\" and \"speed\" (arg: per mille), not \"" + op + "\"", false;
  }
  return error = node.name + " takes no client ops: crash, pause or restart it, or set lb.rate_per_s", false;
}

bool World::lb_set_param(const std::string& name, std::int64_t value, std::string& error) {
  balance::LbConfig& b = config_.balancing;
  const auto u32 = static_cast<std::uint32_t>(value);
  balance::LbBalancerConfig balancer = b.balancer;
  balance::LbHealthConfig health = b.health;
  balance::LbServiceTime service = b.workload.service;
  std::uint32_t zipf = b.workload.zipf_milli;
  enum { none, set_balancer, set_health, set_shape } apply = none;
  if (name == "lb.algo") balancer.algo = static_cast<balance::LbAlgo>(value), apply = set_balancer;
  else if (name == "lb.choices") balancer.choices = u32, apply = set_balancer;
  else if (name == "lb.points_per_node") balancer.points_per_node = u32, apply = set_balancer;
  else if (name == "lb.epsilon_permille") balancer.epsilon_permille = u32, apply = set_balancer;
  else if (name == "lb.table_size") {
    if (!balance::is_prime(u32)) return error = "lb.table_size must be a prime (Maglev), got " + std::to_string(value), false;
    balancer.table_size = u32, apply = set_balancer;
  } else if (name == "lb.health_checks") health.enabled = value != 0, apply = set_health;
  else if (name == "lb.health_interval_us") health.interval_us = value, apply = set_health;
  else if (name == "lb.health_failures") health.failures = u32, apply = set_health;
  else if (name == "lb.service_mean_us") {
    switch (service.kind) {
      case balance::LbServiceKind::long_tail:
        service.min_us = value;
        service.max_us = std::max(service.max_us, value);
        break;
      case balance::LbServiceKind::uniform: {
        const SimTimeUs width = service.max_us - service.min_us;
        service.min_us = std::max<SimTimeUs>(value - width / 2, 0);
        service.max_us = service.min_us + width;
        break;
      }
      case balance::LbServiceKind::constant:
      case balance::LbServiceKind::exponential: service.mean_us = value; break;
    }
    apply = set_shape;
  } else if (name == "lb.zipf_milli") zipf = u32, apply = set_shape;
  else if (name == "lb.rate_per_s") {
    b.workload.rate_milli = static_cast<std::uint64_t>(value) * 1000;
    if (lb_) lb_->set_rate(b.workload.rate_milli, now_us_);
    return true;
  } else if (name == "lb.slow_permille") {
    b.slow_speed_permille = u32;
    if (lb_) lb_->set_slow_speed(u32);
    return true;
  } else {
    return error = "unknown parameter \"" + name + "\"", false;
  }
  switch (apply) {
    case set_balancer:
      b.balancer = balancer;
      if (lb_) lb_->set_balancer(balancer, now_us_);
      break;
    case set_health:
      b.health = health;
      if (lb_) lb_->set_health(health, now_us_);
      break;
    case set_shape:
      b.workload.service = service;
      b.workload.zipf_milli = zipf;
      if (lb_) lb_->set_workload_shape(service, zipf, now_us_);
      break;
    case none: break;
  }
  return true;
}

}  // namespace dsplay
