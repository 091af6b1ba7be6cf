// Compare mode for load balancing: a second Session built from the same scenario (same seed, same
// workload, same script) that differs only in the balancer. It follows the main session's clock
// (forward, and back when the main session is rewound), and every command the user applies to the
// main session is applied to it at the same simulated time, except switching the algorithm. The
// simulation draws the workload from its own random stream, so both sessions serve exactly the
// same requests (tests/test_lb_world.cpp checks it): the difference on screen is the algorithm.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>

#include "core/balance/lb_sim.hpp"
#include "core/session.hpp"

namespace dsplay::ui {

class LbCompare {
 public:
  // What the user asked for (the toolbar's "Compare with" choice); applied by sync().
  void request(std::optional<balance::LbAlgo> algo) { want_ = algo; }
  const std::optional<balance::LbAlgo>& requested() const { return want_; }
  bool active() const { return b_ != nullptr; }
  const Session* b() const { return b_.get(); }

  // Builds / rebuilds / drops the second session as requested and moves it to a's time. Called
  // once a frame after the main session advanced. A main session without a balancing simulation
  // turns compare mode off.
  void sync(const Session& a);
  // The main session just applied `command` at its current time: do the same in the second one.
  void mirror(const Command& command, const Session& a);

 private:
  void build(const Session& a);

  std::optional<balance::LbAlgo> want_;
  std::unique_ptr<Session> b_;
  balance::LbAlgo built_algo_ = balance::LbAlgo::round_robin;
  const Session* built_for_ = nullptr;
  Scenario built_scenario_;
  std::uint64_t built_seed_ = 0;
};

}  // namespace dsplay::ui
