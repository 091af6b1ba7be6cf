// Timeline over a world: snapshots every K events, rewind by restore + replay, fork on acting in
// the past (see session.hpp).
#include "core/session.hpp"

#include <algorithm>

namespace dsplay {

Session::Session(Scenario scenario, std::uint64_t snapshot_every_events)
    : scenario_(std::move(scenario)),
      snapshot_every_events_(std::max<std::uint64_t>(snapshot_every_events, 1)),
      world_(make_world(scenario_)) {
  snapshots_.push_back({world_, 0});
}

void Session::reseed(std::uint64_t seed) {
  const std::vector<LoggedCommand> old_log = std::move(log_);
  scenario_.config.seed = seed;
  world_ = make_world(scenario_);
  trace_.clear();
  snapshots_.clear();
  snapshots_.push_back({world_, 0});
  log_.clear();
  known_events_ = 0;
  known_time_us_ = 0;
  for (const LoggedCommand& logged : old_log) {
    run_until(logged.at_us);
    apply(logged.command);
  }
}

bool Session::replay(const LoggedCommand& command) {
  if (command.event == 0 || world_.event_count() >= command.event) return false;
  while (world_.event_count() + 1 < command.event) {
    if (!step_event()) return false;
  }
  // The command was applied with the clock at at_us, and the clock never passes a pending event.
  if (world_.now_us() > command.at_us || world_.next_event_time_us() < command.at_us) return false;
  if (in_past()) forget_future();
  world_.advance_time_to(command.at_us);
  apply(command.command);
  return true;
}

bool Session::advance_to(std::uint64_t event, SimTimeUs t_us) {
  while (world_.event_count() < event) {
    if (!step_event()) return false;
  }
  if (world_.event_count() != event) return false;
  world_.advance_time_to(t_us);
  if (!in_past()) known_time_us_ = std::max(known_time_us_, world_.now_us());
  return true;
}

void Session::discard_future() {
  if (in_past()) forget_future();
}

std::size_t Session::trace_end() const {
  const std::uint64_t current = world_.event_count();
  auto it = std::upper_bound(trace_.begin(), trace_.end(), current,
                             [](std::uint64_t e, const TraceRecord& r) { return e < r.event; });
  return static_cast<std::size_t>(it - trace_.begin());
}

SimTimeUs Session::next_known_event_time_us() const {
  const std::size_t end = trace_end();
  return end < trace_.size() ? trace_[end].time_us : kSimTimeMaxUs;
}

bool Session::current_event_has(TraceKind kind) const {
  const std::uint64_t current = world_.event_count();
  for (std::size_t i = trace_end(); i > 0 && trace_[i - 1].event == current; --i)
    if (trace_[i - 1].kind == kind) return true;
  return false;
}

void Session::maybe_snapshot() {
  if (world_.event_count() >= snapshots_.back().world.event_count() + snapshot_every_events_)
    snapshots_.push_back({world_, trace_.size()});
}

void Session::step_once(SimTimeUs limit_us) {
  const std::uint64_t next = world_.event_count() + 1;
  auto logged = std::lower_bound(log_.begin(), log_.end(), next,
                                 [](const LoggedCommand& c, std::uint64_t e) { return c.event < e; });
  const bool replaying = in_past();
  TraceLog* sink = replaying ? nullptr : &trace_;
  if (logged != log_.end() && logged->event == next) {
    if (logged->at_us > limit_us) return;
    world_.advance_time_to(logged->at_us);
    world_.apply(logged->command, sink);
  } else if (!world_.step_until(limit_us, sink)) {
    return;
  }
  if (!replaying) {
    known_events_ = world_.event_count();
    known_time_us_ = std::max(known_time_us_, world_.now_us());
    maybe_snapshot();
  }
}

bool Session::step_event(SimTimeUs limit_us) {
  const std::uint64_t before = world_.event_count();
  step_once(limit_us);
  return world_.event_count() != before;
}

bool Session::step_to_next_delivery() {
  while (step_event())
    if (current_event_has(TraceKind::deliver)) return true;
  return false;
}

void Session::run_until(SimTimeUs t_us) {
  while (in_past()) {
    if (next_known_event_time_us() > t_us) {
      world_.advance_time_to(t_us);
      return;
    }
    step_once();
  }
  while (world_.step_until(t_us, &trace_)) {
    known_events_ = world_.event_count();
    maybe_snapshot();
  }
  world_.advance_time_to(t_us);
  known_time_us_ = std::max(known_time_us_, world_.now_us());
}

void Session::restore(std::uint64_t event) {
  auto it = std::upper_bound(snapshots_.begin(), snapshots_.end(), event,
                             [](std::uint64_t e, const Snapshot& s) { return e < s.world.event_count(); });
  world_ = std::prev(it)->world;  // snapshots_[0] is the start, so prev is always valid
}

void Session::seek_event(std::uint64_t event) {
  event = std::min(event, known_events_);
  const std::uint64_t current = world_.event_count();
  if (event == current) return;
  // Going back always restores; going forward restores only if a snapshot lies closer than now.
  auto nearest = std::upper_bound(snapshots_.begin(), snapshots_.end(), event,
                                  [](std::uint64_t e, const Snapshot& s) { return e < s.world.event_count(); });
  if (event < current || std::prev(nearest)->world.event_count() > current) restore(event);
  while (world_.event_count() < event) step_once();
}

void Session::seek_time(SimTimeUs t_us) {
  // The last event at or before t, from the known trace.
  auto it = std::upper_bound(trace_.begin(), trace_.end(), t_us,
                             [](SimTimeUs t, const TraceRecord& r) { return t < r.time_us; });
  seek_event(it == trace_.begin() ? 0 : std::prev(it)->event);
}

void Session::forget_future() {
  const std::uint64_t current = world_.event_count();
  trace_.resize(trace_end());
  while (snapshots_.size() > 1 && snapshots_.back().world.event_count() > current) snapshots_.pop_back();
  while (!log_.empty() && log_.back().event > current) log_.pop_back();
  known_events_ = current;
  known_time_us_ = world_.now_us();
}

ApplyResult Session::apply(const Command& command) {
  if (in_past()) forget_future();
  ApplyResult result = world_.apply(command, &trace_);
  log_.push_back({world_.event_count(), world_.now_us(), command});
  known_events_ = world_.event_count();
  known_time_us_ = std::max(known_time_us_, world_.now_us());
  maybe_snapshot();
  return result;
}

}  // namespace dsplay
