// What every lock client has in common, whatever the lock: the critical-section program
// (think -> acquire -> work for `hold` -> write to the storage node -> release) and the one way
// each client reports "I am in my critical section" to the mutual-exclusion checker and the UI.
// A protocol (token, ticket, queue, Redis, Redlock) derives from LockClientBase<Itself> and only
// says how to acquire and how to release; the base runs the rest.
#pragma once
#include <cstdint>
#include <string>

#include "core/locks/locks_config.hpp"
#include "core/process.hpp"

namespace dsplay {

// A lock client's own view of its critical section, the same for every lock.
struct CriticalSection {
  bool inside = false;       // believes it holds the lock (working or writing)
  std::uint64_t entry = 0;   // critical sections entered so far, this one included (kept across crashes)
  std::uint64_t token = 0;   // fencing token / epoch / ticket / sequence number of this hold (0: none)
  SimTimeUs lease_until_mono_us = kSimTimeMaxUs;  // on the client's monotonic clock; max: no lease
  bool operator==(const CriticalSection&) const = default;
};

enum class LockPhase : std::uint8_t { idle, acquiring, holding, writing, releasing };
const char* lock_phase_name(LockPhase phase);

// The timing the critical-section program follows.
struct CsProgram {
  SimTimeUs hold_us = 0;
  SimTimeUs think_us = 0;
  SimTimeUs retry_us = 0;
  bool auto_acquire = true;  // think -> acquire by itself
  bool auto_release = true;  // once holding: work for hold_us, write, release by itself
  bool write = true;         // write to the storage node (when there is one) before releasing
};

// Shared part of the lock clients (CRTP). Derived provides:
//   CsProgram program() const;
//   void begin_acquire(ProcessContext&);   // phase is `acquiring` when called
//   void release_lock(ProcessContext&);    // phase is `idle`; may set `releasing` and call released() later
// and calls entered() when it got the lock.
template <class Derived>
class LockClientBase {
 public:
  // Timer kinds of the shared program; protocols use kinds below 100.
  enum BaseTimer : std::uint32_t { kThink = 101, kWork = 102, kWriteRetry = 103, kLease = 104 };

  CriticalSection critical_section() const {
    const bool inside = phase_ == LockPhase::holding || phase_ == LockPhase::writing;
    return {inside, entries_, inside ? token_ : 0, inside ? lease_until_mono_us_ : kSimTimeMaxUs};
  }
  LockPhase phase() const { return phase_; }
  std::uint64_t entries() const { return entries_; }
  std::uint64_t token() const { return token_; }
  SimTimeUs lease_until_mono_us() const { return lease_until_mono_us_; }
  std::uint64_t writes_accepted() const { return writes_accepted_; }
  std::uint64_t writes_rejected() const { return writes_rejected_; }
  std::uint64_t leases_lost() const { return leases_lost_; }
  NodeActivity activity() const {
    switch (phase_) {
      case LockPhase::idle: return NodeActivity::idle;
      case LockPhase::acquiring:
      case LockPhase::releasing: return NodeActivity::waiting;
      case LockPhase::holding:
      case LockPhase::writing: return NodeActivity::active;
    }
    return NodeActivity::idle;
  }
  bool operator==(const LockClientBase&) const = default;

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }
  const Derived& self() const { return static_cast<const Derived&>(*this); }

  void program_start(ProcessContext& ctx) { think(ctx); }

  void program_crash() {  // volatile state is gone; entries_ and the counters stay (the checker's ids)
    phase_ = LockPhase::idle;
    token_ = 0;
    lease_until_mono_us_ = kSimTimeMaxUs;
    think_timer_ = work_timer_ = write_timer_ = lease_timer_ = 0;
  }

  // True when the timer belonged to the shared program.
  bool program_timer(ProcessContext& ctx, std::uint32_t kind) {
    switch (kind) {
      case kThink:
        think_timer_ = 0;
        if (phase_ == LockPhase::idle) start_acquire(ctx);
        return true;
      case kWork:
        work_timer_ = 0;
        if (phase_ == LockPhase::holding) write_or_release(ctx);
        return true;
      case kWriteRetry:
        write_timer_ = 0;
        if (phase_ == LockPhase::writing) send_write(ctx);
        return true;
      case kLease:
        lease_timer_ = 0;
        if (phase_ == LockPhase::holding || phase_ == LockPhase::writing) {
          // The lease ran out on our own clock before we were done: stop and let go.
          ++leases_lost_;
          ctx.note("lease expired", kNoNode, static_cast<std::int64_t>(token_));
          finish(ctx);
        }
        return true;
      default: return false;
    }
  }

  // True when the message was a storage acknowledgement (handled here).
  bool program_message(ProcessContext& ctx, const Message& message) {
    const auto* ack = std::get_if<StorageAck>(&message.payload);
    if (ack == nullptr) return false;
    if (ack->entry != entries_) return true;  // from an older critical section
    const bool waiting = phase_ == LockPhase::writing;
    if (!waiting && (ack->accepted ? acked_accepted_ : acked_rejected_) == entries_) return true;  // duplicate
    (ack->accepted ? acked_accepted_ : acked_rejected_) = entries_;
    if (ack->accepted) {
      ++writes_accepted_;  // (the storage node's own note says it; a rejection is worth a second one)
    } else {
      ++writes_rejected_;
      ctx.note("write rejected", message.from, static_cast<std::int64_t>(ack->token), static_cast<std::int64_t>(ack->highest));
    }
    if (waiting) finish(ctx);  // (an answer after we gave up on it is only counted)
    return true;
  }

  bool program_op(ProcessContext& ctx, const std::string& op, std::string& error) {
    if (op == "acquire") {
      if (phase_ != LockPhase::idle) return error = std::string("already ") + lock_phase_name(phase_), false;
      cancel(ctx, think_timer_);
      start_acquire(ctx);
      return true;
    }
    if (op == "release") {
      if (phase_ != LockPhase::holding && phase_ != LockPhase::writing) return error = "does not hold the lock", false;
      finish(ctx);
      return true;
    }
    if (op == "write") {
      if (phase_ != LockPhase::holding) return error = "is not in its critical section (or already writing)", false;
      cancel(ctx, work_timer_);
      if (!begin_write(ctx)) return error = "there is no storage node to write to", false;
      return true;
    }
    error = "lock clients take \"acquire\", \"write\" or \"release\", not \"" + op + "\"";
    return false;
  }

  // The protocol got the lock: the critical section starts now.
  void entered(ProcessContext& ctx, std::uint64_t token, SimTimeUs lease_until_mono_us, bool enforce_lease) {
    phase_ = LockPhase::holding;
    ++entries_;
    token_ = token;
    lease_until_mono_us_ = lease_until_mono_us;
    ctx.note("acquired", kNoNode, static_cast<std::int64_t>(token), static_cast<std::int64_t>(entries_));
    const CsProgram p = self().program();
    if (p.auto_release) work_timer_ = ctx.set_timer(p.hold_us, kWork);
    if (enforce_lease && lease_until_mono_us != kSimTimeMaxUs) {
      const SimTimeUs left_us = lease_until_mono_us - ctx.monotonic_now_us();
      lease_timer_ = ctx.set_timer(left_us > 0 ? left_us : 0, kLease);
    }
  }

  // A lease renewed while holding (queue-lock session pings).
  void extend_lease(ProcessContext& ctx, SimTimeUs lease_until_mono_us) {
    if (phase_ != LockPhase::holding && phase_ != LockPhase::writing) return;
    if (lease_until_mono_us <= lease_until_mono_us_) return;
    lease_until_mono_us_ = lease_until_mono_us;
    if (lease_timer_ != 0) {
      cancel(ctx, lease_timer_);
      lease_timer_ = ctx.set_timer(lease_until_mono_us - ctx.monotonic_now_us(), kLease);
    }
  }

  // The protocol learned it lost the lock (session expired): stop without releasing.
  void lost(ProcessContext& ctx) {
    if (phase_ != LockPhase::holding && phase_ != LockPhase::writing) return;
    ++leases_lost_;
    ctx.note("lock lost", kNoNode, static_cast<std::int64_t>(token_));
    stop_timers(ctx);
    phase_ = LockPhase::idle;
    token_ = 0;
    lease_until_mono_us_ = kSimTimeMaxUs;
    think(ctx);
  }

  // An acquire attempt failed for good (not merely "busy, retrying"): back to idle.
  void acquire_failed(ProcessContext& ctx) {
    if (phase_ != LockPhase::acquiring) return;
    phase_ = LockPhase::idle;
    think(ctx);
  }

  // A release that waited for an answer (phase releasing) is done.
  void released(ProcessContext& ctx) {
    if (phase_ != LockPhase::releasing) return;
    phase_ = LockPhase::idle;
    think(ctx);
  }

  void set_phase(LockPhase phase) { phase_ = phase; }

  Inspection program_inspection() const {
    Inspection out = {{"phase", lock_phase_name(phase_)},
                      {"critical sections", std::to_string(entries_)},
                      {"writes accepted / rejected", std::to_string(writes_accepted_) + " / " + std::to_string(writes_rejected_)}};
    if (phase_ == LockPhase::holding || phase_ == LockPhase::writing) out.push_back({"token", std::to_string(token_)});
    if (leases_lost_ != 0) out.push_back({"leases lost", std::to_string(leases_lost_)});
    return out;
  }

  void hash_program(Hasher& h) const {
    h.u64(static_cast<std::uint64_t>(phase_)).u64(entries_).u64(token_).i64(lease_until_mono_us_);
    h.u64(think_timer_).u64(work_timer_).u64(write_timer_).u64(lease_timer_);
    h.u64(writes_accepted_).u64(writes_rejected_).u64(leases_lost_).u64(acked_accepted_).u64(acked_rejected_);
  }

  void think(ProcessContext& ctx) {
    const CsProgram p = self().program();
    if (!p.auto_acquire || phase_ != LockPhase::idle) return;
    cancel(ctx, think_timer_);
    think_timer_ = ctx.set_timer(ctx.random_between(p.think_us / 2, p.think_us * 3 / 2), kThink);
  }

  static void cancel(ProcessContext& ctx, std::uint64_t& timer) {
    if (timer != 0) ctx.cancel_timer(timer);
    timer = 0;
  }

 private:
  void start_acquire(ProcessContext& ctx) {
    phase_ = LockPhase::acquiring;
    self().begin_acquire(ctx);
  }

  void write_or_release(ProcessContext& ctx) {
    if (!begin_write(ctx)) finish(ctx);
  }

  bool begin_write(ProcessContext& ctx) {
    const CsProgram p = self().program();
    if (!p.write || ctx.find_role(NodeRole::storage) == kNoNode) return false;
    phase_ = LockPhase::writing;
    send_write(ctx);
    return true;
  }

  void send_write(ProcessContext& ctx) {
    const NodeId storage = ctx.find_role(NodeRole::storage);
    if (storage != kNoNode) ctx.send(storage, StorageWrite{entries_, token_});
    write_timer_ = ctx.set_timer(self().program().retry_us, kWriteRetry);
  }

  void stop_timers(ProcessContext& ctx) {
    cancel(ctx, work_timer_);
    cancel(ctx, write_timer_);
    cancel(ctx, lease_timer_);
  }

  // The critical section is over (done, given up, or released by hand): let go of the lock.
  void finish(ProcessContext& ctx) {
    stop_timers(ctx);
    phase_ = LockPhase::idle;
    ctx.note("released", kNoNode, static_cast<std::int64_t>(token_));
    self().release_lock(ctx);
    token_ = 0;
    lease_until_mono_us_ = kSimTimeMaxUs;
    if (phase_ == LockPhase::idle) think(ctx);
  }

  LockPhase phase_ = LockPhase::idle;
  std::uint64_t entries_ = 0;
  std::uint64_t token_ = 0;
  SimTimeUs lease_until_mono_us_ = kSimTimeMaxUs;
  std::uint64_t think_timer_ = 0;
  std::uint64_t work_timer_ = 0;
  std::uint64_t write_timer_ = 0;
  std::uint64_t lease_timer_ = 0;
  std::uint64_t writes_accepted_ = 0;
  std::uint64_t writes_rejected_ = 0;
  std::uint64_t leases_lost_ = 0;
  std::uint64_t acked_accepted_ = 0;  // the critical section whose write answer was counted last
  std::uint64_t acked_rejected_ = 0;
};

// The clients of core/locks/ that run on LocksConfig (ticket, queue, Redis, Redlock): they keep
// the config, start the shared program on start-up, take the learner's acquire / write / release
// through it, and describe their program from the config.
template <class Derived>
class LocksFamilyClient : public LockClientBase<Derived> {
 public:
  explicit LocksFamilyClient(const LocksConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx) { this->program_start(ctx); }
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t, std::string& error) {
    return this->program_op(ctx, op, error);
  }
  void set_config(const LocksConfig& config) { config_ = config; }
  CsProgram program() const {
    return {config_.hold_us, config_.think_us, config_.retry_us, config_.auto_acquire, true, config_.write};
  }
  bool operator==(const LocksFamilyClient&) const = default;

 protected:
  LocksConfig config_;
};

}  // namespace dsplay
