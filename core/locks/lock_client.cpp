// Names of the lock family's enums (see locks_config.hpp and lock_client.hpp).
#include "core/locks/lock_client.hpp"
#include "core/locks/token_lock.hpp"  // TokenReelection

#include <cstddef>
#include <cstring>

namespace dsplay {

const char* lock_phase_name(LockPhase phase) {
  switch (phase) {
    case LockPhase::idle: return "idle";
    case LockPhase::acquiring: return "acquiring";
    case LockPhase::holding: return "holding";
    case LockPhase::writing: return "writing";
    case LockPhase::releasing: return "releasing";
  }
  return "?";
}

namespace {
constexpr const char* kRedisVariants[] = {"naive", "atomic", "fenced"};
constexpr const char* kQueueWatches[] = {"predecessor", "herd"};
constexpr const char* kTokenReelections[] = {"off", "naive", "fenced"};

// The enum value whose name is `text` (names in enum order).
template <class Enum, std::size_t N>
bool parse_name(const char* text, const char* const (&names)[N], Enum& out) {
  for (std::size_t i = 0; i < N; ++i) {
    if (std::strcmp(text, names[i]) == 0) {
      out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}
}  // namespace

const char* redis_variant_name(RedisVariant variant) { return kRedisVariants[static_cast<int>(variant)]; }
bool parse_redis_variant(const char* text, RedisVariant& out) { return parse_name(text, kRedisVariants, out); }

const char* queue_watch_name(QueueWatch watch) { return kQueueWatches[static_cast<int>(watch)]; }
bool parse_queue_watch(const char* text, QueueWatch& out) { return parse_name(text, kQueueWatches, out); }

const char* token_reelection_name(TokenReelection mode) { return kTokenReelections[static_cast<int>(mode)]; }
bool parse_token_reelection(const char* text, TokenReelection& out) { return parse_name(text, kTokenReelections, out); }

}  // namespace dsplay
