// The desktop shell: an SDL2 window with an OpenGL 3 context around dsplay::ui::App, plus the
// desktop Platform (settings file under $XDG_CONFIG_HOME/dsplay, saving into the current folder),
// command-line flags, drag-and-drop of scenario, lesson and share files, HiDPI scaling and idle throttling.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

#include "tools/metrics_server/metrics_server.hpp"
#include "ui/app.hpp"

namespace dsplay::desktop {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: dsplay_desktop [--scenario FILE] [--lesson FILE|NAME] [--present] [--frames N] [--scale X] [--size WxH]\n"
    "                      [--serve-metrics HOST:PORT] [--help] [FILE]\n"
    "  --scenario FILE  open this file at start: a scenario, a lesson or a share file (told apart\n"
    "                   by content); a bare FILE does the same\n"
    "  --lesson FILE    open this lesson file at start, or a built-in lesson by NAME\n"
    "  --present        start the lesson in presentation mode (large type; Page Up/Down, F5, Esc)\n"
    "  --frames N       render N frames, then exit 0 (smoke tests)\n"
    "  --scale X        UI scale (default: from the display DPI, or $DSPLAY_UI_SCALE)\n"
    "  --size WxH       window size in pixels (default: 1280x800 x the UI scale, within the screen)\n"
    "  --serve-metrics HOST:PORT\n"
    "                   serve the running simulation's /metrics (Prometheus text) on HOST:PORT\n"
    "  --help           show this help\n"
    "Drop a scenario, lesson or share file onto the window to open it.\n";

struct Options {
  std::string scenario_file;
  std::string lesson;  // a file, or a built-in lesson's name
  bool present = false;
  long frames = 0;  // 0 = run until the window is closed
  float scale = 0;  // 0 = measure
  int width = 0, height = 0;  // 0 = default
  std::string serve_metrics;  // "" = no /metrics endpoint
};

// Returns the options, or exits: 0 after --help, 2 on a bad command line.
Options parse_args(int argc, char** argv) {
  Options options;
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "dsplay_desktop: %s (try --help)\n", message.c_str());
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fail("missing value after " + std::string(arg));
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--scenario") {
      options.scenario_file = value();
    } else if (arg == "--lesson") {
      options.lesson = value();
    } else if (arg == "--serve-metrics") {
      options.serve_metrics = value();
      std::string host, error;
      unsigned port = 0;
      if (!metrics_server::parse_listen_address(options.serve_metrics, host, port, error)) fail("--serve-metrics: " + error);
    } else if (arg == "--present") {
      options.present = true;
    } else if (arg == "--frames") {
      const std::string text = value();
      char* end = nullptr;
      options.frames = std::strtol(text.c_str(), &end, 10);
      if (end == text.c_str() || *end != '\0' || options.frames <= 0) fail("--frames needs a positive integer, got '" + text + "'");
    } else if (arg == "--size") {
      const std::string text = value();
      char* end = nullptr;
      options.width = static_cast<int>(std::strtol(text.c_str(), &end, 10));
      if (end == text.c_str() || (*end != 'x' && *end != 'X')) fail("--size needs WIDTHxHEIGHT, got '" + text + "'");
      const char* h = end + 1;
      options.height = static_cast<int>(std::strtol(h, &end, 10));
      if (end == h || *end != '\0' || options.width < 320 || options.height < 240 || options.width > 16384 || options.height > 16384)
        fail("--size needs WIDTHxHEIGHT, at least 320x240, got '" + text + "'");
    } else if (arg == "--scale") {
      const std::string text = value();
      char* end = nullptr;
      options.scale = std::strtof(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !(options.scale >= 0.5f && options.scale <= 4.0f)) fail("--scale needs a number in [0.5, 4], got '" + text + "'");
    } else if (arg.size() > 1 && arg[0] == '-') {
      fail("unknown flag '" + std::string(arg) + "'");
    } else if (options.scenario_file.empty()) {
      options.scenario_file = std::string(arg);
    } else {
      fail("unexpected argument '" + std::string(arg) + "'");
    }
  }
  return options;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

fs::path config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return fs::path(xdg) / "dsplay";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".config" / "dsplay";
  return fs::current_path() / ".dsplay";
}

class DesktopPlatform final : public ui::Platform {
 public:
  explicit DesktopPlatform(fs::path dir) : dir_(std::move(dir)), settings_path_(dir_ / "settings.json") {
    if (auto text = read_file(settings_path_)) {
      const auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
      if (json.is_object()) {
        for (const auto& [key, value] : json.items()) {
          if (value.is_string()) settings_[key] = value.get<std::string>();
        }
      } else {
        std::fprintf(stderr, "dsplay: ignoring unreadable settings file %s\n", settings_path_.string().c_str());
      }
    }
  }

  const char* name() const override { return "desktop"; }

  // Writes into the current folder under a name that does not exist yet ("x.json", "x-1.json", ...).
  void save_file(const std::string& suggested_name, const std::string& contents) override {
    fs::path name = fs::path(suggested_name).filename();
    if (name.empty() || name == "." || name == "..") name = "dsplay-export.txt";
    const std::string stem = name.stem().string();
    const std::string extension = name.extension().string();
    fs::path path = fs::current_path() / name;
    for (int n = 1; fs::exists(path) && n < 10000; ++n) path = fs::current_path() / (stem + "-" + std::to_string(n) + extension);
    std::ofstream out(path, std::ios::binary);
    out << contents;
    out.close();
    if (out) {
      notice_ = "Saved " + path.string();
      std::printf("dsplay: saved %s\n", path.string().c_str());
    } else {
      notice_ = "Could not write " + path.string();
      std::fprintf(stderr, "dsplay: could not write %s\n", path.string().c_str());
    }
    std::fflush(stdout);
    notice_until_ticks_ = SDL_GetTicks64() + 5000;
  }

  std::string load_setting(const std::string& key) override {
    auto it = settings_.find(key);
    return it == settings_.end() ? std::string() : it->second;
  }

  // The whole file is rewritten (via a temporary file and a rename, so a crash cannot truncate it).
  void store_setting(const std::string& key, const std::string& value) override {
    if (auto it = settings_.find(key); it != settings_.end() && it->second == value) return;
    settings_[key] = value;
    std::error_code error;
    fs::create_directories(dir_, error);
    const fs::path temp = settings_path_.string() + ".tmp";
    {
      std::ofstream out(temp, std::ios::binary);
      out << nlohmann::json(settings_).dump(2) << '\n';
      if (!out) {
        std::fprintf(stderr, "dsplay: could not write %s\n", temp.string().c_str());
        return;
      }
    }
    fs::rename(temp, settings_path_, error);
    if (error) std::fprintf(stderr, "dsplay: could not write %s: %s\n", settings_path_.string().c_str(), error.message().c_str());
  }

  // A short notice after saving, drawn over the UI at the bottom of the window.
  void draw_notice() const {
    if (notice_.empty() || SDL_GetTicks64() > notice_until_ticks_) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f, viewport->WorkPos.y + viewport->WorkSize.y - 12.0f),
                            ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.85f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs;
    if (ImGui::Begin("##dsplay_notice", nullptr, flags)) ImGui::TextUnformatted(notice_.c_str());
    ImGui::End();
  }

 private:
  fs::path dir_;
  fs::path settings_path_;
  std::map<std::string, std::string> settings_;
  std::string notice_;
  Uint64 notice_until_ticks_ = 0;
};

// The layout scale from the display DPI (X11/Windows report pixels; 96 dpi = 1.0), in steps of 0.25.
float measure_dpi_scale(int display_index) {
  if (const char* env = std::getenv("DSPLAY_UI_SCALE"); env && *env) {
    const float scale = std::strtof(env, nullptr);
    if (scale >= 0.5f && scale <= 4.0f) return scale;
  }
  float ddpi = 0;
  if (SDL_GetDisplayDPI(display_index, &ddpi, nullptr, nullptr) != 0 || !(ddpi > 0)) return 1.0f;
  const float scale = std::round(ddpi / 96.0f * 4.0f) / 4.0f;
  return std::clamp(scale, 1.0f, 3.0f);
}

// Framebuffer pixels per window unit (>1 on macOS Retina and Wayland with scaling, 1 on X11).
float framebuffer_scale(SDL_Window* window) {
  int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;
  SDL_GetWindowSize(window, &window_w, &window_h);
  SDL_GL_GetDrawableSize(window, &drawable_w, &drawable_h);
  if (window_w <= 0 || drawable_w <= 0) return 1.0f;
  return std::clamp(static_cast<float>(drawable_w) / static_cast<float>(window_w), 1.0f, 4.0f);
}

// Rasterises the fonts at layout scale x framebuffer scale and draws them back at 1/framebuffer
// scale, so text is sharp on HiDPI framebuffers while the layout stays in window units.
void rebuild_fonts(float dpi_scale, float fb_scale, bool have_texture) {
  if (have_texture) ImGui_ImplOpenGL3_DestroyFontsTexture();
  ui::load_fonts(dpi_scale * fb_scale);
  ImGui::GetIO().FontGlobalScale = 1.0f / fb_scale;
  if (have_texture) ImGui_ImplOpenGL3_CreateFontsTexture();
}

int run(int argc, char** argv) {
  Options options = parse_args(argc, argv);

  // --lesson: a file if there is one by that name, else a built-in lesson's name.
  std::string builtin_lesson;
  if (!options.lesson.empty()) {
    std::error_code exists_error;
    if (fs::exists(options.lesson, exists_error) || options.lesson.find('/') != std::string::npos || options.lesson.find(".json") != std::string::npos) {
      if (!options.scenario_file.empty()) {
        std::fprintf(stderr, "dsplay_desktop: give either --lesson FILE or a scenario file, not both\n");
        return 2;
      }
      options.scenario_file = options.lesson;
    } else {
      builtin_lesson = options.lesson;
    }
  }
  std::optional<std::string> scenario_text;
  if (!options.scenario_file.empty()) {
    scenario_text = read_file(options.scenario_file);
    if (!scenario_text) {
      std::fprintf(stderr, "dsplay_desktop: cannot read the file '%s'\n", options.scenario_file.c_str());
      return 1;
    }
  }

  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    std::fprintf(stderr, "dsplay_desktop: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }

#if defined(__APPLE__)
  const char* glsl_version = "#version 150";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
#else
  const char* glsl_version = "#version 130";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#endif
  if (const char* driver = SDL_GetCurrentVideoDriver(); driver && (std::string_view(driver) == "offscreen" || std::string_view(driver) == "dummy")) {
    std::fprintf(stderr, "dsplay_desktop: no display found (DISPLAY / WAYLAND_DISPLAY unset?); rendering off screen\n");
  }
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

  const float dpi_scale = options.scale > 0 ? options.scale : measure_dpi_scale(0);
  int window_w = static_cast<int>(1280 * dpi_scale);
  int window_h = static_cast<int>(800 * dpi_scale);
  if (SDL_Rect usable; SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
    window_w = std::min(window_w, usable.w * 9 / 10);
    window_h = std::min(window_h, usable.h * 9 / 10);
  }
  if (options.width > 0) window_w = options.width, window_h = options.height;
  const auto window_flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_Window* window = SDL_CreateWindow("dsplay", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, window_w, window_h, window_flags);
  if (!window) {
    std::fprintf(stderr, "dsplay_desktop: cannot open a window: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  SDL_GLContext gl_context = SDL_GL_CreateContext(window);
  if (!gl_context) {
    std::fprintf(stderr, "dsplay_desktop: cannot create an OpenGL 3 context: %s\n", SDL_GetError());
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl_context);
  SDL_GL_SetSwapInterval(1);  // vsync where the driver offers it

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  const fs::path settings_dir = config_dir();
  std::error_code error;
  fs::create_directories(settings_dir, error);
  const std::string ini_path = (settings_dir / "imgui.ini").string();  // window layout, not in the cwd
  io.IniFilename = error ? nullptr : ini_path.c_str();
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
  ImGui_ImplOpenGL3_Init(glsl_version);

  float fb_scale = framebuffer_scale(window);
  rebuild_fonts(dpi_scale, fb_scale, /*have_texture=*/false);

  DesktopPlatform platform(settings_dir);
  {
    ui::App app(platform, ui::AppOptions{.scenario_name = {}, .lesson_name = builtin_lesson, .ui_scale = dpi_scale, .presentation = options.present});
    if (scenario_text) app.open_scenario_text(fs::path(options.scenario_file).filename().string(), *scenario_text);

    std::unique_ptr<metrics_server::MetricsServer> metrics;
    if (!options.serve_metrics.empty()) {
      std::string error;
      metrics = metrics_server::MetricsServer::listen(options.serve_metrics, error);
      if (metrics) std::fprintf(stderr, "dsplay_desktop: serving http://%s/metrics\n", metrics->address().c_str());
      else std::fprintf(stderr, "dsplay_desktop: --serve-metrics: %s (the app runs without it)\n", error.c_str());
    }

    long frames = 0;
    bool running = true;
    while (running) {
      const Uint64 frame_start = SDL_GetPerformanceCounter();
      const Uint32 window_state = SDL_GetWindowFlags(window);
      // Minimised: nothing to draw, sleep until something happens (at most 100 ms, the sim runs on).
      if ((window_state & SDL_WINDOW_MINIMIZED) && options.frames == 0) SDL_WaitEventTimeout(nullptr, 100);

      SDL_Event event;
      while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) running = false;
        if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE && event.window.windowID == SDL_GetWindowID(window)) running = false;
        if (event.type == SDL_DROPFILE && event.drop.file) {
          const std::string path = event.drop.file;
          SDL_free(event.drop.file);
          if (auto text = read_file(path)) {
            app.open_scenario_text(fs::path(path).filename().string(), *text);
          } else {
            app.open_scenario_text(fs::path(path).filename().string(), std::string());
            std::fprintf(stderr, "dsplay: cannot read dropped file %s\n", path.c_str());
          }
        }
      }

      // The window may have moved to a display with another pixel density.
      if (const float now_fb_scale = framebuffer_scale(window); now_fb_scale != fb_scale) {
        fb_scale = now_fb_scale;
        rebuild_fonts(dpi_scale, fb_scale, /*have_texture=*/true);
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      // ImGui 1.86's SDL backend can hand over a zero delta (two frames on one counter value);
      // ImGui asserts on that. Long stalls (a dragged window, a debugger) become one short step.
      io.DeltaTime = std::clamp(io.DeltaTime, 1e-4f, 0.25f);
      ImGui::NewFrame();
      app.frame(io.DeltaTime);
      platform.draw_notice();
      ImGui::Render();

      glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x), static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
      glClearColor(0.09f, 0.10f, 0.12f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      SDL_GL_SwapWindow(window);

      if (metrics) metrics->poll([&app] { return app.metrics_text(); });

      ++frames;
      if (options.frames > 0 && frames >= options.frames) running = false;
      if (app.quit_requested()) running = false;

      // Cap the frame rate (60 fps, 30 in the background) when vsync does not already do it, e.g.
      // under Xvfb or with vsync off in the driver, so the app never spins a core.
      const bool focused = (SDL_GetWindowFlags(window) & SDL_WINDOW_INPUT_FOCUS) != 0;
      const double frame_budget_s = focused ? 1.0 / 60.0 : 1.0 / 30.0;
      const double spent_s = static_cast<double>(SDL_GetPerformanceCounter() - frame_start) / static_cast<double>(SDL_GetPerformanceFrequency());
      if (spent_s + 0.001 < frame_budget_s) SDL_Delay(static_cast<Uint32>((frame_budget_s - spent_s) * 1000.0));
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl_context);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return 0;
}

}  // namespace
}  // namespace dsplay::desktop

int main(int argc, char** argv) { return dsplay::desktop::run(argc, argv); }
