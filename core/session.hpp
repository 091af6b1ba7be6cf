// A session is a scenario being explored on a timeline: the live world, its trace, the user's
// command log and periodic snapshots. Rewind = restore the nearest snapshot and replay forward;
// acting in the past forks (the future is discarded). This is what the UI's timeline drives.
#pragma once
#include <cstdint>
#include <vector>

#include "core/scenario.hpp"

namespace dsplay {

struct LoggedCommand {
  std::uint64_t event = 0;  // the event number the command became
  SimTimeUs at_us = 0;
  Command command;
  bool operator==(const LoggedCommand&) const = default;
};

class Session {
 public:
  explicit Session(Scenario scenario, std::uint64_t snapshot_every_events = 1000);

  // --- live ---
  // Advances to t (events at or before t), replaying the known future if we are in the past.
  void run_until(SimTimeUs t_us);
  // One event, if one happens at or before limit_us; false if none does.
  bool step_event(SimTimeUs limit_us = kSimTimeMaxUs);
  bool step_to_next_delivery();  // runs until a message delivery has been processed
  // Applies a user command at the current point. If the current point is in the past, the
  // future beyond it is discarded first (fork).
  ApplyResult apply(const Command& command);
  // Restarts the scenario with another seed and replays the user's commands at the same
  // simulated times; the session ends at the last of them (or at the start).
  void reseed(std::uint64_t seed);
  // Replays one logged command exactly where it happened in the run that logged it: steps to event
  // `command.event - 1`, moves the clock to `command.at_us` without processing anything, and
  // applies it, so the trace (and its hash) is the original's. Share links and saved lesson
  // progress rebuild runs with it. False (nothing applied) when the command cannot be at that
  // point of this run, e.g. a log from another scenario or seed.
  bool replay(const LoggedCommand& command);
  // Steps forward to exactly event `event`, then moves the clock to t_us without processing the
  // events due at t_us. The end point of a replayed run. False if the run ends before `event`.
  bool advance_to(std::uint64_t event, SimTimeUs t_us);
  // Drops the known future beyond the current point, as acting in the past does (the lesson
  // player's "reset this step": seek to the step's start, then forget what the learner did).
  void discard_future();

  // --- timeline ---
  // Moves to the state right after event `event` (0 = the start), forward or back.
  void seek_event(std::uint64_t event);
  // Moves to the last event at or before t.
  void seek_time(SimTimeUs t_us);
  std::uint64_t current_event() const { return world_.event_count(); }
  // The furthest event computed so far (scrubbing forward to it replays deterministically).
  std::uint64_t known_events() const { return known_events_; }
  SimTimeUs known_time_us() const { return known_time_us_; }
  bool in_past() const { return world_.event_count() < known_events_; }

  const World& world() const { return world_; }
  const Scenario& scenario() const { return scenario_; }
  // Records up to the furthest known event; records with .event <= current_event() are "now or past".
  const TraceLog& trace() const { return trace_; }
  // Index one past the last trace record that belongs to the current point.
  std::size_t trace_end() const;
  const std::vector<LoggedCommand>& command_log() const { return log_; }

 private:
  struct Snapshot {
    World world;
    std::size_t trace_size;
  };
  void restore(std::uint64_t event);
  void step_once(SimTimeUs limit_us = kSimTimeMaxUs);  // one event or logged command, keeps the trace and snapshots up to date
  SimTimeUs next_known_event_time_us() const;  // in the past: when the next known event happens
  bool current_event_has(TraceKind kind) const;
  void maybe_snapshot();
  void forget_future();

  Scenario scenario_;
  std::uint64_t snapshot_every_events_;
  World world_;
  TraceLog trace_;
  std::vector<Snapshot> snapshots_;  // ascending by event; snapshots_[0] is the start
  std::vector<LoggedCommand> log_;
  std::uint64_t known_events_ = 0;
  SimTimeUs known_time_us_ = 0;
};

}  // namespace dsplay
