// Share links and share files (see share.hpp).
#include "core/share.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/scenario.hpp"
#include "core/stable_hash.hpp"

namespace dsplay {

namespace {
using nlohmann::json;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string hex(std::uint64_t v, int digits) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buffer;
}

std::optional<std::uint64_t> parse_hex(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::string checksum(std::string_view payload) { return hex(stable_hash64(payload, 0x5348415245ull) & 0xFFFFFFFFull, 8); }

json payload(const ShareState& s) {
  json j;
  j["v"] = kShareVersion;
  if (!s.lesson.empty()) j["lesson"] = s.lesson;
  if (!s.scenario.empty()) j["scenario"] = s.scenario;
  if (!s.scenario_json.empty()) {
    json sj = json::parse(s.scenario_json, nullptr, false);
    if (!sj.is_discarded()) j["scenario_json"] = sj;
  }
  if (!s.lesson_json.empty()) {
    json lj = json::parse(s.lesson_json, nullptr, false);
    if (!lj.is_discarded()) j["lesson_json"] = lj;
  }
  if (!s.title.empty()) j["title"] = s.title;
  j["seed"] = s.seed;
  json log = json::array();
  for (const LoggedCommand& c : s.log) log.push_back(json::array({c.event, c.at_us, json::parse(command_to_json(c.command), nullptr, false)}));
  j["log"] = log;
  j["event"] = s.event;
  j["time_us"] = s.time_us;
  if (s.step >= 0) {
    j["step"] = s.step;
    j["step_event"] = s.step_event;
  }
  j["trace_hash"] = hex(s.trace_hash, 16);
  return j;
}

bool read_u64(const json& j, const char* key, std::uint64_t& out, std::string& error, bool required = true) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) error = std::string("\"") + key + "\" is missing";
    return !required;
  }
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
    error = std::string("\"") + key + "\" is not a whole number";
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

std::optional<ShareState> from_json(const json& j, std::string& error) {
  if (!j.is_object()) {
    error = "not a share (expected a JSON object)";
    return std::nullopt;
  }
  std::uint64_t version = 0;
  if (!read_u64(j, "v", version, error)) return std::nullopt;
  if (version != static_cast<std::uint64_t>(kShareVersion)) {
    error = "made by another version of dsplay (share format " + std::to_string(version) + ", this one reads " + std::to_string(kShareVersion) + ")";
    return std::nullopt;
  }
  ShareState s;
  auto text = [&](const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_string()) {
      error = std::string("\"") + key + "\" is not a string";
      return false;
    }
    out = it->get<std::string>();
    return true;
  };
  if (!text("lesson", s.lesson) || !text("scenario", s.scenario) || !text("title", s.title)) return std::nullopt;
  if (auto it = j.find("scenario_json"); it != j.end()) {
    if (!it->is_object()) return error = "\"scenario_json\" is not an object", std::nullopt;
    s.scenario_json = it->dump();
  }
  if (auto it = j.find("lesson_json"); it != j.end()) {
    if (!it->is_object()) return error = "\"lesson_json\" is not an object", std::nullopt;
    s.lesson_json = it->dump();
  }
  const int sources = !s.lesson.empty() + !s.scenario.empty() + !s.scenario_json.empty() + !s.lesson_json.empty();
  if (sources != 1) {
    error = sources == 0 ? "it names no lesson or scenario" : "it names more than one lesson or scenario";
    return std::nullopt;
  }
  std::uint64_t time_us = 0, step = 0;
  if (!read_u64(j, "seed", s.seed, error) || !read_u64(j, "event", s.event, error) || !read_u64(j, "time_us", time_us, error))
    return std::nullopt;
  if (time_us > static_cast<std::uint64_t>(kSimTimeMaxUs)) return error = "\"time_us\" is out of range", std::nullopt;
  s.time_us = static_cast<SimTimeUs>(time_us);
  if (j.contains("step")) {
    if (!read_u64(j, "step", step, error) || !read_u64(j, "step_event", s.step_event, error)) return std::nullopt;
    if (step > 1000) return error = "\"step\" is out of range", std::nullopt;
    s.step = static_cast<std::int32_t>(step);
  }
  auto hash = j.find("trace_hash");
  if (hash == j.end() || !hash->is_string() || !parse_hex(hash->get<std::string>())) return error = "\"trace_hash\" is missing or not hex", std::nullopt;
  s.trace_hash = *parse_hex(hash->get<std::string>());
  auto log = j.find("log");
  if (log == j.end() || !log->is_array()) return error = "\"log\" is missing or not an array", std::nullopt;
  std::uint64_t last_event = 0;
  for (std::size_t i = 0; i < log->size(); ++i) {
    const json& e = (*log)[i];
    const std::string where = "log[" + std::to_string(i) + "]";
    if (!e.is_array() || e.size() != 3 || !e[0].is_number_unsigned() || !e[1].is_number_integer() || !e[2].is_object())
      return error = where + " is not [event, time_us, command]", std::nullopt;
    LoggedCommand c;
    c.event = e[0].get<std::uint64_t>();
    c.at_us = e[1].get<std::int64_t>();
    if (c.event <= last_event || c.event > s.event || c.at_us < 0 || c.at_us > s.time_us)
      return error = where + " is out of order or beyond the shared point", std::nullopt;
    last_event = c.event;
    std::string command_error;
    auto command = parse_command_json(e[2].dump(), command_error);
    if (!command) return error = where + ": " + command_error, std::nullopt;
    c.command = *command;
    s.log.push_back(std::move(c));
  }
  return s;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint8_t>(bytes[i]) << 16) | (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const std::uint32_t v = static_cast<std::uint8_t>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    const std::uint32_t v = (static_cast<std::uint8_t>(bytes[i]) << 16) | (static_cast<std::uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

ShareState capture_share(const Session& session) {
  ShareState s;
  const World& world = session.world();
  s.seed = world.seed();
  s.event = world.event_count();
  s.time_us = world.now_us();
  s.trace_hash = world.trace_hash();
  for (const LoggedCommand& c : session.command_log())
    if (c.event <= s.event) s.log.push_back(c);
  return s;
}

std::string share_payload_json(const ShareState& share) { return payload(share).dump(); }

std::optional<ShareState> parse_share_payload(std::string_view json_text, std::string& error) {
  const json j = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (j.is_discarded()) {
    error = "its content is not valid JSON";
    return std::nullopt;
  }
  return from_json(j, error);
}

std::optional<std::string> encode_share_link(const ShareState& share, std::string& error) {
  const std::string text = share_payload_json(share);
  std::string link = std::to_string(kShareVersion) + "." + base64url_encode(text) + "." + checksum(text);
  if (link.size() > kShareLinkMaxChars) {
    error = "this run is too long for a link (" + std::to_string(link.size() / 1024 + 1) + " KB, at most " +
            std::to_string(kShareLinkMaxChars / 1024) + " KB): save a share file instead, or share it from an earlier point";
    return std::nullopt;
  }
  return link;
}

std::optional<ShareState> decode_share_link(std::string_view link, std::string& error) {
  auto fail = [&](const std::string& why) {
    error = "The share link is damaged: " + why + ". Ask for the link again (it may have been cut off when it was copied).";
    return std::nullopt;
  };
  if (link.substr(0, 1) == "#") link.remove_prefix(1);
  if (link.substr(0, 6) == "share=") link.remove_prefix(6);
  if (link.size() > kShareLinkMaxChars) {
    error = "The share link is too long (" + std::to_string(link.size()) + " characters, at most " + std::to_string(kShareLinkMaxChars) +
            "): it is not one dsplay made, or other text was pasted with it.";
    return std::nullopt;
  }
  const auto first = link.find('.');
  const auto last = link.rfind('.');
  if (first == std::string_view::npos || first == last) return fail("it does not have the form 1.<data>.<check>");
  const std::string_view version = link.substr(0, first);
  if (version != std::to_string(kShareVersion)) {
    error = "The share link was made by another version of dsplay (format " + std::string(version.substr(0, 8)) + "; this one reads " +
            std::to_string(kShareVersion) + ").";
    return std::nullopt;
  }
  const auto bytes = base64url_decode(link.substr(first + 1, last - first - 1));
  if (!bytes) return fail("it contains characters a share link cannot have");
  if (checksum(*bytes) != link.substr(last + 1)) return fail("its checksum does not match its content");
  std::string why;
  auto share = parse_share_payload(*bytes, why);
  if (!share) return fail(why);
  return share;
}

std::string share_file_text(const ShareState& share) {
  json j = payload(share);
  json out;
  out["dsplay_share"] = kShareVersion;
  out["about"] = "A dsplay run: open this file in dsplay (drop it on the window) to replay it exactly.";
  out.update(j);
  out.erase("v");
  return out.dump(2) + "\n";
}

std::optional<ShareState> parse_share_file(std::string_view text, std::string& error) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("dsplay_share")) {
    error = "not a dsplay share file";
    return std::nullopt;
  }
  j["v"] = j["dsplay_share"];
  j.erase("dsplay_share");
  j.erase("about");
  auto share = from_json(j, error);
  if (!share) error = "the share file is damaged: " + error;
  return share;
}

ShareRebuild rebuild_shared_run(const Scenario& scenario, const ShareState& share) {
  ShareRebuild out;
  Scenario seeded = scenario;
  seeded.config.seed = share.seed;
  auto session = std::make_unique<Session>(std::move(seeded));
  for (std::size_t i = 0; i < share.log.size(); ++i) {
    if (!session->replay(share.log[i])) {
      out.error = "the shared run does not fit this scenario (command " + std::to_string(i + 1) + ", " + describe(share.log[i].command) +
                  ", cannot happen at event " + std::to_string(share.log[i].event) + ")";
      return out;
    }
  }
  if (!session->advance_to(share.event, share.time_us)) {
    out.error = "the shared run ends at event " + std::to_string(share.event) + ", but this scenario's run stops before it";
    return out;
  }
  out.hash_matches = session->world().trace_hash() == share.trace_hash;
  out.session = std::move(session);
  return out;
}

}  // namespace dsplay
