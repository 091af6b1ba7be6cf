// The "monitoring" part of `dsplay run`'s JSON summary (defined in exp_monitor.cpp): the latency
// quantiles as Prometheus estimates them next to the truth, and per anomaly detector its first
// flag, its first flag on a degraded server, true flags and false alarms (core/monitor/server_watch.hpp).
#pragma once
#include <nlohmann/json.hpp>

#include "core/balance/lb_sim.hpp"

namespace dsplay::cli {

nlohmann::ordered_json monitoring_summary(const balance::LoadBalancerSim& sim);

}  // namespace dsplay::cli
