//! Headless Chromium through the DevTools protocol: launching it, and a [`Page`] that
//! loads addresses, runs scripts, waits for conditions, takes screenshots and keeps
//! every console error, uncaught exception and failed load the pages report.

use base64::Engine as _;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Page as Cdp, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page may take to load or to reach a state: generous, because CI has two
/// cores shared with the rest of the test suite.
const TIMEOUT: Duration = Duration::from_secs(30);
/// A document that has replaced the one marked before leaving it, and has loaded: its
/// address and HTTP status (a file has none: 200).
const LOADED: &str = "!window.__kembarLeaving && document.readyState === 'complete' ? [
    location.href,
    location.protocol === 'file:' ? 200 : performance.getEntriesByType('navigation')[0].responseStatus,
] : null";
/// How often a condition is polled.
const POLL: Duration = Duration::from_millis(50);

/// Chromium switches that keep it from calling home: this machine has no network but
/// localhost, and a Chromium that keeps trying slows everything down.
const QUIET: [&str; 6] = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// One Chromium process with a fresh profile; killed, and its profile removed, on drop.
pub struct Chrome {
    browser: Browser,
    // Declared after `browser`, so it is removed after Chromium has exited.
    _profile: tempfile::TempDir,
}

impl Chrome {
    pub fn launch(executable: &Path) -> Chrome {
        let profile = tempfile::tempdir().expect("profile dir");
        let args: Vec<&OsStr> = QUIET.iter().map(OsStr::new).collect();
        let options = LaunchOptions::default_builder()
            .path(Some(executable.to_owned()))
            .headless(true)
            // The tests run as root in CI, where Chromium's sandbox cannot start.
            .sandbox(false)
            .window_size(Some((1280, 900)))
            .user_data_dir(Some(profile.path().to_owned()))
            .idle_browser_timeout(Duration::from_secs(120))
            .args(args)
            .build()
            .expect("launch options");
        let browser = Browser::new(options)
            .unwrap_or_else(|e| panic!("launching {}: {e:#}", executable.display()));
        Chrome {
            browser,
            _profile: profile,
        }
    }

    /// A new tab emulating a screen `width`×`height` CSS pixels; `phone` also turns on
    /// mobile emulation (the `viewport` meta tag is honoured).
    pub fn page(&self, width: u32, height: u32, phone: bool) -> Page {
        let tab = self.browser.new_tab().expect("new tab");
        tab.set_default_timeout(TIMEOUT);
        let page = Page {
            tab,
            screen: Screen {
                width,
                height,
                phone,
            },
            errors: Arc::default(),
            current: Arc::new(Mutex::new("about:blank".into())),
        };
        page.listen();
        page.emulate(height);
        page
    }
}

/// The screen a tab emulates, in CSS pixels.
#[derive(Clone, Copy)]
struct Screen {
    width: u32,
    height: u32,
    phone: bool,
}

/// A tab, and what went wrong on the pages it showed.
pub struct Page {
    tab: Arc<Tab>,
    screen: Screen,
    /// Console errors, exceptions and failed loads, each with the page it happened on.
    errors: Arc<Mutex<Vec<String>>>,
    /// The address the tab last finished loading, to say where an error happened.
    current: Arc<Mutex<String>>,
}

impl Page {
    fn listen(&self) {
        let (errors, current) = (Arc::clone(&self.errors), Arc::clone(&self.current));
        let listener = move |event: &Event| {
            if let Some(message) = describe(event) {
                let page = current.lock().expect("current page").clone();
                errors
                    .lock()
                    .expect("error list")
                    .push(format!("{page}: {message}"));
            }
        };
        self.tab
            .add_event_listener(Arc::new(listener))
            .expect("listen to the tab");
        self.tab.enable_runtime().expect("Runtime.enable");
        self.tab.enable_log().expect("Log.enable");
    }

    /// Emulates the tab's screen, but `height` pixels high.
    fn emulate(&self, height: u32) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width: self.screen.width,
                height,
                device_scale_factor: 1.0,
                mobile: self.screen.phone,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("Emulation.setDeviceMetricsOverride");
    }

    /// Loads `url` and waits until it has loaded, with its deferred scripts run; fails
    /// the test if it cannot, or if the server did not answer 200.
    #[track_caller]
    pub fn goto(&self, url: &str) {
        self.open(url).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Like [`Page::goto`], but returns what went wrong.
    pub fn open(&self, url: &str) -> Result<(), String> {
        self.navigating(url, || {
            self.tab
                .navigate_to(url)
                .map(|_| ())
                .map_err(|e| format!("{url}: {e:#}"))
        })
    }

    /// Runs `action` (a click on a link, a key press on one) and waits for the page it
    /// leads to, which must load with status 200.
    #[track_caller]
    pub fn follow(&self, what: &str, action: impl FnOnce()) {
        self.navigating(what, || {
            action();
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs `action`, which makes the tab leave the current document, and waits until
    /// the next document has loaded. Errors reported meanwhile are put down to `what`.
    #[track_caller]
    fn navigating(
        &self,
        what: &str,
        action: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        // A mark on the old document: it is gone once the new one is there, even when
        // the address stays the same (a reload).
        self.value::<bool>("window.__kembarLeaving = true");
        *self.current.lock().expect("current page") = what.to_owned();
        action()?;
        let (url, status): (String, u32) =
            self.wait_for(&format!("the page after {what} to load"), LOADED);
        *self.current.lock().expect("current page") = url.clone();
        match status {
            200 => Ok(()),
            _ => Err(format!("{what}: {url} answered HTTP {status}")),
        }
    }

    /// Reloads the page shown.
    #[track_caller]
    pub fn reload(&self) {
        let url = self.current();
        self.navigating(&format!("reloading {url}"), || {
            self.tab
                .reload(false, None)
                .map(|_| ())
                .map_err(|e| format!("reloading {url}: {e:#}"))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    /// The address shown, as the page sees it.
    pub fn url(&self) -> String {
        self.eval::<String>("location.href")
            .unwrap_or_else(|e| panic!("reading the address: {e}"))
    }

    /// Runs a whole script (not an expression) in the page, as a `<script>` would —
    /// through the protocol, so a page's Content-Security-Policy does not block it.
    #[track_caller]
    pub fn run_script(&self, source: &str) {
        if let Err(e) = self.evaluate(source, "a script") {
            panic!("on {}: {e}", self.current());
        }
    }

    /// Evaluates the JavaScript expression `js` (a promise is awaited) and decodes its
    /// value, passed through `JSON.stringify`.
    pub fn eval<T: DeserializeOwned>(&self, js: &str) -> Result<T, String> {
        let wrapped = format!("(async () => JSON.stringify(await ({js})))()");
        let json = self.evaluate(&wrapped, js)?;
        serde_json::from_str(&json).map_err(|e| format!("`{}` gave {json}: {e}", short(js)))
    }

    /// Evaluates `expression` and returns its string value (`null` if not a string);
    /// errors name the script by `label`.
    fn evaluate(&self, expression: &str, label: &str) -> Result<String, String> {
        let done = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: expression.to_owned(),
                object_group: None,
                include_command_line_api: None,
                silent: Some(true),
                context_id: None,
                return_by_value: Some(true),
                generate_preview: None,
                user_gesture: Some(true),
                await_promise: Some(true),
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: None,
                unique_context_id: None,
                serialization_options: None,
            })
            .map_err(|e| format!("evaluating `{}`: {e:#}", short(label)))?;
        if let Some(ex) = done.exception_details {
            let text = ex.exception.and_then(|e| e.description).unwrap_or(ex.text);
            return Err(format!("`{}` threw: {text}", short(label)));
        }
        Ok(match done.result.value {
            Some(Value::String(s)) => s,
            // `JSON.stringify(undefined)` is undefined.
            _ => "null".into(),
        })
    }

    /// Like [`Page::eval`], but a failure is a test failure naming the page.
    #[track_caller]
    pub fn value<T: DeserializeOwned>(&self, js: &str) -> T {
        self.eval(js)
            .unwrap_or_else(|e| panic!("on {}: {e}", self.current()))
    }

    /// Polls the JavaScript condition `js` until it is true; fails after [`TIMEOUT`]
    /// saying `what` was awaited.
    #[track_caller]
    pub fn wait_until(&self, what: &str, js: &str) {
        self.wait_for::<bool>(what, &format!("({js}) || null"));
    }

    /// Polls the JavaScript expression `js` until it is not `null` and returns its
    /// value; fails after [`TIMEOUT`] saying `what` was awaited.
    #[track_caller]
    pub fn wait_for<T: DeserializeOwned>(&self, what: &str, js: &str) -> T {
        self.poll_for(js).unwrap_or_else(|| {
            let last = self.eval::<Value>(js).unwrap_or_else(|e| e.into());
            panic!(
                "timed out after {TIMEOUT:?} waiting for {what} on {} (`{}` is {last})",
                self.current(),
                short(js)
            )
        })
    }

    /// Polls the JavaScript condition `js` until it is true (then returns true) or
    /// [`TIMEOUT`] has passed (false).
    pub fn poll(&self, js: &str) -> bool {
        self.poll_for::<bool>(&format!("({js}) || null")).is_some()
    }

    /// Polls `js` until it is not `null`. An error while polling, such as the page
    /// being replaced, counts as "not yet".
    fn poll_for<T: DeserializeOwned>(&self, js: &str) -> Option<T> {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Ok(Some(value)) = self.eval::<Option<T>>(js) {
                return Some(value);
            }
            std::thread::sleep(POLL);
        }
        None
    }

    /// Clicks the middle of the first element matching `selector`, as a mouse would.
    #[track_caller]
    pub fn click(&self, selector: &str) {
        self.tab
            .find_element(selector)
            .and_then(|e| e.click().map(|_| ()))
            .unwrap_or_else(|e| panic!("clicking {selector} on {}: {e:#}", self.current()));
    }

    /// Focuses the first element matching `selector` and presses `key` on the keyboard.
    #[track_caller]
    pub fn press(&self, selector: &str, key: &str) {
        self.value::<bool>(&format!(
            "(document.querySelector({}).focus(), true)",
            js_string(selector)
        ));
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("pressing {key} on {}: {e:#}", self.current()));
    }

    /// Types `text` key by key into the element focused now.
    #[track_caller]
    pub fn type_text(&self, text: &str) {
        self.tab
            .type_str(text)
            .unwrap_or_else(|e| panic!("typing {text:?} on {}: {e:#}", self.current()));
    }

    /// Saves a PNG of the whole page (up to a height that keeps files small) to `file`.
    /// The screen is made as tall as the page meanwhile, as a full-page capture in
    /// other tools does, so that what renders only on screen (`content-visibility:
    /// auto`) is drawn.
    pub fn screenshot(&self, file: &Path) {
        let height: u32 = self.value("Math.min(document.documentElement.scrollHeight, 6000)");
        self.emulate(height.max(self.screen.height));
        self.settle();
        let png = self
            .tab
            .call_method(Cdp::CaptureScreenshot {
                format: Some(Cdp::CaptureScreenshotFormatOption::Png),
                quality: None,
                clip: None,
                from_surface: Some(true),
                capture_beyond_viewport: None,
                optimize_for_speed: None,
            })
            .unwrap_or_else(|e| panic!("screenshot of {}: {e:#}", self.current()))
            .data;
        self.emulate(self.screen.height);
        let png = base64::engine::general_purpose::STANDARD
            .decode(png)
            .expect("base64 screenshot");
        std::fs::write(file, png).expect("write screenshot");
    }

    /// Waits until the page has rendered two more frames, so that layout and paint
    /// have caught up with the last change.
    fn settle(&self) {
        self.value::<Value>(
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))",
        );
    }

    /// The address of the page loaded last.
    pub fn current(&self) -> String {
        self.current.lock().expect("current page").clone()
    }

    /// Everything that went wrong so far, emptying the list.
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.errors.lock().expect("error list"))
    }
}

/// What an event says went wrong, if it is an error: an uncaught exception, a
/// `console.error`, or a browser log entry of level error (a failed load, a blocked
/// script, a violated policy).
fn describe(event: &Event) -> Option<String> {
    match event {
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            let at = d.url.clone().unwrap_or_default();
            Some(format!(
                "uncaught {what} at {at}:{}:{}",
                d.line_number + 1,
                d.column_number + 1
            ))
        }
        Event::RuntimeConsoleAPICalled(e)
            if matches!(
                e.params.Type,
                Runtime::ConsoleAPICalledEventTypeOption::Error
                    | Runtime::ConsoleAPICalledEventTypeOption::Assert
            ) =>
        {
            let args: Vec<String> = e.params.args.iter().map(remote_text).collect();
            Some(format!("console.error: {}", args.join(" ")))
        }
        Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
            let entry = &e.params.entry;
            let url = entry.url.as_deref().unwrap_or("");
            Some(format!("{:?} error: {} {url}", entry.source, entry.text))
        }
        _ => None,
    }
}

fn remote_text(o: &Runtime::RemoteObject) -> String {
    match (&o.value, &o.description) {
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => format!("{:?}", o.Type),
    }
}

/// `s` as a JavaScript string literal.
pub fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("string to JSON")
}

/// The start of a script, for messages.
fn short(js: &str) -> String {
    let one_line = js.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}
