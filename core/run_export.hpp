// Exports of one simulated run for outside tools (pure: builds text, the CLI writes the files):
// Prometheus text exposition of the run's counters and the balancer's latency histogram, Chrome
// Trace Event JSON (one process per node: messages in flight as complete events on the receiver,
// balancer requests as complete events on the server), and a CSV time series sampled at a fixed
// simulated-time interval. A RunRecorder watches the run through its trace records.
#pragma once
#include <cstdint>
#include <string>
#include <map>
#include <vector>

#include "core/monitor/prom_histogram.hpp"
#include "core/monitor/span.hpp"
#include "core/sim_time.hpp"
#include "core/trace.hpp"

namespace dsplay {

class World;

class RunRecorder {
 public:
  // sample_every_us: CSV row interval (> 0). max_spans bounds the memory of the Chrome trace;
  // 0 keeps no spans and no per-message state (metrics and CSV only: what the CLI and the apps use).
  explicit RunRecorder(SimTimeUs sample_every_us = 100'000, std::size_t max_spans = 200'000);

  // Feed the records produced since the last call (the caller clears the log afterwards).
  void observe(const World& world, const TraceLog& records);
  // Adds CSV rows for every sample time <= up_to_us not yet sampled, from the world's current
  // state (call before stepping past up_to_us: the state is constant between events).
  void sample_until(const World& world, SimTimeUs up_to_us);

  std::string prometheus_text(const World& world) const;  // counters and histograms at the end
  std::string chrome_trace(const World& world) const;
  std::string csv() const;
  std::size_t spans_dropped() const { return spans_dropped_; }

 private:
  struct Sent {
    SimTimeUs time_us = 0;
    NodeId from = kNoNode;
  };
  void add_span(monitor::Span span);

  SimTimeUs sample_every_us_;
  std::size_t max_spans_;
  SimTimeUs next_sample_us_ = 0;
  std::map<std::uint64_t, Sent> in_flight_;
  std::vector<std::uint64_t> node_sent_;       // by NodeId
  std::vector<std::uint64_t> node_received_;
  monitor::PromHistogram latency_all_s_;  // msg id -> send
  std::vector<monitor::Span> spans_;
  std::size_t spans_dropped_ = 0;
  std::map<NodeId, monitor::PromHistogram> server_latency_s_;  // by LB server node
  std::vector<SimTimeUs> sample_time_us_;
  std::vector<std::string> column_names_;
  std::vector<std::vector<double>> columns_;
};

}  // namespace dsplay
