// Compare mode's second session (see lb_compare.hpp).
#include "ui/lb_compare.hpp"

#include <variant>

namespace dsplay::ui {

namespace {
bool is_algo_switch(const Command& command) {
  const auto* set = std::get_if<SetParam>(&command);
  return set != nullptr && set->name == "lb.algo";
}
}  // namespace

void LbCompare::build(const Session& a) {
  Scenario scenario = a.scenario();
  scenario.config.seed = a.world().seed();
  scenario.config.balancing.balancer.algo = *want_;
  b_ = std::make_unique<Session>(scenario);
  // The user's commands so far, at the same simulated times (not their algorithm switches).
  for (const LoggedCommand& logged : a.command_log()) {
    if (logged.event > a.current_event()) break;
    if (is_algo_switch(logged.command)) continue;
    b_->run_until(logged.at_us);
    b_->apply(logged.command);
  }
  built_algo_ = *want_;
  built_for_ = &a;
  built_scenario_ = a.scenario();
  built_seed_ = a.world().seed();
}

void LbCompare::sync(const Session& a) {
  if (!want_ || a.world().lb() == nullptr) {
    b_.reset();
    if (a.world().lb() == nullptr) want_.reset();
    return;
  }
  if (!b_ || built_algo_ != *want_ || built_for_ != &a || built_seed_ != a.world().seed() || !(built_scenario_ == a.scenario()))
    build(a);
  const SimTimeUs t = a.world().now_us();
  if (b_->world().now_us() > t) {
    b_->seek_time(t);  // the main session was rewound: follow it (the known future is kept)
  }
  b_->run_until(t);
}

void LbCompare::mirror(const Command& command, const Session& a) {
  if (!b_ || is_algo_switch(command)) return;
  b_->run_until(a.world().now_us());
  b_->apply(command);
}

}  // namespace dsplay::ui
