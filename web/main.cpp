// The browser shell: SDL2 + WebGL2 (GL ES 3, "#version 300 es") around dsplay::ui::App, driven by
// emscripten_set_main_loop, plus the web Platform: settings in localStorage, saving as a browser
// download, share links in location.hash, files dropped onto the page or picked with the page's
// file picker, ?scenario=NAME, ?lesson=NAME, ?present (presentation mode), ?lesson_url=URL (index.html fetches it).
// web/index.html is the page around it (loading progress, WebGL2 and load error messages).
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "ui/app.hpp"

// ---- JavaScript side (strings returned from JS are malloc'd; take_js_string frees them) --------
// clang-format off
EM_JS(char*, dsplay_js_storage_get, (const char* key), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    if (value === null) return 0;
    const size = lengthBytesUTF8(value) + 1;
    const ptr = _malloc(size);
    stringToUTF8(value, ptr, size);
    return ptr;
  } catch (e) { return 0; }  // storage disabled (privacy mode, sandboxed frame)
});
EM_JS(void, dsplay_js_storage_set, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, dsplay_js_download, (const char* name, const char* data, int size), {
  const blob = new Blob([HEAPU8.slice(data, data + size)], {type: 'application/octet-stream'});
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = UTF8ToString(name);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 30000);
});
EM_JS(char*, dsplay_js_get_hash, (), {
  const hash = window.location.hash.replace(/^#/, "");
  const size = lengthBytesUTF8(hash) + 1;
  const ptr = _malloc(size);
  stringToUTF8(hash, ptr, size);
  return ptr;
});
EM_JS(void, dsplay_js_set_hash, (const char* fragment), {
  const text = UTF8ToString(fragment);
  window.history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
});
EM_JS(char*, dsplay_js_query_param, (const char* name), {
  const value = new URLSearchParams(window.location.search).get(UTF8ToString(name));
  if (value === null) return 0;
  const size = lengthBytesUTF8(value) + 1;
  const ptr = _malloc(size);
  stringToUTF8(value, ptr, size);
  return ptr;
});
// Files dropped onto the page wait in Module.dsplayDrops (see index.html): "name\ntext".
EM_JS(char*, dsplay_js_take_drop, (), {
  const drop = Module.dsplayDrops && Module.dsplayDrops.shift();
  if (!drop) return 0;
  Module.dsplayDropsTaken = (Module.dsplayDropsTaken | 0) + 1;
  const joined = drop.name + '\n' + drop.text;
  const size = lengthBytesUTF8(joined) + 1;
  const ptr = _malloc(size);
  stringToUTF8(joined, ptr, size);
  return ptr;
});
// The page's file picker (index.html); the file arrives through Module.dsplayDrops like a dropped one.
EM_JS(int, dsplay_js_open_file_picker, (), {
  if (!Module.dsplayOpenFilePicker) return 0;
  Module.dsplayOpenFilePicker();
  return 1;
});
// The page counts frames (tests wait on window.dsplayFrames) and hides its loading screen.
EM_JS(void, dsplay_js_frame_done, (int frames), {
  window.dsplayFrames = frames;
  if (frames === 1 && Module.dsplayFirstFrame) Module.dsplayFirstFrame();
});
EM_JS(void, dsplay_js_fatal, (const char* message), {
  const text = UTF8ToString(message);
  console.error(text);
  if (Module.dsplayFatal) Module.dsplayFatal(text);
});
EM_JS(double, dsplay_js_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });
// clang-format on

namespace dsplay::web {
namespace {

std::string take_js_string(char* ptr) {
  if (!ptr) return {};
  std::string text(ptr);
  std::free(ptr);
  return text;
}

class WebPlatform final : public ui::Platform {
 public:
  const char* name() const override { return "web"; }
  void save_file(const std::string& suggested_name, const std::string& contents) override {
    dsplay_js_download(suggested_name.c_str(), contents.data(), static_cast<int>(contents.size()));
  }
  std::string load_setting(const std::string& key) override { return take_js_string(dsplay_js_storage_get(("dsplay:" + key).c_str())); }
  void store_setting(const std::string& key, const std::string& value) override {
    dsplay_js_storage_set(("dsplay:" + key).c_str(), value.c_str());
  }
  std::string url_fragment() override { return take_js_string(dsplay_js_get_hash()); }
  void set_url_fragment(const std::string& fragment) override { dsplay_js_set_hash(fragment.c_str()); }
  bool open_file_picker() override { return dsplay_js_open_file_picker() != 0; }
};

constexpr const char* kImguiIniKey = "dsplay-imgui-ini";  // window layout, kept in localStorage

struct Shell {
  SDL_Window* window = nullptr;
  SDL_GLContext gl_context = nullptr;
  WebPlatform platform;
  std::unique_ptr<ui::App> app;
  float fb_scale = 1.0f;
  int frames = 0;
};

// Framebuffer pixels per CSS pixel: the canvas is sized to devicePixelRatio x its CSS size.
float framebuffer_scale(SDL_Window* window) {
  int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;
  SDL_GetWindowSize(window, &window_w, &window_h);
  SDL_GL_GetDrawableSize(window, &drawable_w, &drawable_h);
  if (window_w <= 0 || drawable_w <= 0) return std::clamp(static_cast<float>(dsplay_js_device_pixel_ratio()), 1.0f, 4.0f);
  return std::clamp(static_cast<float>(drawable_w) / static_cast<float>(window_w), 0.5f, 4.0f);
}

// Glyphs rasterised at devicePixelRatio x size and drawn at 1/ratio: sharp text, CSS-pixel layout.
void rebuild_fonts(float fb_scale, bool have_texture) {
  if (have_texture) ImGui_ImplOpenGL3_DestroyFontsTexture();
  ui::load_fonts(fb_scale);
  ImGui::GetIO().FontGlobalScale = 1.0f / fb_scale;
  if (have_texture) ImGui_ImplOpenGL3_CreateFontsTexture();
}

void frame(void* arg) {
  Shell& shell = *static_cast<Shell*>(arg);
  ImGuiIO& io = ImGui::GetIO();

  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);
  for (std::string drop = take_js_string(dsplay_js_take_drop()); !drop.empty(); drop = take_js_string(dsplay_js_take_drop())) {
    const auto newline = drop.find('\n');
    shell.app->open_scenario_text(drop.substr(0, newline), newline == std::string::npos ? std::string() : drop.substr(newline + 1));
  }

  // devicePixelRatio changes with browser zoom and when the window moves to another screen.
  if (const float fb_scale = framebuffer_scale(shell.window); fb_scale != shell.fb_scale) {
    shell.fb_scale = fb_scale;
    rebuild_fonts(fb_scale, /*have_texture=*/true);
  }

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // ImGui 1.86's SDL backend can hand over a zero delta when two frames read the same counter
  // (seen in headless Chromium); ImGui asserts on that. A tab back from the background gets one
  // short step instead of a jump.
  io.DeltaTime = std::clamp(io.DeltaTime, 1e-4f, 0.25f);
  ImGui::NewFrame();
  shell.app->frame(io.DeltaTime);
  ImGui::Render();

  int drawable_w = 0, drawable_h = 0;
  SDL_GL_GetDrawableSize(shell.window, &drawable_w, &drawable_h);
  glViewport(0, 0, drawable_w, drawable_h);
  glClearColor(0.09f, 0.10f, 0.12f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(shell.window);

  if (io.WantSaveIniSettings) {
    std::size_t size = 0;
    const char* ini = ImGui::SaveIniSettingsToMemory(&size);
    dsplay_js_storage_set(kImguiIniKey, std::string(ini, size).c_str());
    io.WantSaveIniSettings = false;
  }
  dsplay_js_frame_done(++shell.frames);
}

int run() {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    dsplay_js_fatal((std::string("SDL could not start: ") + SDL_GetError()).c_str());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

  auto* shell = new Shell();  // lives for the page's lifetime (the main loop never returns)
  // The canvas size comes from the page's CSS (full window); SDL follows it and devicePixelRatio.
  const auto window_flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  shell->window = SDL_CreateWindow("dsplay", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280, 800, window_flags);
  if (!shell->window) {
    dsplay_js_fatal((std::string("Could not create the canvas window: ") + SDL_GetError()).c_str());
    return 1;
  }
  shell->gl_context = SDL_GL_CreateContext(shell->window);
  if (!shell->gl_context) {
    dsplay_js_fatal((std::string("Could not create a WebGL2 context: ") + SDL_GetError()).c_str());
    return 1;
  }
  SDL_GL_MakeCurrent(shell->window, shell->gl_context);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no file system: the layout goes to localStorage (see frame())
  if (const std::string ini = take_js_string(dsplay_js_storage_get(kImguiIniKey)); !ini.empty()) {
    ImGui::LoadIniSettingsFromMemory(ini.c_str(), ini.size());
  }
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(shell->window, shell->gl_context);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  shell->fb_scale = framebuffer_scale(shell->window);
  rebuild_fonts(shell->fb_scale, /*have_texture=*/false);

  ui::AppOptions options;
  options.scenario_name = take_js_string(dsplay_js_query_param("scenario"));
  options.lesson_name = take_js_string(dsplay_js_query_param("lesson"));
  if (char* present = dsplay_js_query_param("present")) {  // "?present" or "?present=1"
    options.presentation = std::string(present) != "0";
    std::free(present);
  }
  options.ui_scale = 1.0f;  // layout in CSS pixels; the browser already scales those for the display
  shell->app = std::make_unique<ui::App>(shell->platform, std::move(options));

  emscripten_set_main_loop_arg(frame, shell, 0, /*simulate_infinite_loop=*/1);
  return 0;
}

}  // namespace
}  // namespace dsplay::web

int main() { return dsplay::web::run(); }
