//! `kembar serve`: builds the site in memory, serves it on localhost, rebuilds it when
//! the site's files change and reloads the pages open in a browser. This module starts
//! and stops the parts: `http` answers requests, `watch` reports changes, `rebuild`
//! runs the pipeline, `site` holds the result, `live` and `overlay` talk to the pages.

mod http;
mod live;
mod overlay;
mod rebuild;
mod route;
mod site;
mod watch;

use crate::build::Settings;
use rebuild::{Builder, Outcome};
use site::Site;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use watch::{Signal, Watcher};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on; 0 takes any free port (the address is printed)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; the default keeps the site to this computer
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is built
    #[arg(long)]
    pub open: bool,
    /// The site folder, holding kembar.toml and content/
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Threads answering requests; an event stream costs none once it is open.
const WORKERS: usize = 4;
/// How often the loops look at the stop flag.
const TICK: Duration = Duration::from_millis(200);
/// How long the rebuild loop waits for more changes after one arrives, so that a
/// burst of saves (a `git checkout`, a search-and-replace) makes one rebuild.
const SETTLE: Duration = Duration::from_millis(50);
const PING_EVERY: Duration = Duration::from_secs(15);

/// What the threads share.
struct State {
    site: RwLock<Arc<Site>>,
    hub: live::Hub,
    stop: AtomicBool,
}

impl State {
    fn site(&self) -> Arc<Site> {
        Arc::clone(&self.site.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn publish(&self, outcome: Outcome) {
        match outcome {
            Outcome::Built(site, changes, stats) => {
                anstream::eprintln!(
                    "built {} pages ({} files, {} rendered) in {} ms: {} changed",
                    stats.pages,
                    stats.files,
                    stats.rendered,
                    stats.millis,
                    changes.len()
                );
                *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&site);
                self.hub.published(&site, &changes);
            }
            Outcome::Failed(diags) => self.hub.failed(overlay::html(&diags)),
        }
    }
}

pub fn run(args: ServeArgs) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            anstream::eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), String> {
    if !args.root.join("content").is_dir() {
        return Err(format!(
            "no content folder at {}",
            shown(&args.root).join("content").display()
        ));
    }
    // Events name canonical paths; the watcher compares them with the root.
    let root = std::fs::canonicalize(&args.root)
        .map_err(|e| format!("cannot read {}: {e}", args.root.display()))?;
    let server = tiny_http::Server::http(SocketAddr::new(args.bind, args.port)).map_err(|e| {
        format!(
            "cannot listen on {}:{}: {e} (another --port, or --port 0 for any free one)",
            args.bind, args.port
        )
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let url = format!("http://{}/", browsable(addr));
    let mut builder = Builder::new(Settings {
        root: root.clone(),
        shown_root: shown(&args.root),
        output: None,
        base_url: Some(url.clone()),
        coverage: false,
    });
    let state = Arc::new(State {
        site: RwLock::new(Arc::new(Site::default())),
        hub: live::Hub::default(),
        stop: AtomicBool::new(false),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    // Watching starts before the first build, so no save during it goes unseen.
    let mut watcher = Watcher::start(&root, tx.clone()).map_err(|e| e.to_string())?;
    state.publish(builder.rebuild(&state.site()));
    let stopper = Arc::clone(&state);
    if let Err(e) = ctrlc::set_handler(move || stopper.stop.store(true, Ordering::SeqCst)) {
        anstream::eprintln!("warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    let server = Arc::new(server);
    let mut threads = Vec::new();
    for _ in 0..WORKERS {
        let (server, state) = (Arc::clone(&server), Arc::clone(&state));
        threads.push(std::thread::spawn(move || answer(&server, &state)));
    }
    let pinger = Arc::clone(&state);
    threads.push(std::thread::spawn(move || ping(&pinger)));
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if args.open {
        open(&url);
    }
    watch_loop(&state, &rx, &mut watcher, &mut builder);
    drop(tx);
    state.hub.close();
    for t in threads {
        let _ = t.join();
    }
    anstream::eprintln!("stopped");
    Ok(())
}

/// Rebuilds after each burst of changes, until told to stop.
fn watch_loop(state: &State, rx: &Receiver<Signal>, watcher: &mut Watcher, builder: &mut Builder) {
    while !state.stop.load(Ordering::SeqCst) {
        let first = match rx.recv_timeout(TICK) {
            Ok(s) => s,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut changed = Vec::new();
        let mut take = |s: Signal| match s {
            Signal::Changed(paths) => changed.extend(paths),
            Signal::Trouble(msg) => anstream::eprintln!("warning: watching files: {msg}"),
        };
        take(first);
        while let Ok(s) = rx.recv_timeout(SETTLE) {
            take(s);
        }
        if let Err(e) = watcher.resync(&changed) {
            anstream::eprintln!("warning: {e}");
        }
        anstream::eprintln!("{}: rebuilding", describe(&changed));
        state.publish(builder.rebuild(&state.site()));
    }
}

fn describe(changed: &[PathBuf]) -> String {
    match changed {
        [] => "files changed".into(),
        [one] => format!("{} changed", one.display()),
        [one, rest @ ..] => format!("{} and {} more changed", one.display(), rest.len()),
    }
}

fn answer(server: &tiny_http::Server, state: &State) {
    while !state.stop.load(Ordering::SeqCst) {
        match server.recv_timeout(TICK) {
            Ok(Some(request)) => http::handle(request, state.site(), &state.hub),
            Ok(None) => {}
            Err(e) => anstream::eprintln!("warning: receiving a request: {e}"),
        }
    }
}

fn ping(state: &State) {
    let mut last = Instant::now();
    while !state.stop.load(Ordering::SeqCst) {
        std::thread::sleep(TICK);
        if last.elapsed() >= PING_EVERY {
            state.hub.ping();
            last = Instant::now();
        }
    }
}

/// The address as a browser on this computer reaches it: one listening on every
/// interface is reached on the loopback one.
fn browsable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

/// The root as the user gave it, for messages (empty for `.`), as the other commands
/// show it.
fn shown(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

/// Opens `url` in the default browser; failing to is worth a warning, not a stop.
fn open(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        anstream::eprintln!("warning: could not open a browser ({e}); open {url}");
    }
}
