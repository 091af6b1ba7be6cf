// What every server of the lock family has in common (the Redis server, the storage node, the
// ticket and token coordinators, the coordination service): it shows as serving, and it refuses a
// learner's client operations, naming itself. A server derives from LockServerBase<Itself> and
// says `static constexpr const char* kServerName = "the ... server";`.
#pragma once
#include <cstdint>
#include <string>

#include "core/process.hpp"

namespace dsplay {

template <class Derived>
class LockServerBase {
 public:
  NodeActivity activity() const { return NodeActivity::serving; }
  bool on_client_op(ProcessContext&, const std::string& op, std::int64_t, std::string& error) {
    error = std::string(Derived::kServerName) + " takes no client operations (got \"" + op + "\")";
    return false;
  }
  bool operator==(const LockServerBase&) const = default;
};

}  // namespace dsplay
